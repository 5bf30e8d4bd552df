#include "endpointprofile.h"

#include "partplan.h"
#include "sigv4signer.h"

#include <QObject>
#include <QRegularExpression>

EndpointProfile EndpointProfile::preset(Provider provider, const QString &region)
{
    EndpointProfile profile;
    profile.provider = provider;
    switch (provider) {
    case Provider::AwsS3:
        profile.region = region.isEmpty() ? QStringLiteral("us-east-1") : region;
        profile.endpoint = QUrl(QStringLiteral("https://s3.%1.amazonaws.com").arg(profile.region));
        profile.pathStyle = false;
        break;
    case Provider::AlibabaOss:
        profile.region = region.isEmpty() ? QStringLiteral("cn-hangzhou") : region;
        profile.endpoint = QUrl(QStringLiteral("https://oss-%1.aliyuncs.com").arg(profile.region));
        profile.pathStyle = false;
        break;
    case Provider::Custom:
        profile.region = region.isEmpty() ? QStringLiteral("us-east-1") : region;
        profile.endpoint = QUrl(QStringLiteral("http://127.0.0.1:9000"));
        profile.pathStyle = true;
        break;
    }
    return profile;
}

std::optional<EndpointProfile::Provider> EndpointProfile::providerFromName(const QString &name)
{
    const QString lower = name.toLower();
    if (lower == QLatin1String("aws") || lower == QLatin1String("s3"))
        return Provider::AwsS3;
    if (lower == QLatin1String("oss") || lower == QLatin1String("alibaba") || lower == QLatin1String("aliyun"))
        return Provider::AlibabaOss;
    if (lower == QLatin1String("custom") || lower == QLatin1String("minio"))
        return Provider::Custom;
    return std::nullopt;
}

QString EndpointProfile::providerName(Provider provider)
{
    switch (provider) {
    case Provider::AwsS3:
        return QStringLiteral("aws");
    case Provider::AlibabaOss:
        return QStringLiteral("oss");
    case Provider::Custom:
        break;
    }
    return QStringLiteral("custom");
}

std::optional<EndpointProfile::SignatureVersion> EndpointProfile::signatureVersionFromName(const QString &name)
{
    const QString lower = name.toLower();
    if (lower == QLatin1String("v4") || lower == QLatin1String("4"))
        return SignatureVersion::V4;
    if (lower == QLatin1String("v1") || lower == QLatin1String("1"))
        return SignatureVersion::V1;
    return std::nullopt;
}

QString EndpointProfile::signatureVersionName(SignatureVersion version)
{
    return version == SignatureVersion::V1 ? QStringLiteral("v1") : QStringLiteral("v4");
}

QString EndpointProfile::ossRegionFromHost(const QString &host)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^(?:[a-z0-9-]+\.)?oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$)"));
    const auto match = pattern.match(host.toLower());
    if (!match.hasMatch() || match.captured(1) == QLatin1String("accelerate"))
        return {};
    return match.captured(1);
}

qint64 EndpointProfile::minPartSize() const
{
    return isOss() ? PartPlan::kOssMinPartSize : PartPlan::kMinPartSize;
}

QString EndpointProfile::validationError() const
{
    const QString scheme = endpoint.scheme();
    if (!endpoint.isValid() || endpoint.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return QObject::tr("invalid endpoint '%1' (expected http(s)://host[:port])").arg(endpoint.toString());
    if (region.isEmpty())
        return QObject::tr("no region: give one, or an endpoint it can be read from");
    if (isOss() && pathStyle)
        return QObject::tr("Alibaba OSS needs virtual-hosted addressing (bucket.endpoint); path style is refused");
    if (!isOss() && signatureVersion == SignatureVersion::V1)
        return QObject::tr("signature version v1 exists only for Alibaba OSS");
    return {};
}

bool EndpointProfile::isValid() const
{
    return validationError().isEmpty();
}

QByteArray EndpointProfile::hostFor(const QString &bucket) const
{
    QByteArray host = endpoint.host(QUrl::FullyEncoded).toLatin1();
    if (!pathStyle && !bucket.isEmpty())
        host = bucket.toLatin1() + '.' + host;
    const int defaultPort = endpoint.scheme() == QLatin1String("https") ? 443 : 80;
    const int port = endpoint.port(defaultPort);
    if (port != defaultPort)
        host += ':' + QByteArray::number(port);
    return host;
}

QByteArray EndpointProfile::pathFor(const QString &bucket, const QString &key) const
{
    QByteArray path = "/";
    if (pathStyle && !bucket.isEmpty())
        path += bucket.toUtf8() + '/';
    return path + key.toUtf8();
}

QString EndpointProfile::objectUrl(const QString &bucket, const QString &key) const
{
    return endpoint.scheme() + QStringLiteral("://") + QString::fromLatin1(hostFor(bucket))
        + QString::fromLatin1(SigV4Signer::uriEncode(pathFor(bucket, key), true));
}

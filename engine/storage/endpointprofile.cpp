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
    case Provider::CloudflareR2:
        // R2 signs with "auto" (us-east-1 and the empty region alias it); the endpoint names the account.
        profile.region = region.isEmpty() ? QStringLiteral("auto") : region;
        profile.endpoint = QUrl();
        profile.pathStyle = true;
        break;
    case Provider::BackblazeB2:
        profile.region = region;
        profile.endpoint
            = region.isEmpty() ? QUrl() : QUrl(QStringLiteral("https://s3.%1.backblazeb2.com").arg(region));
        profile.pathStyle = true;
        break;
    case Provider::Wasabi:
        profile.region = region.isEmpty() ? QStringLiteral("us-east-1") : region;
        profile.endpoint = QUrl(QStringLiteral("https://s3.%1.wasabisys.com").arg(profile.region));
        profile.pathStyle = true;
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
    if (lower == QLatin1String("r2") || lower == QLatin1String("cloudflare"))
        return Provider::CloudflareR2;
    if (lower == QLatin1String("b2") || lower == QLatin1String("backblaze"))
        return Provider::BackblazeB2;
    if (lower == QLatin1String("wasabi"))
        return Provider::Wasabi;
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
    case Provider::CloudflareR2:
        return QStringLiteral("r2");
    case Provider::BackblazeB2:
        return QStringLiteral("b2");
    case Provider::Wasabi:
        return QStringLiteral("wasabi");
    case Provider::Custom:
        break;
    }
    return QStringLiteral("custom");
}

QString EndpointProfile::providerLabel(Provider provider)
{
    switch (provider) {
    case Provider::AwsS3:
        return QObject::tr("AWS S3");
    case Provider::AlibabaOss:
        return QObject::tr("Alibaba Cloud OSS");
    case Provider::CloudflareR2:
        return QObject::tr("Cloudflare R2");
    case Provider::BackblazeB2:
        return QObject::tr("Backblaze B2");
    case Provider::Wasabi:
        return QObject::tr("Wasabi");
    case Provider::Custom:
        break;
    }
    return QObject::tr("MinIO / S3");
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

bool EndpointProfile::regionFollowsEndpoint(Provider provider)
{
    return !regionalHostPattern(provider).isEmpty();
}

QString EndpointProfile::regionFromHost(Provider provider, const QString &host)
{
    static const QRegularExpression b2(QStringLiteral(R"(^s3\.([a-z0-9-]+)\.backblazeb2\.com$)"));
    static const QRegularExpression wasabi(QStringLiteral(R"(^s3\.([a-z0-9-]+)\.wasabisys\.com$)"));
    const QString lower = host.toLower();
    switch (provider) {
    case Provider::AlibabaOss:
        return ossRegionFromHost(lower);
    case Provider::BackblazeB2:
        return b2.match(lower).captured(1);
    case Provider::Wasabi:
        if (lower == QLatin1String("s3.wasabisys.com")) // the original endpoint, us-east-1
            return QStringLiteral("us-east-1");
        return wasabi.match(lower).captured(1);
    case Provider::AwsS3:
    case Provider::CloudflareR2:
    case Provider::Custom:
        break;
    }
    return {};
}

QString EndpointProfile::regionalHostPattern(Provider provider)
{
    switch (provider) {
    case Provider::AlibabaOss:
        return QStringLiteral("oss-<region>.aliyuncs.com");
    case Provider::BackblazeB2:
        return QStringLiteral("s3.<region>.backblazeb2.com");
    case Provider::Wasabi:
        return QStringLiteral("s3.<region>.wasabisys.com");
    case Provider::AwsS3:
    case Provider::CloudflareR2:
    case Provider::Custom:
        break;
    }
    return {};
}

QString EndpointProfile::requiredEndpointForm(Provider provider)
{
    if (provider == Provider::CloudflareR2)
        return QStringLiteral("https://<account-id>.r2.cloudflarestorage.com");
    if (provider == Provider::BackblazeB2)
        return QStringLiteral("https://") + regionalHostPattern(provider);
    return {};
}

qint64 EndpointProfile::minPartSize() const
{
    return isOss() ? PartPlan::kOssMinPartSize : PartPlan::kMinPartSize;
}

QString EndpointProfile::validationError() const
{
    // The presets that cannot fill the endpoint say what it must be.
    if (endpoint.isEmpty() && provider == Provider::CloudflareR2)
        return QObject::tr("Cloudflare R2 needs the account's endpoint: %1").arg(requiredEndpointForm(provider));
    if (endpoint.isEmpty() && provider == Provider::BackblazeB2)
        return QObject::tr("Backblaze B2 needs the bucket's region (e.g. us-west-004) or its endpoint, %1")
            .arg(requiredEndpointForm(provider));
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

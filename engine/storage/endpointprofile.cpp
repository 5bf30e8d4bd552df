#include "endpointprofile.h"

#include "sigv4signer.h"

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

bool EndpointProfile::isValid() const
{
    const QString scheme = endpoint.scheme();
    return endpoint.isValid() && !endpoint.host().isEmpty()
        && (scheme == QLatin1String("http") || scheme == QLatin1String("https")) && !region.isEmpty();
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

#pragma once

#include <QString>
#include <QUrl>

#include <optional>

// Where a bucket lives and how to address it. Presets cover the providers we ship for; anything else
// S3-compatible (MinIO, Ceph, our test servers) is "custom" with an explicit endpoint.
struct EndpointProfile
{
    enum class Provider { AwsS3, AlibabaOss, Custom };

    Provider provider = Provider::Custom;
    QUrl endpoint; // scheme://host[:port], no path
    QString region = QStringLiteral("us-east-1");
    bool pathStyle = true; // false: virtual-hosted (bucket.host)
    QString caBundle; // optional CA file for https endpoints

    // AWS: https://s3.<region>.amazonaws.com, virtual-hosted.
    // Alibaba OSS (its S3-compatible API): https://oss-<region>.aliyuncs.com, virtual-hosted (OSS refuses path style).
    // Custom: http://127.0.0.1:9000, path style (MinIO's default).
    static EndpointProfile preset(Provider provider, const QString &region = {});
    static std::optional<Provider> providerFromName(const QString &name); // "aws", "oss"/"alibaba", "minio"/"custom"
    static QString providerName(Provider provider);

    bool isValid() const;
    // Host header value (with the port when it is not the scheme's default) for a request to this bucket.
    QByteArray hostFor(const QString &bucket) const;
    // Decoded request path for a bucket (key empty) or an object, as the signer wants it.
    QByteArray pathFor(const QString &bucket, const QString &key) const;
    // The object's URL as a user would copy it (percent-encoded).
    QString objectUrl(const QString &bucket, const QString &key) const;
};

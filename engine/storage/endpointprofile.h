#pragma once

#include <QString>
#include <QUrl>

#include <optional>

// Where a bucket lives, how to address it and which protocol it speaks. Presets cover the providers whose endpoint
// and region follow a rule worth not typing (AWS, OSS, and the S3-compatible services Cloudflare R2, Backblaze B2 and
// Wasabi: docs/compatibility.md); anything else S3-compatible (MinIO, Ceph, Garage, our test servers) is "custom"
// with an explicit endpoint.
//
// Provider decides the protocol: AlibabaOss speaks OSS's native protocol (OSS V4 or V1 signatures, x-oss-*, CRC-64
// checks, OSS error codes); every other provider speaks S3 (SigV4, x-amz-*) and differs only in its preset. OSS's
// S3-compatible API is still reachable as a custom endpoint with virtual-hosted addressing.
struct EndpointProfile
{
    enum class Provider { AwsS3, AlibabaOss, CloudflareR2, BackblazeB2, Wasabi, Custom };
    // OSS only: V4 ("OSS4-HMAC-SHA256") unless an older deployment needs V1 ("OSS id:signature").
    enum class SignatureVersion { V4, V1 };

    Provider provider = Provider::Custom;
    QUrl endpoint; // scheme://host[:port], no path
    QString region = QStringLiteral("us-east-1");
    bool pathStyle = true; // false: virtual-hosted (bucket.host)
    QString caBundle; // optional CA file for https endpoints
    SignatureVersion signatureVersion = SignatureVersion::V4;

    bool isOss() const { return provider == Provider::AlibabaOss; }
    // The smallest part the provider accepts (but the last): 5 MiB on S3, 100 KiB on OSS.
    qint64 minPartSize() const;

    // AWS: https://s3.<region>.amazonaws.com, virtual-hosted.
    // Alibaba OSS (native protocol): https://oss-<region>.aliyuncs.com, virtual-hosted (OSS refuses path style).
    // Cloudflare R2: region "auto", path style; no endpoint, as it names the account (<account-id>.r2.…).
    // Backblaze B2: https://s3.<region>.backblazeb2.com, path style; no default region (each account has one).
    // Wasabi: https://s3.<region>.wasabisys.com (us-east-1 by default), path style.
    // Custom: http://127.0.0.1:9000, path style (MinIO's default).
    static EndpointProfile preset(Provider provider, const QString &region = {});
    // "aws", "oss"/"alibaba", "r2"/"cloudflare", "b2"/"backblaze", "wasabi", "minio"/"custom"
    static std::optional<Provider> providerFromName(const QString &name);
    static QString providerName(Provider provider);
    // What people call it, for titles and messages: "AWS S3", "Alibaba Cloud OSS", "Wasabi", "MinIO / S3".
    static QString providerLabel(Provider provider);
    static std::optional<SignatureVersion> signatureVersionFromName(const QString &name); // "v4", "v1"
    static QString signatureVersionName(SignatureVersion version);
    // "oss-cn-hangzhou.aliyuncs.com" (also "-internal", and the bucket-prefixed form) → "cn-hangzhou"; empty when
    // the host is not an OSS regional endpoint.
    static QString ossRegionFromHost(const QString &host);
    // True where the endpoint's host names the region and signing with another one fails (OSS, B2, Wasabi): the
    // region is read from the host rather than taken from elsewhere ($AWS_REGION belongs to other providers).
    static bool regionFollowsEndpoint(Provider provider);
    // The region the host names for such a provider ("s3.us-west-004.backblazeb2.com" → "us-west-004"); empty when
    // it names none.
    static QString regionFromHost(Provider provider, const QString &host);
    // The form of such a provider's regional host, for error messages: "oss-<region>.aliyuncs.com"; empty for the
    // providers whose host names no region.
    static QString regionalHostPattern(Provider provider);
    // The endpoint to type where the preset cannot make it (R2's names the account; B2's the region, which has no
    // default): "https://<account-id>.r2.cloudflarestorage.com"; empty for the other providers.
    static QString requiredEndpointForm(Provider provider);

    // Endpoint, scheme and region present; OSS additionally needs virtual-hosted addressing (it refuses path style)
    // and V1 signatures exist only on OSS. validationError() says which rule failed.
    bool isValid() const;
    QString validationError() const;
    // Host header value (with the port when it is not the scheme's default) for a request to this bucket.
    QByteArray hostFor(const QString &bucket) const;
    // Decoded request path for a bucket (key empty) or an object, as the signer wants it.
    QByteArray pathFor(const QString &bucket, const QString &key) const;
    // The object's URL as a user would copy it (percent-encoded).
    QString objectUrl(const QString &bucket, const QString &key) const;
};

#pragma once

#include "dialect.h"
#include "ossrequestauthenticator.h"

namespace StrictS3 {

// The Alibaba OSS dialect (--dialect oss): virtual-hosted addressing only (bucket = first label of Host), OSS V4 and
// V1 signatures, x-oss-request-id, upper-case ETags, x-oss-hash-crc64ecma on bodies, and OSS's error document
// (Code, Message, RequestId, HostId, EC) with an x-oss-ec header.
class OssDialect : public Dialect
{
public:
    explicit OssDialect(const ServerConfig &config);

    S3Error address(
        const HttpRequest &request, const QByteArray &path, QByteArray *bucket, QByteArray *key) const override;
    S3Error authenticate(const HttpRequest &request, const QByteArray &path, const QByteArray &bucket,
        const QByteArray &key, const HeaderList &query, const QDateTime &nowUtc) const override;
    QByteArray payloadHash(const HttpRequest &request) const override;
    QByteArray etag(const QByteArray &hex) const override;
    bool usesCrc64() const override { return true; }
    void addCrc64(HttpResponse &response, quint64 crc) const override;
    void addCompleteHeaders(HttpResponse &response, const QByteArray &etagHex, quint64 crc) const override;
    QByteArray objectUrl(const HttpRequest &request, const QByteArray &bucket, const QByteArray &key) const override;
    void addIdHeaders(HttpResponse &response, const QByteArray &requestId) const override;
    void setError(HttpResponse &response, const S3Error &error, const HttpRequest &request, const QByteArray &requestId,
        const QByteArray &path, bool withBody) const override;

    // "NNNN-NNNNNNNN" detail code sent as EC for an error code.
    static QByteArray errorEc(const QByteArray &code);

private:
    OssRequestAuthenticator m_authenticator;
};

} // namespace StrictS3

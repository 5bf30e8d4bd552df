#pragma once

#include "httprequest.h"
#include "httpresponse.h"
#include "s3error.h"
#include "serverconfig.h"

#include <storage/sigv4signer.h>

#include <QDateTime>

#include <memory>

namespace StrictS3 {

// What differs between the protocols the server speaks (--dialect): where the bucket is, how a request is
// authenticated, which headers and error document answer it, and whether bodies carry a CRC-64. The request handler
// stays protocol-neutral and asks its dialect.
class Dialect
{
public:
    virtual ~Dialect() = default;
    static std::unique_ptr<Dialect> create(const ServerConfig &config);

    // Splits the decoded path (and the Host header) into bucket and key; an error for an addressing the dialect
    // refuses. Both empty: a service-level request (ListBuckets).
    virtual S3Error address(
        const HttpRequest &request, const QByteArray &path, QByteArray *bucket, QByteArray *key) const = 0;
    virtual S3Error authenticate(const HttpRequest &request, const QByteArray &path, const QByteArray &bucket,
        const QByteArray &key, const HeaderList &query, const QDateTime &nowUtc) const = 0;
    // The payload digest the client declared: a hex SHA-256 to check, or UNSIGNED-PAYLOAD.
    virtual QByteArray payloadHash(const HttpRequest &request) const = 0;

    // An ETag header / XML value from the stored lower-case hex ETag.
    virtual QByteArray etag(const QByteArray &hex) const = 0;
    // Whether bodies get a CRC-64/ECMA (computed while streaming, stored with parts and objects).
    virtual bool usesCrc64() const = 0;
    virtual void addCrc64(HttpResponse &response, quint64 crc) const = 0;
    // Headers of a CompleteMultipartUpload answer beyond its XML body (OSS repeats the ETag and adds the CRC).
    virtual void addCompleteHeaders(HttpResponse &response, const QByteArray &etagHex, quint64 crc) const = 0;
    virtual QByteArray objectUrl(const HttpRequest &request, const QByteArray &bucket, const QByteArray &key) const = 0;

    // Request id (and host id) headers on every answer.
    virtual void addIdHeaders(HttpResponse &response, const QByteArray &requestId) const = 0;
    // The XML error document and its extra headers.
    virtual void setError(HttpResponse &response, const S3Error &error, const HttpRequest &request,
        const QByteArray &requestId, const QByteArray &path, bool withBody) const = 0;
};

} // namespace StrictS3

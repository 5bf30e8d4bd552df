#include "ossdialect.h"

#include "s3util.h"

#include <utility>

namespace StrictS3 {

namespace {

// The host part of a Host header, without the port.
QByteArray hostName(const QByteArray &host)
{
    if (host.startsWith('['))
        return host.left(host.indexOf(']') + 1);
    const qsizetype colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.left(colon);
}

// An IP literal or a name without a dot ("localhost") addresses the service; "bucket.anything" a bucket.
bool namesBucket(const QByteArray &name)
{
    if (name.startsWith('[') || !name.contains('.'))
        return false;
    for (const char c : name) {
        if (c != '.' && (c < '0' || c > '9'))
            return true;
    }
    return false;
}

} // namespace

OssDialect::OssDialect(const ServerConfig &config)
    : m_authenticator(config.accessKey, config.secretKey, config.region, config.securityToken)
{ }

S3Error OssDialect::address(
    const HttpRequest &request, const QByteArray &path, QByteArray *bucket, QByteArray *key) const
{
    const QByteArray name = hostName(request.header("Host"));
    if (namesBucket(name)) {
        *bucket = name.left(name.indexOf('.'));
        *key = path.mid(1);
        return {};
    }
    bucket->clear();
    key->clear();
    if (path != "/")
        return S3Error::make(403, "SecondLevelDomainForbidden", "Please use virtual hosted style to access.");
    return {};
}

S3Error OssDialect::authenticate(const HttpRequest &request, const QByteArray &, const QByteArray &bucket,
    const QByteArray &key, const HeaderList &query, const QDateTime &nowUtc) const
{
    return m_authenticator.verify(request, bucket, key, query, nowUtc);
}

QByteArray OssDialect::payloadHash(const HttpRequest &) const
{
    // OSS never signs the payload; its integrity checks are Content-MD5 and the CRC-64 the client compares.
    return OssV4Signer::kUnsignedPayload.toByteArray();
}

QByteArray OssDialect::etag(const QByteArray &hex) const
{
    return S3Util::quoted(hex.toUpper());
}

void OssDialect::addCrc64(HttpResponse &response, quint64 crc) const
{
    response.addHeader("x-oss-hash-crc64ecma", QByteArray::number(crc));
}

void OssDialect::addCompleteHeaders(HttpResponse &response, const QByteArray &etagHex, quint64 crc) const
{
    response.addHeader("ETag", etag(etagHex));
    addCrc64(response, crc);
}

QByteArray OssDialect::objectUrl(const HttpRequest &request, const QByteArray &, const QByteArray &key) const
{
    return "http://" + request.header("Host") + '/' + SigV4Signer::uriEncode(key, true);
}

void OssDialect::addIdHeaders(HttpResponse &response, const QByteArray &requestId) const
{
    response.addHeader("x-oss-request-id", requestId);
}

void OssDialect::setError(HttpResponse &response, const S3Error &error, const HttpRequest &request,
    const QByteArray &requestId, const QByteArray &, bool withBody) const
{
    const QByteArray ec = errorEc(error.code);
    response.addHeader("x-oss-ec", ec);
    if (!withBody)
        return;
    QByteArray body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n";
    const auto element = [&body](const QByteArray &name, const QByteArray &value) {
        body += "  <" + name + '>' + S3Util::xmlEscaped(value) + "</" + name + ">\n";
    };
    element("Code", error.code);
    element("Message", error.message);
    element("RequestId", requestId);
    element("HostId", hostName(request.header("Host")));
    for (const auto &[name, value] : error.extra)
        element(name, value);
    element("EC", ec);
    body += "</Error>\n";
    response.body = body;
    response.addHeader("Content-Type", "application/xml");
}

// Detail codes shaped like OSS's "NNNN-NNNNNNNN" EC values (a small table of our own, not a copy of OSS's
// catalogue): clients only need a stable, well-formed EC per error code to show and log.
QByteArray OssDialect::errorEc(const QByteArray &code)
{
    static const std::pair<const char *, const char *> kTable[] = {
        {"AccessDenied", "0003-00000001"},
        {"SecondLevelDomainForbidden", "0003-00000002"},
        {"SignatureDoesNotMatch", "0002-00000040"},
        {"InvalidAccessKeyId", "0002-00000902"},
        {"InvalidSecurityToken", "0002-00000905"},
        {"RequestTimeTooSkewed", "0002-00000504"},
        {"InvalidArgument", "0017-00000001"},
        {"NoSuchBucket", "0015-00000101"},
        {"NoSuchKey", "0026-00000001"},
        {"NoSuchUpload", "0042-00000002"},
        {"InvalidPart", "0042-00000003"},
        {"InvalidPartOrder", "0042-00000004"},
        {"EntityTooSmall", "0042-00000005"},
        {"MalformedXML", "0016-00000001"},
        {"InternalError", "0007-00000001"},
    };
    for (const auto &[name, ec] : kTable) {
        if (code == name)
            return ec;
    }
    return "0000-00000000";
}

} // namespace StrictS3

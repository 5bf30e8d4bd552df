#include "s3dialect.h"

#include "ossdialect.h"
#include "s3util.h"

namespace StrictS3 {

std::unique_ptr<Dialect> Dialect::create(const ServerConfig &config)
{
    if (config.dialect == ServerConfig::DialectKind::Oss)
        return std::make_unique<OssDialect>(config);
    return std::make_unique<S3Dialect>(config);
}

S3Dialect::S3Dialect(const ServerConfig &config)
    : m_authenticator(config.accessKey, config.secretKey, config.region, config.extraKeys)
    , m_emptyErrorMessage(config.quirks.has(Quirk::EmptyErrorMessage))
    , m_etagUnquoted(config.quirks.has(Quirk::EtagUnquoted))
    , m_etagUppercase(config.quirks.has(Quirk::EtagUppercase))
{ }

S3Error S3Dialect::address(const HttpRequest &, const QByteArray &path, QByteArray *bucket, QByteArray *key) const
{
    const qsizetype slash = path.indexOf('/', 1);
    *bucket = slash < 0 ? path.mid(1) : path.mid(1, slash - 1);
    *key = slash < 0 ? QByteArray() : path.mid(slash + 1);
    return {};
}

S3Error S3Dialect::authenticate(const HttpRequest &request, const QByteArray &path, const QByteArray &,
    const QByteArray &, const HeaderList &query, const QDateTime &nowUtc) const
{
    return m_authenticator.verify(request, path, query, nowUtc);
}

QByteArray S3Dialect::payloadHash(const HttpRequest &request) const
{
    return request.header("x-amz-content-sha256");
}

QByteArray S3Dialect::etag(const QByteArray &hex) const
{
    // Every ETag the server sends (headers, ListParts, Complete) goes through here, so a quirk covers them all.
    const QByteArray value = m_etagUppercase ? hex.toUpper() : hex;
    return m_etagUnquoted ? value : S3Util::quoted(value);
}

QByteArray S3Dialect::objectUrl(const HttpRequest &request, const QByteArray &bucket, const QByteArray &key) const
{
    return "http://" + request.header("Host") + '/' + bucket + '/' + SigV4Signer::uriEncode(key, true);
}

void S3Dialect::addIdHeaders(HttpResponse &response, const QByteArray &requestId) const
{
    response.addHeader("x-amz-request-id", requestId);
    response.addHeader("x-amz-id-2", QByteArray(S3Util::randomHex(24)).toBase64());
}

void S3Dialect::setError(HttpResponse &response, const S3Error &error, const HttpRequest &, const QByteArray &requestId,
    const QByteArray &path, bool withBody) const
{
    if (!withBody)
        return;
    // The error document has no namespace in S3, so it is built by hand rather than with XmlDoc.
    QByteArray body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>";
    const QByteArray message = m_emptyErrorMessage ? QByteArray() : S3Util::xmlEscaped(error.message);
    body += "<Code>" + S3Util::xmlEscaped(error.code) + "</Code><Message>" + message + "</Message>";
    for (const auto &[name, value] : error.extra)
        body += '<' + name + '>' + S3Util::xmlEscaped(value) + "</" + name + '>';
    body += "<RequestId>" + requestId + "</RequestId><Resource>" + S3Util::xmlEscaped(path) + "</Resource></Error>";
    response.body = body;
    response.addHeader("Content-Type", "application/xml");
}

} // namespace StrictS3

#include "sigv4signer.h"

#include "hashing.h"

#include <algorithm>
#include <map>

namespace {

const QByteArray kAlgorithm = "AWS4-HMAC-SHA256";

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
        || c == '.' || c == '~';
}

// Trims and collapses runs of whitespace into one space, as the canonical header form requires.
QByteArray canonicalHeaderValue(const QByteArray &value)
{
    return value.simplified();
}

// RFC 3986 remove_dot_segments plus collapsing of empty segments ("//"), keeping a trailing slash.
QByteArray normalizePath(const QByteArray &path)
{
    QList<QByteArray> out;
    const QList<QByteArray> segments = path.split('/');
    for (const QByteArray &segment : segments) {
        if (segment.isEmpty() || segment == ".")
            continue;
        if (segment == "..") {
            if (!out.isEmpty())
                out.removeLast();
            continue;
        }
        out.append(segment);
    }
    QByteArray result = '/' + out.join('/');
    const bool trailingSlash = path.endsWith('/') || path.endsWith("/.") || path.endsWith("/..");
    if (trailingSlash && !out.isEmpty())
        result += '/';
    return result;
}

} // namespace

SigV4Signer::SigV4Signer(AwsCredentials credentials, QByteArray region, QByteArray service)
    : m_credentials(std::move(credentials))
    , m_region(std::move(region))
    , m_service(std::move(service))
{ }

QByteArray SigV4Signer::amzDate(const QDateTime &timeUtc)
{
    return timeUtc.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
}

QByteArray SigV4Signer::uriEncode(QByteArrayView data, bool keepSlash)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(data.size() * 3);
    for (const char c : data) {
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out.append(c);
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out.append('%');
            out.append(hex[byte >> 4]);
            out.append(hex[byte & 0xF]);
        }
    }
    return out;
}

QByteArray SigV4Signer::canonicalUri(const QByteArray &path, PathMode mode) const
{
    const QByteArray absolute = path.startsWith('/') ? path : '/' + path;
    return uriEncode(mode == PathMode::Normalized ? normalizePath(absolute) : absolute, true);
}

SigV4Signer::Signature SigV4Signer::sign(const SigningRequest &request, const QDateTime &timeUtc, PathMode mode) const
{
    // Canonical query: encode first, then sort by encoded name and value.
    QList<std::pair<QByteArray, QByteArray>> query;
    query.reserve(request.query.size());
    for (const auto &[name, value] : request.query)
        query.append({uriEncode(name, false), uriEncode(value, false)});
    std::sort(query.begin(), query.end());
    QByteArrayList queryParts;
    for (const auto &[name, value] : query)
        queryParts.append(name + '=' + value);

    // Canonical headers: lower-case names, sorted; repeated names joined with ',' in the order sent.
    std::map<QByteArray, QByteArrayList> headers;
    for (const auto &[name, value] : request.headers)
        headers[name.toLower().trimmed()].append(canonicalHeaderValue(value));
    QByteArray canonicalHeaders;
    QByteArrayList signedNames;
    for (const auto &[name, values] : headers) {
        canonicalHeaders += name + ':' + values.join(',') + '\n';
        signedNames.append(name);
    }

    Signature result;
    result.signedHeaders = signedNames.join(';');
    result.canonicalRequest = request.method + '\n' + canonicalUri(request.path, mode) + '\n' + queryParts.join('&')
        + '\n' + canonicalHeaders + '\n' + result.signedHeaders + '\n' + request.payloadHash;

    const QByteArray dateTime = amzDate(timeUtc);
    const QByteArray date = dateTime.left(8);
    const QByteArray scope = date + '/' + m_region + '/' + m_service + "/aws4_request";
    result.stringToSign
        = kAlgorithm + '\n' + dateTime + '\n' + scope + '\n' + Hashing::sha256Hex(result.canonicalRequest);

    const QByteArray dateKey = Hashing::hmacSha256("AWS4" + m_credentials.secretAccessKey, date);
    const QByteArray regionKey = Hashing::hmacSha256(dateKey, m_region);
    const QByteArray serviceKey = Hashing::hmacSha256(regionKey, m_service);
    const QByteArray signingKey = Hashing::hmacSha256(serviceKey, "aws4_request");
    result.signature = Hashing::hmacSha256(signingKey, result.stringToSign).toHex();

    result.authorization = kAlgorithm + " Credential=" + m_credentials.accessKeyId + '/' + scope
        + ", SignedHeaders=" + result.signedHeaders + ", Signature=" + result.signature;
    return result;
}

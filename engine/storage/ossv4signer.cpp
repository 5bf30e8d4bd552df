#include "ossv4signer.h"

#include "hashing.h"
#include "ossv1signer.h"

#include <algorithm>

namespace {

bool isSignedByDefault(const QByteArray &lowerCaseName)
{
    return lowerCaseName.startsWith("x-oss-") || lowerCaseName == "content-type" || lowerCaseName == "content-md5";
}

// Encoded names and values, sorted by the *encoded* name ("%2Bp" < "%7Cp" < "p"); an empty value is a bare name.
QByteArray canonicalQuery(const HeaderList &query)
{
    QList<std::pair<QByteArray, QByteArray>> encoded;
    for (const auto &[name, value] : query)
        encoded.append({SigV4Signer::uriEncode(name, false), SigV4Signer::uriEncode(value, false)});
    std::sort(encoded.begin(), encoded.end());
    QByteArrayList items;
    for (const auto &[name, value] : encoded)
        items.append(value.isEmpty() ? name : name + '=' + value);
    return items.join('&');
}

} // namespace

OssV4Signer::OssV4Signer(AwsCredentials credentials, QByteArray region)
    : m_credentials(std::move(credentials))
    , m_region(std::move(region))
{ }

QByteArray OssV4Signer::canonicalUri(const QByteArray &bucket, const QByteArray &key)
{
    QByteArray uri = "/";
    if (!bucket.isEmpty())
        uri += bucket + '/';
    return SigV4Signer::uriEncode(uri + key, true);
}

OssV4Signer::Signature OssV4Signer::sign(const OssSigningRequest &request, const QDateTime &timeUtc) const
{
    QByteArrayList additional;
    for (const QByteArray &name : request.additionalHeaders) {
        if (!isSignedByDefault(name.toLower()))
            additional.append(name.toLower());
    }
    std::sort(additional.begin(), additional.end());

    QByteArray canonicalHeaders;
    QByteArray payloadHash = kUnsignedPayload.toByteArray();
    for (const auto &[name, values] : OssSigning::lowerCaseHeaders(request.headers)) {
        if (name == "x-oss-content-sha256")
            payloadHash = values.constFirst();
        if (isSignedByDefault(name) || additional.contains(name))
            canonicalHeaders += name + ':' + values.join(',') + '\n';
    }

    Signature result;
    result.canonicalRequest = request.method + '\n' + canonicalUri(request.bucket, request.key) + '\n'
        + canonicalQuery(request.query) + '\n' + canonicalHeaders + '\n' + additional.join(';') + '\n' + payloadHash;

    const QByteArray dateTime = SigV4Signer::amzDate(timeUtc);
    const QByteArray date = dateTime.left(8);
    const QByteArray scope = date + '/' + m_region + "/oss/aliyun_v4_request";
    result.stringToSign = kAlgorithm.toByteArray() + '\n' + dateTime + '\n' + scope + '\n'
        + Hashing::sha256Hex(result.canonicalRequest);

    QByteArray key = Hashing::hmacSha256("aliyun_v4" + m_credentials.secretAccessKey, date);
    key = Hashing::hmacSha256(key, m_region);
    key = Hashing::hmacSha256(key, "oss");
    key = Hashing::hmacSha256(key, "aliyun_v4_request");
    result.signature = Hashing::hmacSha256(key, result.stringToSign).toHex();

    result.authorization = kAlgorithm.toByteArray() + " Credential=" + m_credentials.accessKeyId + '/' + scope;
    if (!additional.isEmpty())
        result.authorization += ",AdditionalHeaders=" + additional.join(';');
    result.authorization += ",Signature=" + result.signature;
    return result;
}

void OssV4Signer::authorize(OssSigningRequest &request, const QDateTime &timeUtc) const
{
    OssSigning::setHeader(request.headers, "x-oss-date", SigV4Signer::amzDate(timeUtc));
    OssSigning::setHeader(request.headers, "date", OssV1Signer::httpDate(timeUtc));
    if (!m_credentials.sessionToken.isEmpty())
        OssSigning::setHeader(request.headers, "x-oss-security-token", m_credentials.sessionToken);
    OssSigning::setHeader(request.headers, "x-oss-content-sha256", kUnsignedPayload.toByteArray());
    OssSigning::setHeader(request.headers, "authorization", sign(request, timeUtc).authorization);
}

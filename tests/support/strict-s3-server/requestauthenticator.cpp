#include "requestauthenticator.h"

#include "s3util.h"

#include <algorithm>

namespace StrictS3 {

namespace {

constexpr qint64 kMaxSkewMs = 15 * 60 * 1000;

S3Error malformed(const QByteArray &message)
{
    return S3Error::make(400, "AuthorizationHeaderMalformed", message);
}

} // namespace

RequestAuthenticator::RequestAuthenticator(QByteArray accessKey, QByteArray secretKey, QByteArray region,
    const QList<std::pair<QByteArray, QByteArray>> &extraKeys)
{
    m_signers.emplace_back(AwsCredentials{std::move(accessKey), std::move(secretKey), {}}, region, "s3");
    for (const auto &[id, secret] : extraKeys)
        m_signers.emplace_back(AwsCredentials{id, secret, {}}, region, "s3");
}

S3Error RequestAuthenticator::verify(const HttpRequest &request, const QByteArray &decodedPath,
    const HeaderList &decodedQuery, const QDateTime &nowUtc) const
{
    const QByteArray authorization = request.header("Authorization");
    if (authorization.isEmpty()) {
        return S3Error::make(403, "AccessDenied",
            decodedQuery.isEmpty() || !request.target.contains("X-Amz-Signature")
                ? "Access Denied (no Authorization header; strict-s3-server requires SigV4 header "
                  "authentication)"
                : "Access Denied (presigned URLs are not supported by strict-s3-server)");
    }
    const QByteArray algorithm = "AWS4-HMAC-SHA256 ";
    if (!authorization.startsWith(algorithm)) {
        return S3Error::make(400, "InvalidRequest",
            "The authorization mechanism you have provided is not supported. Please use "
            "AWS4-HMAC-SHA256.");
    }

    QByteArray credential, signedHeaders, signature;
    for (const QByteArray &item : authorization.mid(algorithm.size()).split(',')) {
        const QByteArray part = item.trimmed();
        if (part.startsWith("Credential="))
            credential = part.mid(11);
        else if (part.startsWith("SignedHeaders="))
            signedHeaders = part.mid(14);
        else if (part.startsWith("Signature="))
            signature = part.mid(10);
        else
            return malformed("The authorization header is malformed; unexpected component '" + part + "'.");
    }
    const QList<QByteArray> scope = credential.split('/');
    if (scope.size() != 5 || signedHeaders.isEmpty() || signature.isEmpty())
        return malformed("The authorization header is malformed; Credential, SignedHeaders and Signature are "
                         "required.");

    const auto signer = std::find_if(m_signers.cbegin(), m_signers.cend(),
        [&](const SigV4Signer &known) { return known.credentials().accessKeyId == scope[0]; });
    if (signer == m_signers.cend()) {
        S3Error e = S3Error::make(
            403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        e.extra = {{"AWSAccessKeyId", scope[0]}};
        return e;
    }

    const QByteArray amzDate = request.header("x-amz-date");
    const QDateTime requestTime = QDateTime::fromString(QString::fromLatin1(amzDate), u"yyyyMMdd'T'HHmmss'Z'");
    if (amzDate.isEmpty() || !requestTime.isValid())
        return S3Error::make(403, "AccessDenied",
            "AWS authentication requires a valid x-amz-date header (yyyyMMddTHHmmssZ); the Date "
            "header is not accepted by strict-s3-server");
    QDateTime requestUtc = requestTime;
    requestUtc.setTimeSpec(Qt::UTC);
    if (std::abs(requestUtc.msecsTo(nowUtc)) > kMaxSkewMs) {
        S3Error e = S3Error::make(
            403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
        e.extra = {{"RequestTime", amzDate}, {"ServerTime", S3Util::isoTime(nowUtc)},
            {"MaxAllowedSkewMilliseconds", QByteArray::number(kMaxSkewMs)}};
        return e;
    }
    if (scope[1] != amzDate.left(8))
        return malformed("Invalid credential date \"" + scope[1] + "\". This date is not the same as X-Amz-Date: \""
            + amzDate.left(8) + "\".");
    if (scope[2] != signer->region()) {
        S3Error e = malformed("The authorization header is malformed; the region '" + scope[2]
            + "' is wrong; expecting '" + signer->region() + "'");
        e.extra = {{"Region", signer->region()}};
        return e;
    }
    if (scope[3] != "s3" || scope[4] != "aws4_request")
        return malformed("The authorization header is malformed; incorrect service or terminator in Credential.");

    // Pass exactly the signed headers, as received; every x-amz-* header sent must be among them.
    const QList<QByteArray> signedNames = signedHeaders.split(';');
    if (!signedNames.contains("host"))
        return S3Error::make(403, "AccessDenied", "The host header must be signed.");
    SigningRequest signing;
    signing.method = request.method;
    signing.path = decodedPath;
    signing.query = decodedQuery;
    QByteArrayList unsignedAmz;
    for (const auto &[name, value] : request.headers) {
        const QByteArray lower = name.toLower();
        if (signedNames.contains(lower))
            signing.headers.append({name, value});
        else if (lower.startsWith("x-amz-") && !unsignedAmz.contains(lower))
            unsignedAmz.append(lower);
    }
    if (!unsignedAmz.isEmpty()) {
        S3Error e = S3Error::make(403, "AccessDenied",
            "There were headers present in the request which were not "
            "signed");
        e.extra = {{"HeadersNotSigned", unsignedAmz.join(", ")}};
        return e;
    }
    for (const QByteArray &name : signedNames) {
        if (!request.hasHeader(name))
            return S3Error::make(403, "AccessDenied", "SignedHeaders names a header that was not sent: " + name);
    }
    signing.payloadHash = request.header("x-amz-content-sha256");
    if (signing.payloadHash.isEmpty())
        return S3Error::make(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");

    const SigV4Signer::Signature expected = signer->sign(signing, requestUtc, SigV4Signer::PathMode::S3);
    if (!S3Util::constantTimeEquals(expected.signature, signature)) {
        S3Error e = S3Error::make(403, "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.");
        e.extra = {{"AWSAccessKeyId", scope[0]}, {"StringToSign", expected.stringToSign},
            {"SignatureProvided", signature}, {"CanonicalRequest", expected.canonicalRequest}};
        return e;
    }
    return {};
}

} // namespace StrictS3

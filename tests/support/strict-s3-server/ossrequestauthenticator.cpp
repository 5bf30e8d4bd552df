#include "ossrequestauthenticator.h"

#include "s3util.h"

namespace StrictS3 {

namespace {

constexpr qint64 kMaxSkewMs = 15 * 60 * 1000;

S3Error invalidArgument(const QByteArray &message)
{
    return S3Error::make(400, "InvalidArgument", message);
}

S3Error accessDenied(const QByteArray &message)
{
    return S3Error::make(403, "AccessDenied", message);
}

// The 15-minute rule both versions share; dateText is echoed back as OSS does.
S3Error checkSkew(const QDateTime &requestUtc, const QByteArray &dateText, const QDateTime &nowUtc)
{
    if (std::abs(requestUtc.msecsTo(nowUtc)) <= kMaxSkewMs)
        return {};
    S3Error e = S3Error::make(
        403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
    e.extra = {{"RequestTime", dateText}, {"ServerTime", S3Util::isoTime(nowUtc)},
        {"MaxAllowedSkewMilliseconds", QByteArray::number(kMaxSkewMs)}};
    return e;
}

S3Error signatureMismatch(const QByteArray &accessKeyId, const QByteArray &stringToSign, const QByteArray &provided)
{
    S3Error e = S3Error::make(403, "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and "
        "signing method.");
    e.extra = {{"OSSAccessKeyId", accessKeyId}, {"SignatureProvided", provided}, {"StringToSign", stringToSign}};
    return e;
}

} // namespace

OssRequestAuthenticator::OssRequestAuthenticator(
    QByteArray accessKey, QByteArray secretKey, QByteArray region, QByteArray securityToken)
    : m_v4(AwsCredentials{accessKey, secretKey, {}}, region)
    , m_v1(AwsCredentials{accessKey, secretKey, {}})
    , m_region(std::move(region))
    , m_securityToken(std::move(securityToken))
{ }

S3Error OssRequestAuthenticator::verify(const HttpRequest &request, const QByteArray &bucket, const QByteArray &key,
    const HeaderList &decodedQuery, const QDateTime &nowUtc) const
{
    const QByteArray authorization = request.header("Authorization");
    if (authorization.isEmpty())
        return accessDenied("You have no right to access this object because of bucket acl.");
    OssSigningRequest signing;
    signing.method = request.method;
    signing.bucket = bucket;
    signing.key = key;
    signing.query = decodedQuery;
    signing.headers = request.headers;
    if (authorization.startsWith(OssV4Signer::kAlgorithm.toByteArray() + ' '))
        return verifyV4(request, signing, authorization, nowUtc);
    if (authorization.startsWith("OSS "))
        return verifyV1(request, signing, authorization, nowUtc);
    return invalidArgument("Authorization header is invalid; expected OSS4-HMAC-SHA256 or OSS.");
}

S3Error OssRequestAuthenticator::verifyV4(const HttpRequest &request, const OssSigningRequest &signingIn,
    const QByteArray &authorization, const QDateTime &nowUtc) const
{
    OssSigningRequest signing = signingIn;
    QByteArray credential, signature;
    for (const QByteArray &item : authorization.mid(OssV4Signer::kAlgorithm.size() + 1).split(',')) {
        const QByteArray part = item.trimmed();
        if (part.startsWith("Credential="))
            credential = part.mid(11);
        else if (part.startsWith("AdditionalHeaders="))
            signing.additionalHeaders = part.mid(18).split(';');
        else if (part.startsWith("Signature="))
            signature = part.mid(10);
        else
            return invalidArgument("Authorization header is invalid; unexpected component '" + part + "'.");
    }
    const QList<QByteArray> scope = credential.split('/');
    if (scope.size() != 5 || signature.isEmpty())
        return invalidArgument("Authorization header is invalid; Credential and Signature are required.");
    if (const S3Error e = checkAccessKey(scope[0]); e.isError())
        return e;

    const QByteArray ossDate = request.header("x-oss-date");
    QDateTime requestUtc = QDateTime::fromString(QString::fromLatin1(ossDate), u"yyyyMMdd'T'HHmmss'Z'");
    if (ossDate.isEmpty() || !requestUtc.isValid())
        return accessDenied("OSS V4 authentication requires a valid x-oss-date header (yyyyMMddTHHmmssZ).");
    requestUtc.setTimeSpec(Qt::UTC);
    if (const S3Error e = checkSkew(requestUtc, ossDate, nowUtc); e.isError())
        return e;
    if (scope[1] != ossDate.left(8))
        return invalidArgument("Invalid credential date \"" + scope[1] + "\"; it must equal the date of x-oss-date \""
            + ossDate.left(8) + "\".");
    if (scope[2] != m_region)
        return invalidArgument(
            "Invalid signing region in Authorization header: '" + scope[2] + "'; expecting '" + m_region + "'.");
    if (scope[3] != "oss" || scope[4] != "aliyun_v4_request")
        return invalidArgument("Invalid signing product or request in Authorization header.");
    if (request.header("x-oss-content-sha256") != OssV4Signer::kUnsignedPayload)
        return invalidArgument("x-oss-content-sha256 must be UNSIGNED-PAYLOAD.");
    if (const S3Error e = checkSecurityToken(request); e.isError())
        return e;

    const OssV4Signer::Signature expected = m_v4.sign(signing, requestUtc);
    if (!S3Util::constantTimeEquals(expected.signature, signature))
        return signatureMismatch(scope[0], expected.stringToSign, signature);
    return {};
}

S3Error OssRequestAuthenticator::verifyV1(const HttpRequest &request, const OssSigningRequest &signing,
    const QByteArray &authorization, const QDateTime &nowUtc) const
{
    const QByteArray credentials = authorization.mid(4).trimmed();
    const qsizetype colon = credentials.lastIndexOf(':');
    if (colon <= 0)
        return invalidArgument("Authorization header is invalid; expected \"OSS AccessKeyId:Signature\".");
    const QByteArray accessKeyId = credentials.left(colon);
    const QByteArray signature = credentials.mid(colon + 1);
    if (const S3Error e = checkAccessKey(accessKeyId); e.isError())
        return e;

    // The signers take Date, or x-oss-date when there is no Date header; the clock check follows the same line.
    const QByteArray date = request.hasHeader("Date") ? request.header("Date") : request.header("x-oss-date");
    // RFC 1123 ("Wed, 28 Dec 2022 10:27:41 GMT"); Qt's RFC 2822 parser wants a numeric zone, not "GMT".
    QDateTime requestUtc = QDateTime::fromString(QString::fromLatin1(date), u"ddd, dd MMM yyyy HH:mm:ss 'GMT'");
    if (date.isEmpty() || !requestUtc.isValid())
        return accessDenied("OSS authentication requires a valid Date header (RFC 1123, GMT).");
    requestUtc.setTimeSpec(Qt::UTC);
    if (const S3Error e = checkSkew(requestUtc, date, nowUtc); e.isError())
        return e;
    if (const S3Error e = checkSecurityToken(request); e.isError())
        return e;

    const OssV1Signer::Signature expected = m_v1.sign(signing);
    if (!S3Util::constantTimeEquals(expected.authorization, authorization))
        return signatureMismatch(accessKeyId, expected.stringToSign, signature);
    return {};
}

S3Error OssRequestAuthenticator::checkAccessKey(const QByteArray &accessKeyId) const
{
    if (accessKeyId == m_v4.credentials().accessKeyId)
        return {};
    S3Error e = S3Error::make(403, "InvalidAccessKeyId",
        "The OSS Access Key Id you provided does not exist in our "
        "records.");
    e.extra = {{"OSSAccessKeyId", accessKeyId}};
    return e;
}

// Missing token: the key id alone names no usable credential (InvalidAccessKeyId, as OSS answers an STS key id sent
// without its token). A different token: InvalidSecurityToken.
S3Error OssRequestAuthenticator::checkSecurityToken(const HttpRequest &request) const
{
    if (m_securityToken.isEmpty())
        return {};
    if (!request.hasHeader("x-oss-security-token"))
        return S3Error::make(403, "InvalidAccessKeyId", "The security token you provided is required (STS).");
    if (!S3Util::constantTimeEquals(request.header("x-oss-security-token"), m_securityToken))
        return S3Error::make(403, "InvalidSecurityToken", "The security token you provided is invalid.");
    return {};
}

} // namespace StrictS3

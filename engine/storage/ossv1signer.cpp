#include "ossv1signer.h"

#include <QLocale>
#include <QMessageAuthenticationCode>
#include <QSet>

#include <algorithm>

namespace {

// The query parameters OSS includes in the V1 resource (besides any x-oss-* parameter); all others are not signed.
bool isSignedSubResource(const QByteArray &name)
{
    static const QSet<QByteArray> names{"acl", "bucketInfo", "location", "stat", "delete", "append", "tagging",
        "objectMeta", "uploads", "uploadId", "partNumber", "security-token", "position", "response-content-type",
        "response-content-language", "response-expires", "response-cache-control", "response-content-disposition",
        "response-content-encoding", "restore", "callback", "callback-var", "versions", "versioning", "versionId",
        "sequential", "continuation-token", "regionList", "cloudboxes", "symlink"};
    return names.contains(name) || name.startsWith("x-oss-");
}

} // namespace

OssV1Signer::OssV1Signer(AwsCredentials credentials)
    : m_credentials(std::move(credentials))
{ }

QByteArray OssV1Signer::httpDate(const QDateTime &timeUtc)
{
    return QLocale::c().toString(timeUtc.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}

OssV1Signer::Signature OssV1Signer::sign(const OssSigningRequest &request) const
{
    const auto headers = OssSigning::lowerCaseHeaders(request.headers);
    const auto first = [&](const QByteArray &name) {
        const auto it = headers.find(name);
        return it == headers.end() ? QByteArray() : it->second.constFirst();
    };
    QByteArray ossHeaders;
    for (const auto &[name, values] : headers) {
        if (name.startsWith("x-oss-"))
            ossHeaders += name + ':' + values.join(',') + '\n';
    }

    QList<std::pair<QByteArray, QByteArray>> subResources;
    for (const auto &[name, value] : request.query) {
        if (isSignedSubResource(name))
            subResources.append({name, value});
    }
    std::sort(subResources.begin(), subResources.end());
    QByteArrayList items;
    for (const auto &[name, value] : subResources)
        items.append(value.isEmpty() ? name : name + '=' + value); // decoded, as OSS documents
    QByteArray resource = "/";
    if (!request.bucket.isEmpty())
        resource += request.bucket + '/';
    resource += request.key;
    if (!items.isEmpty())
        resource += '?' + items.join('&');

    const QByteArray date = headers.count("date") ? first("date") : first("x-oss-date");
    Signature result;
    result.stringToSign = request.method + '\n' + first("content-md5") + '\n' + first("content-type") + '\n' + date
        + '\n' + ossHeaders + resource;
    const QByteArray mac = QMessageAuthenticationCode::hash(
        result.stringToSign, m_credentials.secretAccessKey, QCryptographicHash::Sha1);
    result.authorization = "OSS " + m_credentials.accessKeyId + ':' + mac.toBase64();
    return result;
}

void OssV1Signer::authorize(OssSigningRequest &request, const QDateTime &timeUtc) const
{
    OssSigning::setHeader(request.headers, "date", httpDate(timeUtc));
    if (!m_credentials.sessionToken.isEmpty())
        OssSigning::setHeader(request.headers, "x-oss-security-token", m_credentials.sessionToken);
    OssSigning::setHeader(request.headers, "authorization", sign(request).authorization);
}

#pragma once

#include "httprequest.h"
#include "s3error.h"

#include <storage/ossv1signer.h>
#include <storage/ossv4signer.h>

#include <QDateTime>

namespace StrictS3 {

// Verifies Alibaba OSS header authentication of one request with the engine's signers: V4
// ("OSS4-HMAC-SHA256 Credential=…,Signature=…", dated by x-oss-date) and V1 ("OSS ak:signature", dated by the Date
// header). The signers rebuild the canonical form from what arrived: bucket and decoded key, decoded query, the
// received headers. With a security token configured, every request must carry it in x-oss-security-token.
class OssRequestAuthenticator
{
public:
    OssRequestAuthenticator(QByteArray accessKey, QByteArray secretKey, QByteArray region, QByteArray securityToken);

    S3Error verify(const HttpRequest &request, const QByteArray &bucket, const QByteArray &key,
        const HeaderList &decodedQuery, const QDateTime &nowUtc) const;

private:
    S3Error verifyV4(const HttpRequest &request, const OssSigningRequest &signing, const QByteArray &authorization,
        const QDateTime &nowUtc) const;
    S3Error verifyV1(const HttpRequest &request, const OssSigningRequest &signing, const QByteArray &authorization,
        const QDateTime &nowUtc) const;
    S3Error checkAccessKey(const QByteArray &accessKeyId) const;
    S3Error checkSecurityToken(const HttpRequest &request) const;

    OssV4Signer m_v4;
    OssV1Signer m_v1;
    QByteArray m_region;
    QByteArray m_securityToken;
};

} // namespace StrictS3

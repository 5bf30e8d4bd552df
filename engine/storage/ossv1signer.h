#pragma once

#include "core/awscredentials.h"
#include "osssigningrequest.h"

#include <QDateTime>

// Alibaba OSS Signature Version 1 ("OSS <id>:<base64 HMAC-SHA1>"), for older deployments that predate V4.
// String to sign: verb, Content-MD5, Content-Type, date, the x-oss-* headers and the resource /bucket/key with only
// the sub-resources OSS signs (uploads, uploadId, partNumber, acl, ...). The date line is the Date header, or
// x-oss-date when there is no Date header.
// Checked against the published vectors of Alibaba's Go SDK v2 (tests/data/oss-signature).
class OssV1Signer
{
public:
    struct Signature
    {
        QByteArray stringToSign;
        QByteArray authorization; // value of the Authorization header
    };

    explicit OssV1Signer(AwsCredentials credentials);

    const AwsCredentials &credentials() const { return m_credentials; }

    Signature sign(const OssSigningRequest &request) const;
    // Adds Date (RFC 1123, from timeUtc) and the security token to request.headers, signs, and adds Authorization.
    void authorize(OssSigningRequest &request, const QDateTime &timeUtc) const;

    static QByteArray httpDate(const QDateTime &timeUtc); // "Wed, 28 Dec 2022 10:27:41 GMT"

private:
    AwsCredentials m_credentials;
};

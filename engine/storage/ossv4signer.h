#pragma once

#include "core/awscredentials.h"
#include "osssigningrequest.h"

#include <QDateTime>

// Alibaba OSS Signature Version 4 ("OSS4-HMAC-SHA256"), header authentication. Like AWS SigV4 in shape, with its
// own rules: the scope is <date>/<region>/oss/aliyun_v4_request and the key chain starts from "aliyun_v4" + secret;
// the canonical URI is /bucket/key; only Content-Type, Content-MD5 and x-oss-* headers are signed by default (not
// Host); an empty query value is a bare name; the payload is always UNSIGNED-PAYLOAD.
// Checked against the published vectors of Alibaba's Go SDK v2 (tests/data/oss-signature).
class OssV4Signer
{
public:
    static constexpr QByteArrayView kAlgorithm = "OSS4-HMAC-SHA256";
    static constexpr QByteArrayView kUnsignedPayload = "UNSIGNED-PAYLOAD";

    struct Signature
    {
        QByteArray canonicalRequest;
        QByteArray stringToSign;
        QByteArray signature; // lower-case hex
        QByteArray authorization; // value of the Authorization header
    };

    OssV4Signer(AwsCredentials credentials, QByteArray region);

    const AwsCredentials &credentials() const { return m_credentials; }

    // Signs request as it is: the caller has already put x-oss-date (matching timeUtc), x-oss-content-sha256 and,
    // for temporary credentials, x-oss-security-token into its headers. The strict test server verifies this way.
    Signature sign(const OssSigningRequest &request, const QDateTime &timeUtc) const;

    // What a client does: adds x-oss-date, Date, x-oss-content-sha256 (UNSIGNED-PAYLOAD) and the security token to
    // request.headers, signs, and adds Authorization.
    void authorize(OssSigningRequest &request, const QDateTime &timeUtc) const;

    static QByteArray canonicalUri(const QByteArray &bucket, const QByteArray &key);

private:
    AwsCredentials m_credentials;
    QByteArray m_region;
};

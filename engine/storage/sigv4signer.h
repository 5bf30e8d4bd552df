#pragma once

#include "core/awscredentials.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>

#include <utility>

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

// What the signer needs to know of a request. Path and query are *decoded*: the signer applies
// the canonical URI-encoding itself, so the client and the strict test server (which decodes what
// arrived on the wire) build the same canonical request.
struct SigningRequest
{
    QByteArray method;
    QByteArray path; // e.g. "/bucket/dir/file name.bin"
    HeaderList query; // decoded name/value pairs, any order; a name without '=' has an empty value
    HeaderList headers; // as sent; repeated names allowed (joined with ',' in the canonical form)
    QByteArray payloadHash; // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

// AWS Signature Version 4, header authentication ("AWS4-HMAC-SHA256").
// Checked against every case of the official AWS SigV4 test suite (tests/data/aws-sig-v4-test-suite).
class SigV4Signer
{
public:
    // S3 neither normalizes paths nor double-encodes them; generic AWS services do both.
    enum class PathMode { S3, Normalized };

    struct Signature
    {
        QByteArray canonicalRequest;
        QByteArray stringToSign;
        QByteArray signedHeaders; // "host;x-amz-date"
        QByteArray signature; // lower-case hex
        QByteArray authorization; // value of the Authorization header
    };

    SigV4Signer(AwsCredentials credentials, QByteArray region, QByteArray service = "s3");

    const AwsCredentials &credentials() const { return m_credentials; }
    const QByteArray &region() const { return m_region; }

    // Signs over every header in request.headers (the caller decides what to send, so what it sends is signed).
    Signature sign(const SigningRequest &request, const QDateTime &timeUtc, PathMode mode = PathMode::S3) const;

    static QByteArray amzDate(const QDateTime &timeUtc); // 20150830T123600Z
    // RFC 3986 percent-encoding of everything but unreserved characters (and '/' when keepSlash).
    static QByteArray uriEncode(QByteArrayView data, bool keepSlash);

private:
    QByteArray canonicalUri(const QByteArray &path, PathMode mode) const;

    AwsCredentials m_credentials;
    QByteArray m_region;
    QByteArray m_service;
};

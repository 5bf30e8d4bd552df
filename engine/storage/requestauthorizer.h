#pragma once

#include "core/awscredentials.h"
#include "endpointprofile.h"
#include "sigv4signer.h"

#include <QDateTime>
#include <QString>

#include <memory>

// Authenticates one request for the protocol the endpoint speaks: adds the date, payload-hash, session-token and
// Authorization headers. S3Client builds requests alike for S3 and OSS; only this step differs.
class RequestAuthorizer
{
public:
    struct Request
    {
        QByteArray method;
        QString bucket; // empty: a service-level request
        QString key; // empty: a bucket-level request
        QByteArray path; // decoded path as sent (EndpointProfile::pathFor)
        HeaderList query; // decoded
        QByteArray payloadHash; // hex SHA-256 of the body or UNSIGNED-PAYLOAD (OSS signs UNSIGNED-PAYLOAD always)
    };

    virtual ~RequestAuthorizer() = default;

    // SigV4 for S3 endpoints; OSS V4 or V1 (profile.signatureVersion) for Alibaba OSS.
    static std::unique_ptr<RequestAuthorizer> create(const EndpointProfile &profile, const AwsCredentials &credentials);

    // headers already holds what the request sends (host, content-type, content-md5, ...); what it signs is
    // what goes on the wire.
    virtual void authorize(const Request &request, HeaderList &headers, const QDateTime &nowUtc) const = 0;
};

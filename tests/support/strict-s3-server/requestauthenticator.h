#pragma once

#include "httprequest.h"
#include "s3error.h"

#include <storage/sigv4signer.h>

#include <QDateTime>

namespace StrictS3 {

// Verifies SigV4 header authentication ("AWS4-HMAC-SHA256") of one request against the single key
// pair the server knows. The canonical request is rebuilt from what arrived on the wire: the decoded
// path and query, and exactly the headers named in SignedHeaders with their received values.
class RequestAuthenticator
{
public:
    RequestAuthenticator(QByteArray accessKey, QByteArray secretKey, QByteArray region);

    S3Error verify(const HttpRequest &request, const QByteArray &decodedPath, const HeaderList &decodedQuery,
        const QDateTime &nowUtc) const;

private:
    SigV4Signer m_signer;
};

} // namespace StrictS3

#pragma once

#include "httprequest.h"
#include "s3error.h"

#include <storage/sigv4signer.h>

#include <QDateTime>
#include <QList>

#include <utility>
#include <vector>

namespace StrictS3 {

// Verifies SigV4 header authentication ("AWS4-HMAC-SHA256") of one request against the key pairs the
// server knows (--access-key/--secret-key, plus any --extra-key). The canonical request is rebuilt from what arrived on
// the wire: the decoded path and query, and exactly the headers named in SignedHeaders with their received values.
class RequestAuthenticator
{
public:
    RequestAuthenticator(QByteArray accessKey, QByteArray secretKey, QByteArray region,
        const QList<std::pair<QByteArray, QByteArray>> &extraKeys = {});

    S3Error verify(const HttpRequest &request, const QByteArray &decodedPath, const HeaderList &decodedQuery,
        const QDateTime &nowUtc) const;

private:
    std::vector<SigV4Signer> m_signers; // one per key pair, the --access-key one first
};

} // namespace StrictS3

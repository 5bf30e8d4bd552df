#pragma once

#include "checkedfile.h"
#include "fileregionbody.h"
#include "httprequest.h"
#include "regiondigester.h"
#include "s3client.h"

#include <QString>

#include <future>
#include <memory>

// How a file's bytes go out, chosen once per file from its plan: as one PutObject (SinglePutSender) or as the parts
// of a multipart upload (UploadPartSender). Everything around a part (the budget, retries, the check of the server's
// ETag against what was hashed, progress) is MultipartUploader's and the same for both.
class PartSender
{
public:
    virtual ~PartSender() = default;

    // Starts hashing the region a part is about to send; an invalid future when it was hashed before.
    [[nodiscard]] virtual std::future<RegionDigest> startDigest(
        const CheckedFile &file, qint64 offset, qint64 size) const = 0;
    // The request that sends body as part partNumber of the multipart upload uploadId.
    [[nodiscard]] virtual HttpRequest request(
        const QString &uploadId, int partNumber, std::shared_ptr<FileRegionBody> body) const = 0;
    // What the bytes the part sent hash to: what startDigest's future gives (usually ready: hashing is faster than
    // the network), else what was hashed before.
    [[nodiscard]] RegionDigest sentDigest(std::future<RegionDigest> &digest) const
    {
        return digest.valid() ? digest.get() : m_hashedBefore;
    }
    // Whether the parts belong to a multipart upload (which the server may lose, and which is completed at the end).
    [[nodiscard]] bool sendsMultipartParts() const { return m_multipart; }

protected:
    PartSender(S3Client &client, QString bucket, QString key, bool multipart, RegionDigest hashedBefore = {})
        : m_client(client)
        , m_bucket(std::move(bucket))
        , m_key(std::move(key))
        , m_multipart(multipart)
        , m_hashedBefore(std::move(hashedBefore))
    { }

    S3Client &m_client;
    const QString m_bucket;
    const QString m_key;

private:
    const bool m_multipart;
    const RegionDigest m_hashedBefore;
};

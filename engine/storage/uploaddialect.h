#pragma once

#include "core/completedpart.h"
#include "endpointprofile.h"
#include "fileregionbody.h"
#include "s3client.h"
#include "storageresult.h"

#include <QByteArray>
#include <QList>

#include <functional>
#include <memory>
#include <optional>

// What differs between S3 and Alibaba OSS when an upload proves its object is made of our bytes. Chosen once per
// uploader (forProfile), so the upload's steps never ask which provider they talk to. S3 proves a multipart object by
// its md5-of-md5s-N ETag; OSS documents no formula for that ETag, so it is proved by the whole object's CRC-64,
// combined from the parts' CRCs (S3UploadDialect, OssUploadDialect). The requests themselves (x-oss-* headers,
// signatures, the per-response CRC check) are S3Client's.
class UploadDialect
{
public:
    // A part's CRC-64, computed from the file (for a part recorded before the catalog kept CRCs).
    using RegionCrc64 = std::function<StorageResult<quint64>(int partNumber)>;

    static std::unique_ptr<UploadDialect> forProfile(const EndpointProfile &profile);
    virtual ~UploadDialect() = default;

    // Whether every byte sent is also hashed to a CRC-64 (besides the MD5 every provider checks).
    [[nodiscard]] bool hashesCrc64() const { return m_hashesCrc64; }
    [[nodiscard]] FileRegionBody::Checksums checksums() const;
    // A verified part as Complete and the catalog keep it (with its CRC-64 when the dialect hashes one).
    [[nodiscard]] CompletedPart completedPart(int partNumber, qint64 size, const QByteArray &etag, quint64 crc64) const;
    // Before Complete, with every verified part in part order: learns what the completed object must show. May fill
    // in parts' missing CRCs.
    [[nodiscard]] virtual StorageResult<void> expectObjectOf(
        QList<CompletedPart> &verified, const RegionCrc64 &regionCrc64)
        = 0;
    // Whether what the server says of the completed object proves it is made of the expected parts: true when it
    // does, false when there is nothing checkable in it, an integrity error when it contradicts them.
    [[nodiscard]] virtual StorageResult<bool> matches(const QByteArray &etag, std::optional<quint64> crc64) const = 0;
    // After Complete's answer was lost: whether the object HEAD describes is exactly the expected one.
    [[nodiscard]] virtual bool isExpectedObject(const ObjectInfo &head, qint64 fileSize) const = 0;

protected:
    explicit UploadDialect(bool hashesCrc64)
        : m_hashesCrc64(hashesCrc64)
    { }

private:
    const bool m_hashesCrc64;
};

#pragma once

#include "uploaddialect.h"

// S3 and the servers that speak it: a part is proved by its MD5 alone, the completed object by S3's multipart ETag,
// the MD5 of the parts' MD5s followed by "-" and the number of parts.
class S3UploadDialect : public UploadDialect
{
public:
    S3UploadDialect()
        : UploadDialect(false)
    { }

    [[nodiscard]] StorageResult<void> expectObjectOf(
        QList<CompletedPart> &verified, const RegionCrc64 &regionCrc64) override;
    [[nodiscard]] StorageResult<bool> matches(const QByteArray &etag, std::optional<quint64> crc64) const override;
    [[nodiscard]] bool isExpectedObject(const ObjectInfo &head, qint64 fileSize) const override;
    // S3's ETag of an object completed from these parts (in part order).
    [[nodiscard]] static QByteArray multipartEtag(const QList<CompletedPart> &parts);

private:
    QByteArray m_expectedEtag;
};

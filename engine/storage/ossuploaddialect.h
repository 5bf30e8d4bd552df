#pragma once

#include "uploaddialect.h"

// Alibaba OSS's native protocol: every part is also proved by its CRC-64/ECMA (x-oss-hash-crc64ecma), and the
// completed object by its CRC-64, which must equal the combination of the parts' CRCs in part order.
class OssUploadDialect : public UploadDialect
{
public:
    OssUploadDialect()
        : UploadDialect(true)
    { }
    [[nodiscard]] StorageResult<void> expectObjectOf(
        QList<CompletedPart> &verified, const RegionCrc64 &regionCrc64) override;
    [[nodiscard]] StorageResult<bool> matches(const QByteArray &etag, std::optional<quint64> crc64) const override;
    [[nodiscard]] bool isExpectedObject(const ObjectInfo &head, qint64 fileSize) const override;

private:
    quint64 m_expectedCrc = 0;
};

#pragma once

#include "partsender.h"

// The parts of a multipart upload as UploadPart requests: each part is hashed on another core (RegionDigester) while
// it streams, so one upload is bounded by all cores' MD5, not one.
class UploadPartSender final : public PartSender
{
public:
    // crc64: also hash each part to a CRC-64 (UploadDialect::hashesCrc64).
    UploadPartSender(S3Client &client, QString bucket, QString key, bool crc64);

    [[nodiscard]] std::future<RegionDigest> startDigest(
        const CheckedFile &file, qint64 offset, qint64 size) const override;
    [[nodiscard]] HttpRequest request(
        const QString &uploadId, int partNumber, std::shared_ptr<FileRegionBody> body) const override;

private:
    const bool m_crc64;
};

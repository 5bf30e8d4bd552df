#pragma once

#include "partsender.h"

// A small file as one PutObject with Content-MD5: the whole file was hashed before the request (the header needs the
// digest before the body), so nothing is hashed while it streams.
class SinglePutSender final : public PartSender
{
public:
    // whole: what the file hashed to (MD5, and CRC-64 when the dialect hashes one).
    SinglePutSender(S3Client &client, QString bucket, QString key, RegionDigest whole);

    // Nothing to start: the file was hashed whole before.
    [[nodiscard]] std::future<RegionDigest> startDigest(
        const CheckedFile &file, qint64 offset, qint64 size) const override;
    // A PutObject of the whole file (its one part) with Content-MD5; there is no multipart upload.
    [[nodiscard]] HttpRequest request(
        const QString &uploadId, int partNumber, std::shared_ptr<FileRegionBody> body) const override;

private:
    const QByteArray m_contentMd5;
};

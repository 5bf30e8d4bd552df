#include "uploadpartsender.h"

UploadPartSender::UploadPartSender(S3Client &client, QString bucket, QString key, bool crc64)
    : PartSender(client, std::move(bucket), std::move(key), true)
    , m_crc64(crc64)
{ }

std::future<RegionDigest> UploadPartSender::startDigest(const CheckedFile &file, qint64 offset, qint64 size) const
{
    // On RegionDigester's pool, beside the transport thread that streams the same bytes.
    return RegionDigester::start(file.descriptor(), offset, size, file.path(), m_crc64);
}

HttpRequest UploadPartSender::request(
    const QString &uploadId, int partNumber, std::shared_ptr<FileRegionBody> body) const
{
    return m_client.uploadPartRequest(m_bucket, m_key, uploadId, partNumber, std::move(body));
}

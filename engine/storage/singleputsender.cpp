#include "singleputsender.h"

SinglePutSender::SinglePutSender(S3Client &client, QString bucket, QString key, RegionDigest whole)
    : PartSender(client, std::move(bucket), std::move(key), false, whole)
    , m_contentMd5(whole.md5)
{ }

std::future<RegionDigest> SinglePutSender::startDigest(const CheckedFile &file, qint64 offset, qint64 size) const
{
    Q_UNUSED(file)
    Q_UNUSED(offset)
    Q_UNUSED(size)
    return {};
}

HttpRequest SinglePutSender::request(
    const QString &uploadId, int partNumber, std::shared_ptr<FileRegionBody> body) const
{
    Q_UNUSED(uploadId)
    Q_UNUSED(partNumber)
    return m_client.putObjectRequest(m_bucket, m_key, std::move(body), m_contentMd5);
}

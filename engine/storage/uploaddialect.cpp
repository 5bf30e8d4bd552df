#include "uploaddialect.h"

#include "ossuploaddialect.h"
#include "s3uploaddialect.h"

std::unique_ptr<UploadDialect> UploadDialect::forProfile(const EndpointProfile &profile)
{
    if (profile.isOss())
        return std::make_unique<OssUploadDialect>();
    return std::make_unique<S3UploadDialect>();
}

CompletedPart UploadDialect::completedPart(int partNumber, qint64 size, const QByteArray &etag, quint64 crc64) const
{
    CompletedPart part{partNumber, size, etag};
    if (m_hashesCrc64)
        part.crc64 = crc64;
    return part;
}

FileRegionBody::Checksums UploadDialect::checksums() const
{
    return hashesCrc64() ? FileRegionBody::Checksums::Md5AndCrc64 : FileRegionBody::Checksums::Md5;
}

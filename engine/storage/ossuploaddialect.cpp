#include "ossuploaddialect.h"

#include "crc64.h"

#include <QObject>

StorageResult<void> OssUploadDialect::expectObjectOf(QList<CompletedPart> &verified, const RegionCrc64 &regionCrc64)
{
    // The parts are sorted by part number and complete: fold their CRCs in order.
    quint64 crc = 0;
    for (CompletedPart &part : verified) {
        if (!part.crc64) {
            // Recorded before the catalog kept CRCs: compute it from the file (unchanged, as checked before Complete).
            auto computed = regionCrc64(part.partNumber);
            if (!computed)
                return computed.error();
            part.crc64 = computed.value();
        }
        crc = Crc64::combine(crc, *part.crc64, quint64(part.size));
    }
    m_expectedCrc = crc;
    return {};
}

StorageResult<bool> OssUploadDialect::matches(const QByteArray &etag, std::optional<quint64> crc64) const
{
    Q_UNUSED(etag)
    // OSS documents no formula for a multipart ETag; its CRC-64 of the whole object is the check.
    if (!crc64)
        return false;
    if (*crc64 != m_expectedCrc) {
        return StorageError::integrity(
            QObject::tr("the completed object's CRC-64 %1 is not the %2 our verified parts make")
                .arg(*crc64)
                .arg(m_expectedCrc));
    }
    return true;
}

bool OssUploadDialect::isExpectedObject(const ObjectInfo &head, qint64 fileSize) const
{
    return head.crc64 == m_expectedCrc && head.size == fileSize;
}

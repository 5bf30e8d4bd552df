#include "partplan.h"

#include <algorithm>

PartPlan::PartPlan(qint64 fileSize, qint64 partSize, int partCount)
    : m_fileSize(fileSize)
    , m_partSize(partSize)
    , m_partCount(partCount)
{ }

StorageResult<PartPlan> PartPlan::make(qint64 fileSize, qint64 preferredPartSize, qint64 minPartSize)
{
    if (fileSize < 0) {
        return StorageError::config(QStringLiteral("Invalid file size %1").arg(fileSize));
    }
    if (fileSize > kMaxObjectSize) {
        return StorageError::config(
            QStringLiteral("File of %1 bytes exceeds the S3 object size limit of 5 TiB").arg(fileSize));
    }

    qint64 partSize = std::clamp(preferredPartSize, minPartSize, kMaxPartSize);
    const auto partsFor = [fileSize](qint64 size) { return (fileSize + size - 1) / size; };
    if (partsFor(partSize) > kMaxParts) {
        // Whole MiB keeps part sizes readable in logs; 5 TiB / 10,000 rounds up to 525 MiB, well under 5 GiB.
        const qint64 needed = (fileSize + kMaxParts - 1) / kMaxParts;
        partSize = (needed + kMiB - 1) / kMiB * kMiB;
    }
    const qint64 partCount = fileSize == 0 ? 1 : partsFor(partSize);
    Q_ASSERT(partCount >= 1 && partCount <= kMaxParts && partSize <= kMaxPartSize);
    return PartPlan(fileSize, partSize, int(partCount));
}

qint64 PartPlan::offsetOf(int partNumber) const
{
    if (partNumber < 1 || partNumber > m_partCount) {
        return -1;
    }
    return qint64(partNumber - 1) * m_partSize;
}

qint64 PartPlan::sizeOf(int partNumber) const
{
    const qint64 offset = offsetOf(partNumber);
    if (offset < 0) {
        return -1;
    }
    return std::min(m_partSize, m_fileSize - offset);
}

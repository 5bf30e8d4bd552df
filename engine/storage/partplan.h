#pragma once

#include <QtGlobal>

#include "storageresult.h"

// How a file is cut into multipart-upload parts: every part but the last has partSize() bytes.
// Immutable value type; cheap to copy.
class PartPlan
{
public:
    static constexpr qint64 kMiB = 1024 * 1024;
    static constexpr qint64 kMinPartSize = 5 * kMiB; // S3
    static constexpr qint64 kOssMinPartSize = 100 * 1024; // Alibaba OSS
    static constexpr qint64 kMaxPartSize = 5LL * 1024 * kMiB;
    static constexpr int kMaxParts = 10000;
    static constexpr qint64 kMaxObjectSize = 5LL * 1024 * 1024 * kMiB; // 5 TiB
    static constexpr qint64 kDefaultPartSize = 8 * kMiB;

    // An empty plan (partCount() == 0, isValid() false), so PartPlan can be a member before a file is known.
    PartPlan() = default;

    // preferredPartSize below minPartSize (the provider's: 5 MiB on S3, 100 KiB on OSS) is raised to it and above
    // 5 GiB lowered to 5 GiB; it is grown (rounded up to a whole MiB) so that no file needs more than 10,000 parts.
    // A 0-byte file is one empty part (CompleteMultipartUpload needs at least one part). Negative sizes or files
    // beyond 5 TiB → StorageError::config.
    static StorageResult<PartPlan> make(
        qint64 fileSize, qint64 preferredPartSize = kDefaultPartSize, qint64 minPartSize = kMinPartSize);

    bool isValid() const { return m_partCount > 0; }
    qint64 fileSize() const { return m_fileSize; }
    qint64 partSize() const { return m_partSize; }
    int partCount() const { return m_partCount; }

    // partNumber is 1-based, as in S3. Both return -1 for a number outside 1..partCount().
    qint64 offsetOf(int partNumber) const;
    qint64 sizeOf(int partNumber) const; // the last part may be smaller

    friend bool operator==(const PartPlan &, const PartPlan &) = default;

private:
    PartPlan(qint64 fileSize, qint64 partSize, int partCount);

    qint64 m_fileSize = 0;
    qint64 m_partSize = 0;
    int m_partCount = 0;
};

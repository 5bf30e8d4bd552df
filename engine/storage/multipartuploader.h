#pragma once

#include "completedpart.h"
#include "fileregionbody.h"
#include "partplan.h"
#include "partslots.h"
#include "retrypolicy.h"
#include "s3client.h"
#include "uploadprogress.h"

#include <QSet>
#include <QString>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>

struct UploadOptions
{
    qint64 partSize = PartPlan::kDefaultPartSize;
    qint64 minPartSize = PartPlan::kMinPartSize; // the provider's (EndpointProfile::minPartSize())
    int concurrency = 4; // parts in flight per file
    qint64 singlePutThreshold = 16 * PartPlan::kMiB; // smaller files: one PutObject with Content-MD5
    RetryPolicy retry;
    // Keep the multipart upload (for a later resume) when retries ran out. A non-retryable failure always aborts
    // it: there is nothing worth resuming. What a cancel does is the caller's choice (CancelMode).
    bool keepIncompleteUpload = false;
    int progressIntervalMs = 100; // at most 10 progress reports a second (+ one per part)
    std::shared_ptr<PartSlots> partSlots; // engine-wide budget of parts in flight; null: none
};

// What a previous attempt left behind, as the sync engine persisted it.
struct ResumeState
{
    QString uploadId;
    QList<CompletedPart> verifiedParts;
};

struct UploadOutcome
{
    QString uploadId; // empty for a single PutObject
    QByteArray etag; // of the object, quotes stripped
    qint64 size = 0;
    int partCount = 0;
};

// Hooks for the layer above (persistence, progress views). Called on the uploader's thread.
class UploadObserver
{
public:
    virtual ~UploadObserver() = default;
    virtual void uploadStarted(const QString &uploadId, const PartPlan &plan)
    {
        Q_UNUSED(uploadId)
        Q_UNUSED(plan)
    }
    // An error stops the upload (kept or aborted as for any failure) and the part does not count as committed: the
    // layer above could not record it, so progress must not claim it.
    virtual StorageResult<void> partVerified(const CompletedPart &part)
    {
        Q_UNUSED(part)
        return {};
    }
    virtual void partFailed(int partNumber, int attempt, const StorageError &error, bool willRetry)
    {
        Q_UNUSED(partNumber)
        Q_UNUSED(attempt)
        Q_UNUSED(error)
        Q_UNUSED(willRetry)
    }
    virtual void progressChanged(const UploadProgress &progress) { Q_UNUSED(progress) }
};

// Uploads one file to one key, on the calling (worker) thread, over the client's CurlTransport.
//
//            size < threshold
//   start ───────────────────────► PutObject (Content-MD5, ETag == MD5) ──────────────► done
//     │ else                                                                            ▲
//     ▼                     resume id given                                             │
//   plan ──► ListParts ──────────────┐                                                  │
//     │ (NoSuchUpload or none)       ▼                                                  │
//     └────► CreateMultipartUpload ─► parts: N in flight ──all verified──► unchanged? ─► Complete
//                                     │  ▲ retryable (backoff, jitter)        │ no
//                                     ▼  │                                   ▼
//                                  part failed ── fatal / cancel ────────► Abort (unless kept) ─► error
//
// Complete answered InvalidPart (the server lost or changed a part it had acknowledged): ListParts, send the parts
// it does not have as we sent them again, Complete again; at most kMaxRepairRounds times.
//
// A part counts as committed only when the server acknowledged it and its ETag equals the MD5 computed while it
// streamed from disk (on OSS also: its x-oss-hash-crc64ecma equals the CRC-64 computed on the way); Complete sends
// only those ETags. At Complete, S3's multipart ETag is checked against the parts' MD5s, OSS's whole-object CRC-64
// against the combination of the parts' CRCs.
class MultipartUploader
{
public:
    enum class CancelMode { Abort, KeepForResume };

    MultipartUploader(S3Client &client, UploadOptions options, UploadObserver *observer = nullptr);
    ~MultipartUploader();

    // How a file of this size is cut: one part below the single-PUT threshold, else parts of options.partSize
    // (grown to stay within 10,000 parts).
    static StorageResult<PartPlan> planFor(qint64 fileSize, const UploadOptions &options);

    StorageResult<UploadOutcome> upload(
        const QString &filePath, const QString &bucket, const QString &key, const ResumeState &resume = {});
    // Thread-safe. In-flight parts stop at once; upload() returns StorageError::cancelled(). The multipart
    // upload is aborted, or kept for a later resume.
    void cancel(CancelMode mode = CancelMode::Abort);
    // Thread-safe. Starts no new part; once the parts in flight have ended, upload() returns
    // StorageError::cancelled() and keeps the multipart upload for a resume (a graceful stop).
    void drain();

private:
    using Clock = std::chrono::steady_clock;
    struct PartTask
    {
        int partNumber = 0;
        int attempts = 0;
        Clock::time_point notBefore;
    };
    struct InFlightPart
    {
        PartTask task;
        std::shared_ptr<FileRegionBody> body;
        bool holdsSlot = false;
    };

    StorageResult<QString> startOrResume(const ResumeState &resume);
    StorageResult<void> runParts();
    void startPart(PartTask task, bool holdsSlot);
    void releaseSlot(const InFlightPart &part);
    void onPartDone(CurlTransport::TransferId id, const StorageResult<HttpResponse> &response);
    StorageResult<QByteArray> complete();
    StorageResult<QByteArray> completeRepairingLostParts();
    // After an InvalidPart: drops the verified parts the server no longer has as we sent them and queues them
    // again. Returns how many were queued.
    StorageResult<int> requeuePartsMissingOnServer();
    QByteArray expectedMultipartEtag() const;
    StorageResult<void> checkUnchanged() const;
    StorageResult<QByteArray> fileMd5() const;
    FileRegionBody::Checksums checksums() const;
    // OSS: the whole object's CRC-64, combined from the verified parts' (computed from disk for any part without one).
    StorageResult<quint64> wholeObjectCrc64();
    StorageResult<quint64> regionCrc64(int partNumber) const;
    static StorageResult<void> readToEnd(FileRegionBody &body);
    void reportProgress(bool force);
    bool waitFor(std::chrono::milliseconds delay); // false when cancelled
    template <typename Operation>
    auto withRetries(Operation &&operation) -> decltype(operation());
    void abandon(const StorageError &error);
    bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

    S3Client &m_client;
    UploadOptions m_options;
    UploadObserver *m_observer;
    std::atomic<bool> m_cancelled{false};
    std::atomic<bool> m_draining{false};
    std::atomic<CancelMode> m_cancelMode{CancelMode::Abort};

    // Per upload() call.
    QString m_filePath;
    QString m_bucket;
    QString m_key;
    QString m_uploadId;
    bool m_singlePut = false;
    QByteArray m_contentMd5;
    int m_fd = -1;
    qint64 m_mtimeMs = 0;
    PartPlan m_plan;
    std::deque<PartTask> m_pending;
    std::map<CurlTransport::TransferId, InFlightPart> m_inFlight;
    QList<CompletedPart> m_verified;
    QSet<int> m_resent; // parts counted in the progress once already (sent again after the server lost them)
    StorageError m_fatal;
    UploadProgress m_progress;
    UploadProgress m_lastReported;
    Clock::time_point m_lastReport;
};

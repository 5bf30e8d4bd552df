#pragma once

#include "checkedfile.h"
#include "controlrequests.h"
#include "core/completedpart.h"
#include "fileregionbody.h"
#include "partplan.h"
#include "partsender.h"
#include "regiondigester.h"
#include "resumestate.h"
#include "s3client.h"
#include "uploaddialect.h"
#include "uploaditem.h"
#include "uploadlistener.h"
#include "uploadoptions.h"
#include "uploadoutcome.h"
#include "uploadprogress.h"

#include <QSet>
#include <QString>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>

// Uploads one file to one key over the client's CurlTransport without ever blocking on the network: begin() starts it,
// pump() starts whatever is due (a request, a retry whose backoff has passed, parts within the budget) and the
// transport's poll() delivers the answers. Many uploaders share one transport, so the files of a job are in flight
// together (UploadJob); upload() is the blocking form for one file.
//
//            size < threshold
//   begin ───────────────────────► PutObject (Content-MD5, ETag == MD5) ─────────────────► Done
//     │ else                                                                              ▲
//     ▼                     resume id given                                               │
//   plan ──► ListParts (pages) ──────┐                                                    │
//     │ (gone or none)               ▼                                                    │
//     └────► CreateMultipartUpload ─► Parts: in flight within the budget ─all verified─► unchanged? ─► Complete
//                                     │  ▲ retryable (backoff, jitter)        │ no           │ InvalidPart
//                                     ▼  │                                   ▼              ▼
//                                  part failed ── fatal / cancel ────────► Aborting ──► Done(error)
//                                                                       (DELETE unless kept)
//
// Complete answered InvalidPart (the server lost or changed a part it had acknowledged): ListParts, send the parts
// it does not have as we sent them again, Complete again; at most kMaxRepairRounds times. Complete answered that the
// upload is gone (a retry after a lost answer): HEAD decides whether the object is ours. "Gone" is decided by meaning
// (isUploadGone: NoSuchUpload, or radosgw's NoSuchKey on a request naming the upload id); an upload gone while its
// parts are sent ends the file with a retryable error, and the next attempt starts it over. Complete answered 200
// with an <Error> body (S3 documents this), or with an empty or garbled body: that is the error it says (or a
// protocol error), retried like any other. Complete answered without a checkable ETag (radosgw 16.2 sends
// <ETag></ETag>): HEAD the object and check the ETag it gives; when the server never gives a checkable one, the
// upload completes with UploadOutcome::etagChecked false.
//
// A part counts as committed only when the server acknowledged it and its ETag equals the MD5 computed while it
// streamed from disk (on OSS also: its x-oss-hash-crc64ecma equals the CRC-64 computed on the way); Complete sends
// only those ETags. At Complete, S3's multipart ETag is checked against the parts' MD5s, OSS's whole-object CRC-64
// against the combination of the parts' CRCs. What differs between the two is the UploadDialect, chosen once.
// How the bytes go out (one PutObject, or UploadPart requests) is the PartSender begin() chooses from the plan.
//
// The implementation is in two files: multipartuploader.cpp (planning, the parts, failing and aborting) and
// multipartcontrol.cpp (the upload's life on the server: ListParts to resume, Create, Complete, its checks, repair).
class MultipartUploader
{
public:
    enum class CancelMode { Abort, KeepForResume };
    // What the upload is doing, as operators see it (the phases below, coarser).
    enum class Activity { Starting, Resuming, Sending, Completing, Stopping };

    // listener: told of this file's events (UploadListener), each naming the item begin() was given; none: nobody is.
    MultipartUploader(S3Client &client, UploadOptions options, UploadListener *listener = nullptr);
    ~MultipartUploader();

    // How a file of this size is cut: one part below the single-PUT threshold, else parts of options.partSize
    // (grown to stay within 10,000 parts).
    static StorageResult<PartPlan> planFor(qint64 fileSize, const UploadOptions &options);
    // The same for a file that may resume: a multipart upload in progress keeps the part size it began with.
    static StorageResult<PartPlan> planFor(qint64 fileSize, const UploadOptions &options, const ResumeState &resume);

    // Blocking: opens filePath (CheckedFile: a regular file, no link), begin() and pump the transport until the file
    // is done.
    StorageResult<UploadOutcome> upload(
        const QString &filePath, const QString &bucket, const QString &key, const ResumeState &resume = {});

    // Non-blocking: takes the checked file, plans it (a small file is read once for its Content-MD5) and queues the
    // first request for item's key, resuming item's upload if it names one. Every byte sent or hashed is read through
    // file's descriptor. An error here (the file cannot be read) means nothing was started. item is what the
    // listener's events name: the caller keeps it alive until the upload is finished.
    [[nodiscard]] StorageResult<void> begin(CheckedFile file, const QString &bucket, const UploadItem &item);
    // Starts what is due; call after every transport poll(). Never waits for the network.
    void pump();
    bool isFinished() const { return m_result.has_value(); }
    // Valid once isFinished().
    const StorageResult<UploadOutcome> &result() const { return *m_result; }
    // True while parts are waiting for a slot of the budget (the job opens no further file meanwhile).
    bool wantsSlot() const;
    // How long the caller may poll before pump() has something to start (a backoff ending), at most kPollSliceMs.
    int pollTimeoutMs() const;
    Activity activity() const;
    // Requests of this file in flight at once from the next pump() on (the job's limits changed). Not thread-safe:
    // call from the thread that pumps.
    void setConcurrency(int concurrency) { m_options.concurrency = std::max(1, concurrency); }
    int requestsInFlight() const { return int(m_inFlight.size()) + (m_control.transfer() ? 1 : 0); }

    // Thread-safe. In-flight parts stop at once; the upload ends with StorageError::cancelled(). The multipart
    // upload is aborted, or kept for a later resume.
    void cancel(CancelMode mode = CancelMode::Abort);
    // Thread-safe. Starts no new part; once the parts in flight have ended, the upload ends with
    // StorageError::cancelled() and keeps the multipart upload for a resume (a graceful stop).
    void drain();

    static constexpr int kPollSliceMs = 100; // how late a cancel or a due retry may be noticed at worst

private:
    using Clock = std::chrono::steady_clock;
    enum class Phase { Idle, Resuming, Creating, Parts, Completing, Confirming, Repairing, Aborting, Done };
    struct PartTask
    {
        int partNumber = 0;
        int attempts = 0;
        Clock::time_point notBefore;
    };
    struct InFlightPart
    {
        PartTask task;
        std::shared_ptr<FileRegionBody> body; // streams the bytes, hashing none of them
        std::future<RegionDigest> digest; // multipart parts: their MD5 (and CRC-64), computed on another core
        bool holdsSlot = false;
    };
    using Answer = ControlRequests::Answer;
    using ListedParts = StorageResult<QList<S3Xml::ListedPart>>;

    // Every page of ListParts for uploadId, then done (with the parts, or the error).
    void listAllParts(const QString &uploadId, std::function<void(const ListedParts &)> done, int marker = 0);

    void resume(const ResumeState &state);
    void adoptResumedParts(const ResumeState &state, const QList<S3Xml::ListedPart> &listed);
    void create();
    void enterParts();
    void runDueParts();
    void partsDone();
    void startPart(PartTask task, bool holdsSlot);
    void releaseSlot(const InFlightPart &part);
    void onPartDone(CurlTransport::TransferId id, const Answer &response);
    void complete();
    void onCompleted(const Answer &answer);
    void confirmAfterLostAnswer(const StorageError &gone);
    // Complete's answer carried no ETag (or CRC-64) we can check: ask HEAD for the object's.
    void checkByHead(const QByteArray &completeEtag);
    void finishUnchecked(const QByteArray &etag, const QString &why);
    void repair(const StorageError &invalidPart);
    // After an InvalidPart: drops the verified parts the server no longer has as we sent them and queues them
    // again. Returns how many were queued.
    int requeuePartsMissingOnServer(const QList<S3Xml::ListedPart> &listed);
    StorageResult<void> checkUnchanged() const;
    // Reads the whole (small) file once for its Content-MD5 (and CRC-64 on OSS), before the PutObject.
    [[nodiscard]] StorageResult<RegionDigest> digestSmallFile() const;
    // Stops every transfer of this file (parts and the control request) at once.
    void cancelTransfers();
    void forgetAbortedUpload();
    StorageResult<quint64> regionCrc64(int partNumber) const;
    static StorageResult<void> readToEnd(FileRegionBody &body);
    void reportProgress(bool force);
    // Stops this file's requests; aborts the multipart upload unless it is kept, then ends with error.
    void fail(StorageError error);
    void finish(StorageResult<UploadOutcome> result);
    bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

    S3Client &m_client;
    UploadOptions m_options;
    UploadListener *m_listener; // never null: UploadListener::none() when nobody listens
    std::unique_ptr<UploadDialect> m_dialect; // S3's or OSS's proofs, chosen once from the client's profile
    std::atomic<bool> m_cancelled{false};
    std::atomic<bool> m_draining{false};
    std::atomic<CancelMode> m_cancelMode{CancelMode::Abort};

    // Per upload.
    Phase m_phase = Phase::Idle;
    const UploadItem *m_item = nullptr; // the caller's (begin()): what the listener's events name
    QString m_filePath;
    QString m_bucket;
    QString m_key;
    QString m_uploadId;
    std::unique_ptr<PartSender> m_sender; // one PutObject, or the parts of a multipart upload: chosen by begin()
    CheckedFile m_file;
    PartPlan m_plan;
    std::deque<PartTask> m_pending;
    std::map<CurlTransport::TransferId, InFlightPart> m_inFlight;
    QList<CompletedPart> m_verified;
    QSet<int> m_resent; // parts counted in the progress once already (sent again after the server lost them)
    ControlRequests m_control;
    QList<S3Xml::ListedPart> m_listed; // pages of ListParts gathered so far
    int m_repairRounds = 0;
    bool m_uploadGone = false; // the server no longer has m_uploadId: never abort it, report it once
    StorageError m_fatal; // set by a part's answer, acted on by the next pump()
    StorageError m_abortedFor; // why the upload is being aborted
    std::optional<StorageResult<UploadOutcome>> m_result;
    UploadProgress m_progress;
    UploadProgress m_lastReported;
    Clock::time_point m_lastReport;
};

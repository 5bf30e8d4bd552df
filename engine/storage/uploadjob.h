#pragma once

#include "curltransport.h"
#include "endpointprofile.h"
#include "multipartuploader.h"
#include "speedestimator.h"
#include "transferprogress.h"
#include "uploaditem.h"
#include "uploadlistener.h"

#include <QMutex>
#include <QObject>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <vector>

class QThread;

struct UploadJobSpec
{
    EndpointProfile profile;
    AwsCredentials credentials;
    TransportOptions transport;
    UploadOptions options;
    QString bucket;
    QList<UploadItem> items;
    int speedWindowMs = 5000; // bytesPerSecond is the average over this long (see SpeedEstimator)
};

// Uploads a list of files on its own worker QThread, many at once over one CurlTransport (one connection pool): the
// whole small files and the parts of large ones draw from one budget of requests in flight (options.concurrency,
// nested under the engine's options.partSlots), so a folder of 5,000 frames keeps the link as busy as one large
// file. Files are opened in order, and a new one only when the budget has room that the open ones cannot use.
// Reports like a KJob: amounts by unit in TransferProgress, speed, ETA; killable from any thread.
// Signals are emitted from the worker thread, so receivers in other threads get them queued. The layer above follows
// each file on the worker thread through an UploadListener: the job listens to its files' uploaders, keeps what it
// needs of their events (progress, bytes verified, retries) and passes every event on, with its own.
//
//   created ──start()──► running ──every file verified (+ afterAllFiles)──► finished(no error)
//                           │ ├──── a file failed (the others stop) ► finished(error)
//                           │ └──── kill() ────────────────────────► finished(Cancelled)
class UploadJob : public QObject, private UploadListener
{
    Q_OBJECT

public:
    // listener: told of every event of the job and its files, on the worker thread; may be null.
    explicit UploadJob(UploadJobSpec spec, UploadListener *listener = nullptr, QObject *parent = nullptr);
    ~UploadJob() override; // kills a running job and waits for its thread

    // A file → [key]; a folder → every regular file below it as key/relative/path (see LocalFiles::scan).
    static StorageResult<QList<UploadItem>> itemsForPath(const QString &localPath, const QString &key);
    // What is verified of these items before any job runs: files done by an earlier attempt, the parts their
    // multipart uploads verified, the totals as a job with these options would cut them. Runtime figures are zero.
    // The one rule for a job's start and for an episode at rest.
    static TransferProgress verifiedProgress(const QList<UploadItem> &items, const UploadOptions &options);

    void start();
    // Thread-safe. keepUploads: leave multipart uploads in place for a later resume (pause, shutdown)
    // instead of aborting them (the user cancelled).
    void kill(MultipartUploader::CancelMode mode = MultipartUploader::CancelMode::Abort);
    // Thread-safe graceful stop: the parts in flight finish (and are reported), no new part or file starts, then
    // finished(Cancelled) with the multipart uploads kept for a resume. kill() still stops at once.
    void drain();
    // Thread-safe: new limits for the rest of the job (settings applied live): requests in flight at once
    // (options.concurrency) and the part size of the files it has not opened yet; a file in progress keeps its
    // parts. Applied by the worker at its next turn.
    void setLimits(int concurrency, qint64 partSize);
    bool wait(int timeoutMs); // for the thread to end
    TransferProgress progress() const; // thread-safe snapshot

Q_SIGNALS:
    void progressChanged(const TransferProgress &progress);
    void storageAnswered(); // once per job: the first HTTP answer from the storage (any status)
    void fileCompleted(const QString &key, const QByteArray &etag, int partCount);
    void partRetrying(const QString &key, int partNumber, int attempt, const StorageError &error);
    void finished(const StorageError &error); // kind None on success

private:
    struct ActiveFile;
    // The events of the files' uploaders (UploadListener), on the worker thread: the job keeps what it needs of them
    // and passes each on to m_listener.
    void uploadStarted(const UploadItem &item, const QString &uploadId, const PartPlan &plan) override;
    StorageResult<void> partVerified(const UploadItem &item, const CompletedPart &part) override;
    void partFailed(
        const UploadItem &item, int partNumber, int attempt, const StorageError &error, bool willRetry) override;
    void uploadProgressed(const UploadItem &item, const UploadProgress &progress) override;
    void uploadGone(const UploadItem &item, const QString &uploadId, const StorageError &error) override;
    void uploadAborted(const UploadItem &item, const QString &uploadId) override;
    UploadListener &listener() const { return m_listener ? *m_listener : UploadListener::none(); }

    void run();
    StorageError uploadAll(S3Client &client);
    // Opens the next file of the queue and begins its upload; an error fails the job.
    StorageResult<std::unique_ptr<ActiveFile>> openFile(S3Client &client, int index, const UploadOptions &options);
    // Accounts a finished file; returns its error, if any.
    StorageError reap(const ActiveFile &file);
    // Takes what setLimits() asked for into the options of files opened from now on and the job's budget.
    void applyNewLimits(const std::deque<int> &queue, const std::vector<std::unique_ptr<ActiveFile>> &open,
        UploadOptions *fileOptions, size_t *maxOpenFiles);
    void publish(bool force);
    static constexpr qint64 kIdleReportMs = 1000;
    // The job's stage from its open files (the most advanced activity wins).
    void updateStage(const std::vector<std::unique_ptr<ActiveFile>> &open);
    void noteAnswers(const CurlTransport &transport);

    UploadJobSpec m_spec;
    UploadListener *m_listener; // may be null
    QThread *m_thread = nullptr;
    std::atomic<bool> m_killed{false};
    bool m_answerNoted = false; // worker thread only: storageAnswered was emitted
    std::atomic<bool> m_draining{false};
    std::atomic<MultipartUploader::CancelMode> m_killMode{MultipartUploader::CancelMode::Abort};
    std::atomic<int> m_newConcurrency{0}; // setLimits(), taken by the worker when m_limitsChanged
    std::atomic<qint64> m_newPartSize{0};
    std::atomic<bool> m_limitsChanged{false};

    mutable QMutex m_mutex; // guards the members below
    CurlTransport *m_transport = nullptr; // while run() is running: woken by kill() and drain()
    TransferProgress m_progress;
    qint64 m_bytesOfFinishedFiles = 0;
    qint64 m_verifiedThisAttempt = 0; // bytes verified by this job (the speed is measured over what moved now)
    int m_partsOfFinishedFiles = 0;
    std::shared_ptr<PartSlots> m_budget; // the job's own budget of requests in flight (under the engine's)
    // The last report of each file in flight, by its item in m_spec.items (never changed, so the items stay put).
    std::map<const UploadItem *, UploadProgress> m_openFiles;
    SpeedEstimator m_speed;
    qint64 m_lastEmitMs = 0;
    bool m_unpublished = false; // a change not emitted yet (reports are coalesced to progressIntervalMs)
};

#pragma once

#include "curltransport.h"
#include "endpointprofile.h"
#include "multipartuploader.h"
#include "speedestimator.h"
#include "transferprogress.h"

#include <QMutex>
#include <QObject>

#include <atomic>

class QThread;

struct UploadItem
{
    QString filePath;
    QString key;
    qint64 size = 0;
};

struct UploadJobSpec
{
    EndpointProfile profile;
    AwsCredentials credentials;
    TransportOptions transport;
    UploadOptions options;
    QString bucket;
    QList<UploadItem> items;
};

// Uploads a list of files, one after the other (each with N parts in flight), on its own worker QThread.
// Reports like a KJob: amounts by unit in TransferProgress, speed, ETA; killable from any thread.
// Signals are emitted from the worker thread, so receivers in other threads get them queued.
//
//   created ──start()──► running ──every file verified──► finished(no error)
//                           │ ├──── a file failed ──────► finished(error)
//                           │ └──── kill() ─────────────► finished(Cancelled)
class UploadJob : public QObject
{
    Q_OBJECT

public:
    explicit UploadJob(UploadJobSpec spec, QObject *parent = nullptr);
    ~UploadJob() override; // kills a running job and waits for its thread

    // A file → [key]; a folder → every regular file below it as key/relative/path (sorted; symlinks skipped,
    // never followed out of the folder). Empty folders and unreadable paths are errors.
    static StorageResult<QList<UploadItem>> itemsForPath(const QString &localPath, const QString &key);

    void start();
    void kill(); // thread-safe
    bool isRunning() const;
    TransferProgress progress() const; // thread-safe snapshot

Q_SIGNALS:
    void progressChanged(const TransferProgress &progress);
    void fileCompleted(const QString &key, const QByteArray &etag, int partCount);
    void partRetrying(const QString &key, int partNumber, int attempt, const StorageError &error);
    void finished(const StorageError &error); // kind None on success

private:
    class Observer;
    void run();
    void publish(const UploadProgress &fileProgress);

    UploadJobSpec m_spec;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_killed{false};

    mutable QMutex m_mutex; // guards the members below
    MultipartUploader *m_current = nullptr;
    TransferProgress m_progress;
    qint64 m_bytesBeforeCurrent = 0;
    int m_partsBeforeCurrent = 0;
    SpeedEstimator m_speed;
};

#include "uploadjob.h"

#include "localfiles.h"

#include <QFileInfo>

#include <QDateTime>
#include <QLoggingCategory>
#include <QThread>

Q_LOGGING_CATEGORY(lcUploadJob, "keystone.storage.job", QtWarningMsg)

class UploadJob::Observer final : public UploadObserver
{
public:
    Observer(UploadJob &job, const UploadItem &item)
        : m_job(job)
        , m_item(item)
    { }
    void uploadStarted(const QString &uploadId, const PartPlan &plan) override
    {
        if (m_job.m_hooks)
            m_job.m_hooks->uploadStarted(m_item, uploadId, plan);
    }
    StorageResult<void> partVerified(const CompletedPart &part) override
    {
        return m_job.m_hooks ? m_job.m_hooks->partVerified(m_item, part) : StorageResult<void>{};
    }
    void progressChanged(const UploadProgress &progress) override { m_job.publish(progress); }
    void partFailed(int partNumber, int attempt, const StorageError &error, bool willRetry) override
    {
        if (m_job.m_hooks)
            m_job.m_hooks->partFailed(m_item, partNumber, error, willRetry);
        if (willRetry)
            Q_EMIT m_job.partRetrying(m_item.key, partNumber, attempt, error);
    }

private:
    UploadJob &m_job;
    const UploadItem &m_item;
};

UploadJob::UploadJob(UploadJobSpec spec, UploadJobHooks *hooks, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_hooks(hooks)
    , m_speed(m_spec.speedHorizonMs)
{
    qRegisterMetaType<TransferProgress>();
    qRegisterMetaType<StorageError>();
    for (const UploadItem &item : std::as_const(m_spec.items)) {
        m_progress.totalBytes += item.size;
        const auto plan = MultipartUploader::planFor(item.size, m_spec.options);
        const int parts = plan ? plan.value().partCount() : 1;
        m_progress.partsTotal += parts;
        if (!item.completedEtag.isEmpty()) {
            m_bytesBeforeCurrent += item.size;
            m_partsBeforeCurrent += parts;
            ++m_progress.filesCompleted;
        }
    }
    m_progress.committedBytes = m_bytesBeforeCurrent;
    m_progress.partsCompleted = m_partsBeforeCurrent;
    m_progress.filesTotal = int(m_spec.items.size());
}

UploadJob::~UploadJob()
{
    kill();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

StorageResult<QList<UploadItem>> UploadJob::itemsForPath(const QString &localPath, const QString &key)
{
    const auto files = LocalFiles::scan(localPath);
    if (!files)
        return files.error();
    QList<UploadItem> items;
    const bool single = files.value().size() == 1 && QFileInfo(localPath).isFile();
    const QString prefix = key.endsWith(QLatin1Char('/')) || key.isEmpty() ? key : key + QLatin1Char('/');
    for (const LocalFile &file : files.value())
        items.append({file.absolutePath, single ? key : prefix + file.relativePath, file.size, {}, {}});
    return items;
}

void UploadJob::start()
{
    Q_ASSERT(!m_thread);
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("upload-job"));
    m_thread->start();
}

void UploadJob::kill(MultipartUploader::CancelMode mode)
{
    m_killMode.store(mode);
    m_killed.store(true);
    QMutexLocker lock(&m_mutex);
    if (m_current)
        m_current->cancel(mode);
}

void UploadJob::drain()
{
    m_draining.store(true);
    QMutexLocker lock(&m_mutex);
    if (m_current)
        m_current->drain();
}

bool UploadJob::wait(int timeoutMs)
{
    return !m_thread || m_thread->wait(QDeadlineTimer(timeoutMs));
}

TransferProgress UploadJob::progress() const
{
    QMutexLocker lock(&m_mutex);
    return m_progress;
}

void UploadJob::publish(const UploadProgress &fileProgress)
{
    TransferProgress snapshot;
    {
        QMutexLocker lock(&m_mutex);
        m_progress.committedBytes = m_bytesBeforeCurrent + fileProgress.committedBytes;
        m_progress.inflightBytes = fileProgress.inflightBytes;
        m_progress.partsCompleted = m_partsBeforeCurrent + fileProgress.partsCompleted;
        m_speed.addSample(m_progress.committedBytes + m_progress.inflightBytes, QDateTime::currentMSecsSinceEpoch());
        m_progress.bytesPerSecond = m_speed.bytesPerSecond();
        m_progress.etaSeconds
            = m_speed.etaSeconds(m_progress.totalBytes - m_progress.committedBytes - m_progress.inflightBytes);
        snapshot = m_progress;
    }
    Q_EMIT progressChanged(snapshot);
}

void UploadJob::run()
{
    CurlTransport transport(m_spec.transport);
    S3Client client(m_spec.profile, m_spec.credentials, transport);
    const StorageError failure = uploadAll(client);
    if (m_hooks)
        m_hooks->jobFinished();
    if (failure.isError())
        qCInfo(lcUploadJob) << "job failed:" << failure.toString();
    Q_EMIT finished(failure);
}

StorageError UploadJob::uploadAll(S3Client &client)
{
    for (const UploadItem &item : std::as_const(m_spec.items)) {
        if (!item.completedEtag.isEmpty())
            continue;
        if (m_hooks) {
            if (const auto ready = m_hooks->beforeFile(item); !ready)
                return ready.error();
        }
        Observer observer(*this, item);
        MultipartUploader uploader(client, m_spec.options, &observer);
        {
            QMutexLocker lock(&m_mutex);
            if (m_killed.load() || m_draining.load())
                return StorageError::cancelled();
            m_current = &uploader;
        }
        const auto outcome = uploader.upload(item.filePath, m_spec.bucket, item.key, item.resume);
        {
            QMutexLocker lock(&m_mutex);
            m_current = nullptr;
            if (outcome) {
                m_bytesBeforeCurrent += item.size;
                m_partsBeforeCurrent += outcome.value().partCount;
                ++m_progress.filesCompleted;
            }
        }
        if (!outcome)
            return outcome.error();
        if (m_hooks)
            m_hooks->fileCompleted(item, outcome.value().etag);
        Q_EMIT fileCompleted(item.key, outcome.value().etag, outcome.value().partCount);
    }
    if (m_killed.load() || m_draining.load())
        return StorageError::cancelled();
    if (m_hooks) {
        if (const auto done = m_hooks->afterAllFiles(client); !done)
            return done.error();
    }
    return {};
}

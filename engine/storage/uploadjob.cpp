#include "uploadjob.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QThread>

Q_LOGGING_CATEGORY(lcUploadJob, "keystone.storage.job", QtWarningMsg)

class UploadJob::Observer final : public UploadObserver
{
public:
    Observer(UploadJob &job, QString key)
        : m_job(job)
        , m_key(std::move(key))
    { }
    void progressChanged(const UploadProgress &progress) override { m_job.publish(progress); }
    void partFailed(int partNumber, int attempt, const StorageError &error, bool willRetry) override
    {
        if (willRetry)
            Q_EMIT m_job.partRetrying(m_key, partNumber, attempt, error);
    }

private:
    UploadJob &m_job;
    QString m_key;
};

UploadJob::UploadJob(UploadJobSpec spec, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
{
    qRegisterMetaType<TransferProgress>();
    qRegisterMetaType<StorageError>();
    for (const UploadItem &item : std::as_const(m_spec.items)) {
        m_progress.totalBytes += item.size;
        const auto plan = MultipartUploader::planFor(item.size, m_spec.options);
        m_progress.partsTotal += plan ? plan.value().partCount() : 1;
    }
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
    const QFileInfo root(localPath);
    if (!root.exists())
        return StorageError::config(tr("%1 does not exist").arg(localPath));
    if (!root.isReadable())
        return StorageError::config(tr("%1 is not readable").arg(localPath));
    if (root.isFile())
        return QList<UploadItem>{{root.absoluteFilePath(), key, root.size()}};

    QList<UploadItem> items;
    const QDir base(root.absoluteFilePath());
    QDirIterator it(base.path(), QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo file(it.next());
        if (!file.isReadable())
            return StorageError::config(tr("%1 is not readable").arg(file.filePath()));
        const QString prefix = key.endsWith(QLatin1Char('/')) || key.isEmpty() ? key : key + QLatin1Char('/');
        items.append({file.absoluteFilePath(), prefix + base.relativeFilePath(file.absoluteFilePath()), file.size()});
    }
    if (items.isEmpty())
        return StorageError::config(tr("%1 contains no files").arg(localPath));
    std::sort(items.begin(), items.end(), [](const UploadItem &a, const UploadItem &b) { return a.key < b.key; });
    return items;
}

void UploadJob::start()
{
    Q_ASSERT(!m_thread);
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("upload-job"));
    m_thread->start();
}

void UploadJob::kill()
{
    m_killed.store(true);
    QMutexLocker lock(&m_mutex);
    if (m_current)
        m_current->cancel();
}

bool UploadJob::isRunning() const
{
    return m_thread && m_thread->isRunning();
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
    StorageError failure;
    for (const UploadItem &item : std::as_const(m_spec.items)) {
        Observer observer(*this, item.key);
        MultipartUploader uploader(client, m_spec.options, &observer);
        {
            QMutexLocker lock(&m_mutex);
            if (m_killed.load()) {
                failure = StorageError::cancelled();
                break;
            }
            m_current = &uploader;
        }
        const auto outcome = uploader.upload(item.filePath, m_spec.bucket, item.key);
        {
            QMutexLocker lock(&m_mutex);
            m_current = nullptr;
            if (outcome) {
                m_bytesBeforeCurrent += item.size;
                m_partsBeforeCurrent += outcome.value().partCount;
                ++m_progress.filesCompleted;
            }
        }
        if (!outcome) {
            failure = outcome.error();
            qCInfo(lcUploadJob) << "upload of" << item.key << "failed:" << failure.toString();
            break;
        }
        qCInfo(lcUploadJob) << "uploaded" << item.key << "ETag" << outcome.value().etag;
        Q_EMIT fileCompleted(item.key, outcome.value().etag, outcome.value().partCount);
    }
    Q_EMIT finished(failure);
}

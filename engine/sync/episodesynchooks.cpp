#include "episodesynchooks.h"

#include "episodemanifest.h"
#include "storage/s3client.h"
#include "syncjournal.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcEpisodeSync, "keystone.sync.episode", QtWarningMsg)

EpisodeSyncHooks::EpisodeSyncHooks(QString dataDir, EpisodeRecord episode, QList<EpisodeFileRecord> files,
    QString bucket, QString episodeKeyPrefix, std::shared_ptr<SyncCounterSet> counters, SyncJournal *journal)
    : m_dataDir(std::move(dataDir))
    , m_episode(std::move(episode))
    , m_files(std::move(files))
    , m_bucket(std::move(bucket))
    , m_keyPrefix(std::move(episodeKeyPrefix))
    , m_counters(std::move(counters))
    , m_journal(journal)
{ }

EpisodeSyncHooks::~EpisodeSyncHooks() = default;

QList<UploadItem> EpisodeSyncHooks::uploadItems() const
{
    return uploadItems(m_episode, m_files, m_keyPrefix);
}

QList<UploadItem> EpisodeSyncHooks::uploadItems(
    const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files, const QString &episodeKeyPrefix)
{
    // One stat of the episode's root, not one per file: a folder's files are root/<relative path>.
    const QFileInfo root(episode.localPath);
    const bool folder = root.isDir();
    QList<UploadItem> items;
    for (const EpisodeFileRecord &file : files) {
        UploadItem item;
        item.filePath
            = folder ? root.absoluteFilePath() + QLatin1Char('/') + file.relativePath : root.absoluteFilePath();
        item.key = ObjectKeys::objectKey(episodeKeyPrefix, file.relativePath);
        item.size = file.size;
        item.completedEtag = file.etag;
        item.completedEtagChecked = file.etagChecked;
        item.resume = {file.uploadId, file.parts, file.partSize};
        item.rootPath = root.absoluteFilePath();
        item.relativePath = folder ? file.relativePath : QString();
        item.expected = file.identity();
        items.append(item);
    }
    return items;
}

Catalog *EpisodeSyncHooks::catalog()
{
    if (!m_catalog) {
        auto opened = Catalog::open(m_dataDir);
        if (!opened) {
            noteCatalogFailure(opened.error().message, "catalog");
            return nullptr;
        }
        m_catalog = std::move(opened.value());
    }
    return m_catalog.get();
}

EpisodeFileRecord *EpisodeSyncHooks::fileFor(const UploadItem &item)
{
    const QString relative = item.key.mid(m_keyPrefix.size() + 1);
    for (EpisodeFileRecord &file : m_files) {
        if (file.relativePath == relative)
            return &file;
    }
    return nullptr;
}

StorageError EpisodeSyncHooks::noteCatalogFailure(const QString &message, const char *what)
{
    qCWarning(lcEpisodeSync) << "episode" << m_episode.id << what << "not recorded:" << message;
    {
        QMutexLocker lock(&m_mutex);
        if (m_catalogFailure.isEmpty())
            m_catalogFailure = message;
    }
    return stoppedForCatalog();
}

StorageError EpisodeSyncHooks::stoppedForCatalog() const
{
    StorageError error = StorageError::localIo(tr("the catalog cannot be written: %1").arg(catalogFailure()));
    error.retryable = true; // so the multipart upload is kept: once the catalog works, its recorded parts resume
    return error;
}

StorageResult<void> EpisodeSyncHooks::checkRecorded(const CatalogResult<void> &result, const char *what)
{
    if (!result)
        return noteCatalogFailure(result.error().message, what);
    return {};
}

bool EpisodeSyncHooks::catalogFailed() const
{
    QMutexLocker lock(&m_mutex);
    return !m_catalogFailure.isEmpty();
}

QString EpisodeSyncHooks::catalogFailure() const
{
    QMutexLocker lock(&m_mutex);
    return m_catalogFailure;
}

StorageResult<void> EpisodeSyncHooks::beforeFile(const UploadItem &item)
{
    if (catalogFailed()) // the catalog could not follow the last file: start no other
        return stoppedForCatalog();
    // That it is still the file registered is checked on the descriptor it is read through (CheckedFile), never
    // here by path: a stat by path follows links and can be raced.
    if (!fileFor(item))
        return StorageError::fileMissing(tr("%1 is not a file of the episode").arg(item.filePath));
    return {};
}

void EpisodeSyncHooks::fileOpened(const UploadItem &item, const FileIdentity &found)
{
    EpisodeFileRecord *file = fileFor(item);
    if (!file || file->knowsInode() || !catalog())
        return;
    // Registered before the catalog kept devices and inodes: the file as first opened (size and mtime matched) is
    // the one later attempts compare with.
    file->device = found.device;
    file->inode = found.inode;
    checkRecorded(m_catalog->setFileIdentity(m_episode.id, file->relativePath, found), "file identity");
}

void EpisodeSyncHooks::uploadStarted(const UploadItem &item, const QString &uploadId, const PartPlan &plan)
{
    EpisodeFileRecord *file = fileFor(item);
    if (!file || uploadId.isEmpty() || !catalog())
        return;
    file->uploadId = uploadId;
    file->partSize = plan.partSize();
    // A failure here shows at the first verified part, which is then refused.
    checkRecorded(m_catalog->setFileUpload(m_episode.id, file->relativePath, uploadId, plan.partSize()), "upload id");
}

void EpisodeSyncHooks::uploadGone(const UploadItem &item, const QString &uploadId, const StorageError &error)
{
    EpisodeFileRecord *file = fileFor(item);
    if (!file)
        return;
    if (m_journal)
        m_journal->uploadGone(m_episode, file->relativePath, uploadId, error);
    forgetUpload(file, uploadId);
}

void EpisodeSyncHooks::uploadAborted(const UploadItem &item, const QString &uploadId)
{
    if (EpisodeFileRecord *file = fileFor(item))
        forgetUpload(file, uploadId);
}

void EpisodeSyncHooks::forgetUpload(EpisodeFileRecord *file, const QString &uploadId)
{
    if (file->uploadId != uploadId)
        return; // already replaced by a newer upload
    file->uploadId.clear();
    file->parts.clear();
    // Cleared, not kept until a new upload starts: if the start fails, a Retry must not try the stale id again.
    if (!catalog())
        return;
    const auto cleared = m_catalog->setFileUpload(m_episode.id, file->relativePath, {}, 0);
    if (!cleared && cleared.error().code == CatalogError::Code::NotFound)
        return; // the episode was removed (its upload aborted on the way out): nothing left to forget
    checkRecorded(cleared, "forgotten upload id");
}

void EpisodeSyncHooks::partFailed(const UploadItem &, int, int, const StorageError &, bool willRetry)
{
    m_counters->partFailed(willRetry);
}

StorageResult<void> EpisodeSyncHooks::partVerified(const UploadItem &item, const CompletedPart &part)
{
    EpisodeFileRecord *file = fileFor(item);
    if (file && !file->uploadId.isEmpty()) { // a single PutObject has no parts to resume
        // Progress the catalog cannot record is not claimed: the part counts only once it is saved.
        if (catalogFailed() || !catalog())
            return stoppedForCatalog();
        if (auto saved
            = checkRecorded(m_catalog->addVerifiedPart(m_episode.id, file->relativePath, part), "verified part");
            !saved)
            return saved;
    }
    m_counters->partVerified(part.size);
    return {};
}

void EpisodeSyncHooks::fileUploaded(const UploadItem &item, const QByteArray &etag, bool etagChecked)
{
    EpisodeFileRecord *file = fileFor(item);
    if (!file)
        return;
    if (!etagChecked && m_journal) // the operator's line in words: the parts were checked, the whole was not
        m_journal->etagUnchecked(m_episode, file->relativePath, etag);
    file->etag = etag;
    file->etagChecked = etagChecked;
    file->uploadId.clear();
    file->parts.clear();
    if (catalog())
        checkRecorded(
            m_catalog->setFileCompleted(m_episode.id, file->relativePath, etag, etagChecked), "completed file");
}

StorageResult<void> EpisodeSyncHooks::afterAllFiles(S3Client &client)
{
    if (catalogFailed()) // no completion marker for an episode the catalog could not follow
        return stoppedForCatalog();
    const EpisodeManifest manifest = EpisodeManifest::of(m_episode, m_files, m_keyPrefix);
    auto etag = client.putSmallObject(m_bucket, manifestKey(m_keyPrefix), manifest.json, "application/json");
    if (!etag)
        return etag.error();
    QMutexLocker lock(&m_mutex);
    m_manifestEtag = etag.value();
    m_etagsUnchecked = manifest.etagsUnchecked;
    return {};
}

void EpisodeSyncHooks::jobFinished()
{
    m_catalog.reset(); // the connection belongs to this (worker) thread
}

QByteArray EpisodeSyncHooks::manifestEtag() const
{
    QMutexLocker lock(&m_mutex);
    return m_manifestEtag;
}

int EpisodeSyncHooks::etagsUnchecked() const
{
    QMutexLocker lock(&m_mutex);
    return m_etagsUnchecked;
}

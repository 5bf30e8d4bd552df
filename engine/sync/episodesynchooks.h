#pragma once

#include "catalog/catalog.h"
#include "objectkeys.h"
#include "storage/uploadlistener.h"
#include "synccounters.h"
#include "syncjournal.h"

#include <QCoreApplication>
#include <QMutex>

// The UploadListener of one episode's UploadJob, on the job's worker thread: binds the job to the catalog. Checks
// each file is one of the episode's, persists every verified part and finished file as it happens (a crash loses at
// most the parts in flight), counts parts for the engine's counters, says in the journal what the operator should
// know, and writes the manifest object last, as the completion marker. When the catalog cannot be written (disk
// full, read-only), the job stops: a part that cannot be recorded is not counted, and no manifest is written for an
// episode whose files the catalog could not follow.
class EpisodeSyncHooks final : public UploadListener
{
    Q_DECLARE_TR_FUNCTIONS(EpisodeSyncHooks)

public:
    EpisodeSyncHooks(QString dataDir, EpisodeRecord episode, QList<EpisodeFileRecord> files, QString bucket,
        QString episodeKeyPrefix, std::shared_ptr<SyncCounterSet> counters, SyncJournal *journal = nullptr);
    ~EpisodeSyncHooks() override;

    // The manifest sits beside the episode's folder of objects, so no file of the episode can collide with it.
    static QString manifestKey(const QString &episodeKeyPrefix) { return ObjectKeys::manifestKey(episodeKeyPrefix); }
    // The job's items, in catalog order; files finished by an earlier attempt are marked done, unfinished multipart
    // uploads carry their resume state.
    QList<UploadItem> uploadItems() const;
    static QList<UploadItem> uploadItems(
        const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files, const QString &episodeKeyPrefix);

    StorageResult<void> beforeFile(const UploadItem &item) override;
    void fileOpened(const UploadItem &item, const FileIdentity &found) override;
    void uploadStarted(const UploadItem &item, const QString &uploadId, const PartPlan &plan) override;
    // Forgets the upload id and its parts in the catalog (no later attempt or Retry sends it again) and says so in
    // the journal.
    void uploadGone(const UploadItem &item, const QString &uploadId, const StorageError &error) override;
    // The same without a journal line: we aborted it, and the failure that made us is what the operator reads.
    void uploadAborted(const UploadItem &item, const QString &uploadId) override;
    StorageResult<void> partVerified(const UploadItem &item, const CompletedPart &part) override;
    void partFailed(
        const UploadItem &item, int partNumber, int attempt, const StorageError &error, bool willRetry) override;
    void fileUploaded(const UploadItem &item, const QByteArray &etag, bool etagChecked) override;
    StorageResult<void> afterAllFiles(S3Client &client) override;
    void jobFinished() override;

    QByteArray manifestEtag() const; // valid once the job finished successfully
    // Files the manifest marks "etag_checked": false (EpisodeRecord::etagsUnchecked); valid with manifestEtag().
    int etagsUnchecked() const;
    // Why the catalog could not be written during the job (empty: it could). Read after the job finished.
    QString catalogFailure() const;

private:
    Catalog *catalog(); // opened lazily on the worker thread
    EpisodeFileRecord *fileFor(const UploadItem &item);
    // Clears the file's upload id and parts, here and in the catalog, unless a newer upload replaced uploadId.
    void forgetUpload(EpisodeFileRecord *file, const QString &uploadId);
    // Remembers the first catalog write that failed; returns the error that stops the job.
    StorageError noteCatalogFailure(const QString &message, const char *what);
    StorageError stoppedForCatalog() const;
    StorageResult<void> checkRecorded(const CatalogResult<void> &result, const char *what);
    bool catalogFailed() const;

    QString m_dataDir;
    EpisodeRecord m_episode;
    QList<EpisodeFileRecord> m_files;
    QString m_bucket;
    QString m_keyPrefix;
    std::unique_ptr<Catalog> m_catalog;
    std::shared_ptr<SyncCounterSet> m_counters;
    SyncJournal *m_journal; // may be null (tests); thread-safe where the hooks call it
    mutable QMutex m_mutex; // guards m_manifestEtag, m_etagsUnchecked and m_catalogFailure
    QByteArray m_manifestEtag;
    int m_etagsUnchecked = 0;
    QString m_catalogFailure;
};

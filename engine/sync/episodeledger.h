#pragma once

#include "catalog/catalog.h"
#include "episodestatemachine.h"
#include "episodestatusstore.h"
#include "incompleteuploadcleaner.h"
#include "syncconfig.h"
#include "syncerror.h"
#include "syncjournal.h"

#include <QObject>

#include <memory>

// The engine thread's record of the episodes, kept in step: its one catalog connection (written first) and the
// status store every view reads (shown next; its change feed tells the views). Every role of the scheduler reads and
// writes episodes through it; the catalog connection is the engine thread's only.
class EpisodeLedger : public QObject
{
    Q_OBJECT

public:
    // config is the scheduler's, read at each call (settings applied live replace it).
    EpisodeLedger(const SyncConfig &config, EpisodeStatusStore &store, SyncJournal &journal, QObject *parent = nullptr);
    ~EpisodeLedger() override;

    // Opens the catalog, closes the log rows a crash left open, and loads every episode into the store, with what is
    // verified of it. Episodes a crash left in progress go back to pending (resumed first). Returns the
    // registrations a stop interrupted while their files were listed (still scanning).
    [[nodiscard]] SyncResult<QList<EpisodeRecord>> open(const EpisodeStateMachine &machine);
    [[nodiscard]] bool isOpen() const { return m_catalog != nullptr; }
    [[nodiscard]] Catalog &catalog() { return *m_catalog; }
    [[nodiscard]] EpisodeStatusStore &store() { return m_store; }
    [[nodiscard]] const EpisodeStatusStore &store() const { return m_store; }

    [[nodiscard]] SyncResult<EpisodeRecord> record(qint64 id) const; // as the store shows it; NotFound if unknown
    [[nodiscard]] SyncResult<void> persist(const EpisodeRecord &episode); // the catalog, then the store
    void show(const EpisodeRecord &episode); // the store only (the catalog keeps what it has)
    [[nodiscard]] qint64 verifiedBytes(qint64 id) const; // what the store shows verified of an episode
    // What the catalog holds verified of an episode with these files (the rule a job starts from).
    [[nodiscard]] TransferProgress verifiedOf(
        const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files) const;
    // The store shows what the catalog now holds verified of an episode at rest (after its files changed there).
    void showVerified(const EpisodeRecord &episode);
    [[nodiscard]] QString keyPrefix(const EpisodeRecord &episode) const; // where its objects go
    // The multipart uploads of these files kept for a resume, as IncompleteUploadCleaner aborts them.
    [[nodiscard]] QList<IncompleteUploadCleaner::Upload> keptUploads(
        const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files) const;
    // A new storage: every unfinished episode's resume state is forgotten (nothing of it is there). Returns the
    // uploads it had kept on the old storage, to be aborted there.
    [[nodiscard]] QList<IncompleteUploadCleaner::Upload> forgetResumeState();
    // The engine-wide storage health in the store, said in the journal when it changes.
    void setStorageHealth(StorageHealth::State state, const QString &detail);

    [[nodiscard]] static SyncError catalogError(const CatalogError &error);

private:
    const SyncConfig &m_config;
    EpisodeStatusStore &m_store;
    SyncJournal &m_journal;
    std::unique_ptr<Catalog> m_catalog;
};

#pragma once

#include "episodeledger.h"
#include "storage/localfiles.h"

#include <QObject>

#include <functional>
#include <map>
#include <optional>

class EpisodeScanner;

// Registrations and rescans, on the engine thread: an episode is registered at once in state scanning, its files are
// listed on a worker (EpisodeScanner), and the scan's end makes it pending with its file list (kept where unchanged)
// or withdraws the registration. A rescan that fails or is cancelled leaves the episode as it was. Also the folder
// watch's records (which folders were registered once).
//
//   register ──► scanning (catalog) ──scanned──► pending (files written, episodeQueued)
//                   └──error, cancel, TooManyFiles──► withdrawn (removed)
//   rescan ────► scanning (store only) ──scanned──► pending with a fresh budget
//                   └──error, cancel──► as it was
class EpisodeRegistry : public QObject
{
    Q_OBJECT

public:
    using ScanDone = std::function<void(const SyncResult<EpisodeRecord> &)>;

    // config is the scheduler's, read at each call.
    EpisodeRegistry(const SyncConfig &config, EpisodeLedger &ledger, const EpisodeStateMachine &machine,
        SyncJournal &journal, IncompleteUploadCleaner &cleaner, QObject *parent = nullptr);
    ~EpisodeRegistry() override; // waits for the scan workers while the ledger still exists

    // See SyncScheduler::registerEpisode, registerWatchedFolder, rescan.
    [[nodiscard]] SyncResult<EpisodeRecord> registerEpisode(const QString &path, const QString &name, ScanDone done);
    [[nodiscard]] SyncResult<EpisodeRecord> registerWatchedFolder(
        const QString &path, const QString &name, const QString &marker);
    [[nodiscard]] SyncResult<QStringList> watchedFolders();
    [[nodiscard]] SyncResult<void> recordWatchedFolder(const QString &path, qint64 episodeId);
    [[nodiscard]] SyncResult<EpisodeRecord> rescan(qint64 id, ScanDone done);
    // A registration a stop interrupted while its files were listed: listed again, with no one to answer.
    void resumeScan(const EpisodeRecord &episode);

    [[nodiscard]] bool isScanning(qint64 id) const;
    void cancelScan(qint64 id); // the scan stops within one directory entry; its end answers the registration
    void keepPriority(qint64 id, int priority); // an abandoned rescan shows the episode as it was, but this stays
    // Shutdown: every scan stops; registrations stay scanning in the catalog and are listed again at the next start.
    void stopAll();

Q_SIGNALS:
    void episodeQueued(); // a scan ended with the episode pending: it may start

private:
    struct Scan
    {
        std::optional<EpisodeRecord> before; // a rescan: the episode as it was (the catalog still holds it)
        ScanDone done; // who asked, if anyone (a resumed scan has no one to answer)
    };
    // What a scan found, set against the files the catalog holds.
    struct Merge
    {
        QList<EpisodeFileRecord> files; // unchanged ones keep what was verified of them
        int kept = 0; // unchanged
        int gone = 0; // no longer there
        qint64 totalBytes = 0;
        QList<EpisodeFileRecord> replaced; // changed or gone: their kept uploads will never be completed
    };

    SyncResult<EpisodeRecord> addEpisode(const QString &path, const QString &name, const QString &excludedFile,
        const QString &watchedFolder, ScanDone done);
    void startScan(const EpisodeRecord &episode, const QString &excludedFile, Scan scan);
    QString scanExclusion(const QString &path) const; // a watched folder's marker is not part of an episode
    void onScanned(qint64 id, const StorageResult<QList<LocalFile>> &result);
    // The episode's file list replaced by what the scan found (kept where unchanged), and pending.
    SyncResult<EpisodeRecord> applyScan(qint64 id, const QList<LocalFile> &files);
    static Merge merge(const QList<EpisodeFileRecord> &recorded, const QList<LocalFile> &scanned);
    // A rescan leaves the episode as it was; a registration is withdrawn.
    void abandonScan(qint64 id, const SyncError &error, const Scan &scan);
    static SyncError scanError(qint64 id, const StorageError &error);

    const SyncConfig &m_config;
    EpisodeLedger &m_ledger;
    const EpisodeStateMachine &m_machine;
    SyncJournal &m_journal;
    IncompleteUploadCleaner &m_cleaner;
    // A child: it moves to the engine thread with the scheduler, so scan results are delivered there.
    EpisodeScanner *m_scanner = nullptr;
    std::map<qint64, Scan> m_scans; // episodes whose files are being listed
    bool m_stopped = false;
};

#pragma once

#include "attemptrunner.h"
#include "catalogwritegate.h"
#include "episodeledger.h"
#include "episoderegistry.h"
#include "episodestatemachine.h"
#include "episodestatusstore.h"
#include "incompleteuploadcleaner.h"
#include "storageoutagebackoff.h"
#include "syncconfig.h"
#include "synccounters.h"
#include "syncjournal.h"
#include "throttlestate.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

class QTimer;

// The engine thread's half of the sync engine, and the coordinator of its roles there: takes the commands (the
// SyncEngine facade marshals every call to the engine thread), applies settings and the throttle, and decides when
// an episode starts (schedule(): the queue order, the slots, and what holds every start back). What it delegates:
//   EpisodeLedger          the catalog connection and the store, kept in step (catalog first, then the store)
//   EpisodeRegistry        registrations and rescans (file lists on EpisodeScanner's workers)
//   AttemptRunner          the running attempts (an UploadJob each, on its own worker thread) and how they end
//   AttemptOutcome         the pure mapping of a job's end to the transition and the log row
//   StorageOutageBackoff   no start while the storage is unreachable, one probe at a time
//   CatalogWriteGate       no start for a while after the catalog could not be written
// docs/design.md, "Thread model", draws who owns what on which thread.
//
// Removing an episode whose upload was kept for a resume aborts that multipart upload (IncompleteUploadCleaner, off
// the engine thread): once the catalog forgets the upload id, nothing else ever would.
class SyncScheduler : public QObject
{
    Q_OBJECT

public:
    SyncScheduler(SyncConfig config, EpisodeStatusStore &store, std::shared_ptr<SyncCounterSet> counters);
    ~SyncScheduler() override;

    // Opens the catalog, closes what a crash left open, and loads every episode into the store. Episodes a
    // crash left in progress go back to pending and are resumed first.
    SyncResult<void> initialize();

    // What a scan ended with: the episode pending with its files, or why the registration was withdrawn (the path's
    // problem, TooManyFiles, Cancelled) or the rescan abandoned. Called on the engine thread.
    using RecordDone = std::function<void(const SyncResult<EpisodeRecord> &)>;
    using ScanDone = RecordDone;

    // Registers an episode at once in state scanning (returned), then lists its files on a worker
    // (EpisodeScanner): commands and status reads never wait for a large tree. done follows when the scan ended:
    // pending, or an error, and then the registration is withdrawn (the episode removed). Not called when the
    // registration is refused at once (bad name, missing path, name taken: the returned error).
    SyncResult<EpisodeRecord> registerEpisode(const QString &path, const QString &name, ScanDone done = {});
    // The folder watch's registration: the marker file stays out of the episode, and the folder is recorded as
    // watched in the same transaction, so it is registered once, also across restarts and crashes.
    SyncResult<EpisodeRecord> registerWatchedFolder(const QString &path, const QString &name, const QString &marker);
    SyncResult<QStringList> watchedFolders();
    SyncResult<void> recordWatchedFolder(const QString &path, qint64 episodeId); // registered by hand before
    SyncResult<EpisodeRecord> enqueue(qint64 id);
    SyncResult<EpisodeRecord> cancel(qint64 id);
    SyncResult<EpisodeRecord> retry(qint64 id);
    // Higher starts first among pending episodes (EpisodePriority's range, else InvalidInput). Any state: it is kept
    // for the episode's next time in the queue (a retry, an interruption).
    SyncResult<EpisodeRecord> setPriority(qint64 id, int priority);
    SyncResult<void> remove(qint64 id);
    // Re-reads the episode's folder (or file) on a worker; it shows as scanning meanwhile (returned). Then files
    // that did not change keep what was verified of them, changed and new files are uploaded anew, files gone are
    // dropped (their kept uploads aborted), and the episode goes back to pending with a fresh budget of attempts
    // (done). A rescan that fails or is cancelled leaves the episode as it was. Not while it is in progress.
    SyncResult<EpisodeRecord> rescan(qint64 id, ScanDone done = {});
    // Pause-all: no episode starts, running ones stop (interrupted, logged "paused"). Per-episode pauses stay.
    void setPaused(bool paused);
    // Holds one episode back (EpisodeRecord::paused, in the catalog at once): a pending one is not started, a running
    // one stops the way pause-all stops it (verified parts and upload ids kept, nothing aborted, the attempt not
    // counted, its log row "paused"). done follows with the episode pending and paused: at once, or once its attempt
    // stopped (a stop that takes longer than a poll slice, a read blocked on a hung mount, leaves the thread behind
    // after kStuckJobMs as a cancel does). Refused (the returned error, done not called) unless pending or in progress.
    SyncResult<void> pauseEpisode(qint64 id, RecordDone done);
    // Clears the pause: the episode is due again like any pending one (its retry time and priority unchanged).
    // Idempotent for a pending or in-progress episode that is not paused; other states are refused.
    SyncResult<EpisodeRecord> resumeEpisode(qint64 id);
    // Settings applied live (SyncEngine::applyConfig). Limits take effect at once, also in the running uploads: the
    // bandwidth limit, episodes at once (surplus uploads drain), requests in flight per episode, the part size of
    // files not opened yet. A new storage (provider, endpoint, region, addressing, bucket, key prefix) or new
    // credentials drain the running uploads first: parts in flight finish and are recorded, no new part starts, the
    // jobs end with their multipart uploads kept, and the episodes go back to pending, logged "reconfigured" and
    // not counted as an attempt. Then the new configuration is used. With credentials only changed the uploads
    // resume where they stopped; with a new storage, what episodes had uploaded to the old one is aborted there
    // and forgotten, and they upload to the new one from the start. The data directory and folder watch stay.
    void applyConfig(SyncConfig config);
    // The upload throttle's decision (ThrottleController): the engine-wide limit at once, also in running uploads;
    // while recording one request in flight per episode (requests above it finish, no new one starts); holding stops
    // every running upload as pause-all does and starts none until it ends.
    void applyThrottle(const ThrottleState &state);
    SyncResult<QList<SyncLogEntry>> logs(qint64 episodeId, int limit);
    // The episode's files with their resume state as the catalog holds them (sorted by relative path); NotFound for
    // an unknown episode.
    SyncResult<QList<EpisodeFileRecord>> files(qint64 episodeId);
    // Stops every running episode, keeping its uploads for the next start, and records the interruption. Parts in
    // flight may finish (and are recorded) for up to graceMs; then whatever still runs is stopped at once.
    void shutdown(int graceMs = 0);

Q_SIGNALS:
    void logAppended(qint64 id);

private:
    SyncResult<EpisodeRecord> transition(
        qint64 id, SyncResult<void> (EpisodeStateMachine::*change)(EpisodeRecord &) const);
    void scheduleSoon(); // schedule() once the current command returned
    // Starts due episodes in the store's queue order while a slot is free, and a small one in the small lane.
    void schedule();
    [[nodiscard]] bool holdsStarts(const QDateTime &now) const; // nothing may start now, whatever is due
    void liftCredentialsHold(); // a person's enqueue or retry
    // enqueue, retry: a command that cleared an operator's pause says so in the journal as a resume does.
    void journalResumed(bool wasPaused, const SyncResult<EpisodeRecord> &episode);
    bool switchToNextConfig(); // false while uploads still drain

    SyncConfig m_config;
    EpisodeStatusStore &m_store;
    EpisodeStateMachine m_machine;
    std::shared_ptr<PartSlots> m_partSlots;
    SyncJournal m_journal;
    ThrottleState m_throttle;
    StorageOutageBackoff m_outage;
    CatalogWriteGate m_catalogGate;
    std::unique_ptr<IncompleteUploadCleaner> m_cleaner;
    // The roles, children of the scheduler: they move to the engine thread with it. ~SyncScheduler destroys them in
    // this order: scans (their workers waited for), attempts (stuck threads left), then the catalog connection.
    std::unique_ptr<EpisodeLedger> m_ledger;
    std::unique_ptr<EpisodeRegistry> m_registry;
    std::unique_ptr<AttemptRunner> m_runner;
    QTimer *m_timer = nullptr;
    bool m_paused = false;
    bool m_shuttingDown = false;
    // applyConfig(): a configuration waiting for the running uploads to drain. Nothing starts meanwhile.
    std::optional<SyncConfig> m_nextConfig;
};

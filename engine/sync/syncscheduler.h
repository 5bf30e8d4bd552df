#pragma once

#include "catalog/catalog.h"
#include "episodestatemachine.h"
#include "episodestatusstore.h"
#include "incompleteuploadcleaner.h"
#include "storage/localfiles.h"
#include "syncconfig.h"
#include "synccounters.h"
#include "syncjournal.h"
#include "throttlestate.h"

#include <QDateTime>
#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

class EpisodeScanner;
class EpisodeSyncHooks;
class QTimer;
class UploadJob;

// The engine thread's half of the sync engine: owns the catalog connection, applies every state transition
// (catalog first, then the in-memory store), and starts episodes when a slot is free. Each running episode is an
// UploadJob on its own worker thread; its result comes back here as a queued signal.
// Every method runs on the engine thread (the SyncEngine facade marshals calls here).
//
// When the catalog cannot be written (disk full, read-only data directory), uploads pause: the running job stops at
// the first part it cannot record (that part is not counted), the episode goes back to pending with the error
// "catalog_unwritable" in its status (in memory: the catalog cannot take it), and no episode starts until a write
// succeeds again (tried every SyncConfig::catalogRetryMs). The catalog keeps what it had; a restart resumes from it.
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
    void statusChanged(qint64 id, EpisodeState state);
    void logAppended(qint64 id);

private:
    enum class StopReason { None, Cancel, Pause, Shutdown, Reconfigure };
    struct ActiveEpisode
    {
        qint64 logId = 0;
        qint64 verifiedAtStart = 0; // what the attempt started from
        QDateTime startedAt;
        bool probing = false; // started while the storage was unreachable: the journal said so once already
        bool small = false; // below SyncConfig::smallEpisodeBytes when it started
        bool smallLane = false; // holds the small lane, not one of the maxConcurrentEpisodes slots
        StopReason stop = StopReason::None;
        bool stuck = false; // killed, yet its thread did not end (a read blocked on a hung mount): left behind
        bool pausedByOperator = false; // pauseEpisode() stopped it: the journal says so, not "paused" by pause-all
        std::vector<RecordDone> pauseWaiters; // pauseEpisode() callers, answered once the attempt ended
        std::unique_ptr<EpisodeSyncHooks> hooks;
        std::unique_ptr<UploadJob> job;
    };
    // A job whose thread would not end after a kill. Its slot was freed and its result is ignored; it is deleted
    // once its thread ends, and left (never waited for) if it still runs when the scheduler goes.
    struct StuckJob
    {
        std::unique_ptr<EpisodeSyncHooks> hooks; // used by the job's thread: destroyed after the job
        std::unique_ptr<UploadJob> job;
    };

    struct Scan
    {
        std::optional<EpisodeRecord> before; // a rescan: the episode as it was (the catalog still holds it)
        ScanDone done; // who asked, if anyone (a resumed scan has no one to answer)
    };
    SyncResult<EpisodeRecord> addEpisode(const QString &path, const QString &name, const QString &excludedFile,
        const QString &watchedFolder, ScanDone done);
    void startScan(const EpisodeRecord &episode, const QString &excludedFile, Scan scan);
    QString scanExclusion(const QString &path) const; // a watched folder's marker is not part of an episode
    void onScanned(qint64 id, const StorageResult<QList<LocalFile>> &result);
    // The episode's file list replaced by what the scan found (kept where unchanged), and pending.
    SyncResult<EpisodeRecord> applyScan(qint64 id, const QList<LocalFile> &files);
    // A rescan leaves the episode as it was; a registration is withdrawn.
    void abandonScan(qint64 id, const SyncError &error, const Scan &scan);
    static SyncError scanError(qint64 id, const StorageError &error);
    // Starts due episodes in the store's queue order while a slot is free, and a small one in the small lane.
    void schedule();
    enum class Slot { Regular, SmallLane };
    void startEpisode(EpisodeRecord episode, Slot slot);
    int regularSlotsInUse() const;
    int jobConcurrency() const; // requests in flight per episode: the configured number, or the throttle's
    void applyJobLimits(); // jobConcurrency() and the part size, to every running job
    bool isSmall(const EpisodeRecord &episode) const;
    // The lane is open while every regular slot is held by a large episode and no small one holds the lane.
    bool smallLaneOpen(int slots) const;
    void onJobFinished(qint64 id, const StorageError &error);
    // The storage answered an attempt: an outage is over, every slot may start again at once.
    void onStorageAnswered(qint64 id);
    void setStorageHealth(StorageHealth::State state, const QString &detail);
    void forgetAbortedUploads(const EpisodeRecord &episode);
    // The store shows what the catalog now holds verified of an episode at rest (after its files changed there).
    void showVerified(const EpisodeRecord &episode);
    void liftCredentialsHold(); // a person's enqueue or retry
    // enqueue, retry: a command that cleared an operator's pause says so in the journal as a resume does.
    void journalResumed(bool wasPaused, const SyncResult<EpisodeRecord> &episode);
    qint64 verifiedBytes(qint64 id) const; // what the store shows verified of an episode
    // What the catalog holds verified of an episode with these files (the rule a job starts from).
    TransferProgress verifiedOf(const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files) const;
    // Shows the episode back in pending with the catalog error and holds new starts for catalogRetryMs.
    void pauseForCatalog(EpisodeRecord episode, const QString &detail);
    void stopActive(qint64 id, StopReason reason);
    void stopAllActive(StopReason reason);
    // A cancelled or paused job whose thread has not ended by now: its episode is finished as its stop says
    // (cancelled, or pending and paused) and the thread left.
    void leaveIfStuck(qint64 id, const UploadJob *job);
    void leaveBehind(std::unique_ptr<UploadJob> job, std::unique_ptr<EpisodeSyncHooks> hooks);
    SyncResult<EpisodeRecord> record(qint64 id) const;
    SyncResult<void> persist(const EpisodeRecord &episode);
    SyncResult<EpisodeRecord> transition(
        qint64 id, SyncResult<void> (EpisodeStateMachine::*change)(EpisodeRecord &) const);
    QString episodeKeyPrefix(const EpisodeRecord &episode) const;
    static SyncError catalogError(const CatalogError &error);

    SyncConfig m_config;
    EpisodeStatusStore &m_store;
    EpisodeStateMachine m_machine;
    std::unique_ptr<Catalog> m_catalog;
    std::shared_ptr<PartSlots> m_partSlots;
    // The small lane's own requests in flight, beside m_partSlots: large episodes can hold every request of the shared
    // budget for as long as they upload (they take a slot back the moment they free one).
    std::shared_ptr<PartSlots> m_smallLaneSlots;
    std::shared_ptr<SyncCounterSet> m_counters;
    std::map<qint64, ActiveEpisode> m_active;
    std::vector<StuckJob> m_stuck;
    std::unique_ptr<IncompleteUploadCleaner> m_cleaner;
    // A child: it moves to the engine thread with the scheduler, so scan results are delivered there.
    EpisodeScanner *m_scanner = nullptr;
    std::map<qint64, Scan> m_scans; // episodes whose files are being listed
    SyncJournal m_journal;
    QTimer *m_timer = nullptr;
    // Storage unreachable: consecutive attempts that could not connect, and no episode starts before this time.
    int m_unreachableStreak = 0;
    QDateTime m_unreachableUntil;
    bool m_paused = false;
    bool m_shuttingDown = false;
    ThrottleState m_throttle;
    QDateTime m_catalogRetryAt; // valid while uploads are paused because the catalog could not be written

    // applyConfig(): a configuration waiting for the running uploads to drain. Nothing starts meanwhile.
    std::optional<SyncConfig> m_nextConfig;
    bool switchToNextConfig(); // false while uploads still drain
    void forgetUploadsOnOldStorage(); // the episodes' resume state on m_config's storage, before it is replaced
};

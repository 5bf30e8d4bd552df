#pragma once

#include "enginechanges.h"
#include "episodestatus.h"
#include "episodestatusstore.h"
#include "recordingcommand.h"
#include "syncconfig.h"
#include "synccounters.h"
#include "syncerror.h"
#include "throttlestate.h"

#include <QObject>

#include <functional>
#include <memory>

class FolderWatcher;
class QLockFile;
class QThread;
class QTimer;
class SyncScheduler;
class ThrottleController;

// The sync engine as the views see it, on the main thread. Reads are snapshots of the in-memory store (no I/O,
// never blocking); commands run on the engine thread and answer through a callback on the caller's thread.
//
//   main thread: SyncEngine ──commands (queued)──► engine thread: SyncScheduler + Catalog
//        ▲  snapshots, changed()                           │ starts
//        └── EpisodeStatusStore (lock) ◄── progress ── worker threads: UploadJob (libcurl) per episode
//
// Views read snapshots and hear of changes through one ordered feed, changed() (see EngineChanges).
class SyncEngine : public QObject
{
    Q_OBJECT

public:
    template <typename T>
    using Callback = std::function<void(SyncResult<T>)>;

    // Takes the data directory's instance lock, opens the catalog (a clear error if it cannot: locked, corrupt,
    // newer schema, or another instance running) and starts scheduling. Blocks only for that start-up.
    static SyncResult<std::unique_ptr<SyncEngine>> open(const SyncConfig &config);
    ~SyncEngine() override; // stops running uploads at once, keeping them for the next start

    // A graceful stop (SIGTERM): no new part starts, parts in flight finish for up to graceMs and are recorded,
    // then the rest stops. Blocks the caller for at most about graceMs; afterwards only destruction is useful.
    void shutdown(int graceMs);

    std::optional<EpisodeStatus> status(qint64 id) const;
    QList<EpisodeStatus> statuses(const QList<qint64> &ids) const; // request order; unknown ids skipped
    QList<EpisodeStatus> allStatuses() const;
    // The store the reads above come from (thread-safe, read-only here): for views that keep something derived
    // from a status and ask for revisions (EpisodeStatusStore::revisions) or the overview.
    const EpisodeStatusStore &store() const { return m_store; }
    bool isPaused() const { return m_paused; }
    StorageHealth storageHealth() const { return m_store.storageHealth(); } // thread-safe
    ThrottleState throttle() const { return m_store.throttle(); } // thread-safe
    // Recording mode on or off (UploadThrottle's rules); done with the state it led to, at once in effect.
    // InvalidInput: a negative limit, or an until already past.
    void setRecording(const RecordingCommand &command, Callback<ThrottleState> done = {});
    SyncCounters counters() const { return m_counters->snapshot(); } // thread-safe
    // The configuration in force (the last one applied); its transport.bandwidth is the limiter every transfer of
    // the engine shares.
    const SyncConfig &config() const { return m_config; }
    // Settings applied live, without a restart (see SyncScheduler::applyConfig for what takes effect when):
    // config() and configChanged() follow at once; done (on this thread) once the engine took it, or with
    // InvalidInput for a configuration it cannot run (invalid endpoint, no bucket, no credentials) - then nothing
    // changes. dataDir and watch cannot change while running: the running ones stay.
    void applyConfig(const SyncConfig &config, Callback<void> done = {});

    // The episode shows as scanning at once; done follows once its files are listed (pending), or with why the
    // registration was withdrawn (the path's problem, too_many_files, cancelled). See SyncScheduler::registerEpisode.
    void registerEpisode(const QString &path, const QString &name, Callback<EpisodeStatus> done = {});
    void enqueue(qint64 id, Callback<EpisodeStatus> done = {});
    void cancel(qint64 id, Callback<EpisodeStatus> done = {});
    void retry(qint64 id, Callback<EpisodeStatus> done = {});
    // One episode held back (persisted): a pending one is not started, a running one stops the way pauseAll() stops
    // it (verified parts and upload ids kept, the attempt not counted) and done follows once it stopped, pending and
    // paused. Paused again: no change. Other states: InvalidTransition. See SyncScheduler::pauseEpisode.
    void pauseEpisode(qint64 id, Callback<EpisodeStatus> done = {});
    // Clears that pause: due again like any pending episode. Not paused but pending or in progress: no change.
    // Other states: InvalidTransition. Enqueue, retry, rescan and cancel clear a pause too; resumeAll() does not.
    void resumeEpisode(qint64 id, Callback<EpisodeStatus> done = {});
    // Higher starts first among pending episodes; EpisodePriority's range (else InvalidInput), in any state. Persisted.
    void setPriority(qint64 id, int priority, Callback<EpisodeStatus> done = {});
    void remove(qint64 id, Callback<void> done = {});
    void rescan(qint64 id, Callback<EpisodeStatus> done = {}); // done once the scan ended; see SyncScheduler::rescan
    void pauseAll(); // isPaused() at once; the feed tells the views on the next turn of the event loop
    void resumeAll();
    void logs(qint64 episodeId, int limit, Callback<QList<SyncLogEntry>> done);
    // The episode's files with their resume state (upload id, verified parts, ETag) as the catalog holds them, sorted
    // by relative path: read on the engine thread, answered on the caller's. The catalog may be a moment ahead of
    // status(): a part is recorded before the job reports it. Object keys: ObjectKeys.
    void episodeFiles(qint64 id, Callback<QList<EpisodeFileRecord>> done);

Q_SIGNALS:
    // The change feed, on the facade's thread: at most ten batches a second, plus one on the next turn of the event
    // loop when pause-all changes and one before each command's answer (so an answer never overtakes the change it
    // reports). Never empty. Every view takes what it shows from here.
    void changed(const EngineChanges &changes);
    void logAppended(qint64 id);
    void folderScanned(); // the folder watch (SyncConfig::watch) looked at its folder and registered what was ready
    void configChanged(); // applyConfig() replaced config()

private:
    explicit SyncEngine(const SyncConfig &config);
    template <typename T, typename Work>
    void run(Work work, Callback<T> done);
    template <typename T>
    void answer(Callback<T> done, SyncResult<T> result); // from the engine thread: on this one, after the feed
    template <typename T>
    void refuse(Callback<T> done, const QString &why); // done (later, on this thread) with InvalidInput
    // A command that answers later (a scan, a pause that stops an attempt): done once the scheduler calls the
    // callback it was given, or at once with the error start() returned (then it never calls it).
    template <typename Start>
    void runDeferred(Start start, Callback<EpisodeStatus> done);
    // A command that yields the episode's record: done with its status (command(scheduler) runs on the engine thread).
    template <typename Command>
    void runForStatus(Command command, Callback<EpisodeStatus> done);
    void runForStatus(
        SyncResult<EpisodeRecord> (SyncScheduler::*command)(qint64), qint64 id, Callback<EpisodeStatus> done);
    EpisodeStatus withProgress(const EpisodeRecord &record) const;
    void flushChanges(); // one batch of the feed, if anything changed
    void flushSoon(); // flushChanges() on the next turn of the event loop (never inside a caller's handler)
    void stopWatching();

    SyncConfig m_config;
    EpisodeStatusStore m_store;
    std::shared_ptr<SyncCounterSet> m_counters = std::make_shared<SyncCounterSet>();
    std::unique_ptr<QLockFile> m_lock;
    QThread *m_thread = nullptr;
    SyncScheduler *m_scheduler = nullptr; // lives on m_thread
    FolderWatcher *m_watcher = nullptr; // lives on m_thread; null unless watching
    ThrottleController *m_throttle = nullptr; // lives on m_thread, a child of the scheduler
    QTimer *m_flushTimer = nullptr;
    bool m_paused = false;
    bool m_lastPaused = false; // what the feed said last
    StorageHealth m_lastHealth; // likewise
    ThrottleState m_lastThrottle; // likewise
};

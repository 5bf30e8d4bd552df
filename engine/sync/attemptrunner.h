#pragma once

#include "attemptoutcome.h"
#include "catalogwritegate.h"
#include "episodeledger.h"
#include "stopreason.h"
#include "storageoutagebackoff.h"
#include "synccounters.h"
#include "throttlestate.h"

#include <QDeadlineTimer>
#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <vector>

class EpisodeSyncHooks;
class UploadJob;

// The running attempts, on the engine thread: starts one (its sync_logs row, an UploadJob on its own worker thread
// with EpisodeSyncHooks), stops it when the scheduler says so, and applies how it ended (AttemptOutcome: the catalog
// first, then the store and the journal; the storage's outage and the catalog's write gate follow from it). Holds
// the slots: the regular ones (SyncConfig::maxConcurrentEpisodes, the scheduler counts them) and the small lane.
//
//   start ──► running ──finished (queued)──────────────────► outcome applied ──► canStartMore
//                │ stop(reason): kill or drain                   ▲
//                └── thread still blocked after kStuckJobMs ─────┘ (left behind: its result ignored)
class AttemptRunner : public QObject
{
    Q_OBJECT

public:
    using RecordDone = std::function<void(const SyncResult<EpisodeRecord> &)>;
    enum class Slot { Regular, SmallLane };

    // config and throttle are the scheduler's, read at each call; so are the outage and the gate it consults.
    AttemptRunner(const SyncConfig &config, const ThrottleState &throttle, EpisodeLedger &ledger,
        const EpisodeStateMachine &machine, SyncJournal &journal, StorageOutageBackoff &outage,
        CatalogWriteGate &catalogGate, std::shared_ptr<SyncCounterSet> counters, QObject *parent = nullptr);
    ~AttemptRunner() override; // jobs left behind that still run are never waited for

    void start(EpisodeRecord episode, Slot slot);
    [[nodiscard]] bool isRunning(qint64 id) const { return m_active.count(id) != 0; }
    [[nodiscard]] bool isIdle() const { return m_active.empty(); }
    [[nodiscard]] int regularSlotsInUse() const;
    [[nodiscard]] bool isSmall(const EpisodeRecord &episode) const;
    // The lane is open while every regular slot is held by a large episode and no more small ones than it takes
    // hold the lane.
    [[nodiscard]] bool smallLaneOpen(int slots) const;

    void stop(qint64 id, StopReason reason); // nothing if not running or stopping already
    void stopAll(StopReason reason);
    // New settings: the running attempts not stopping already finish their parts on the wire and end, kept.
    void drainAll();
    void drainNewest(int count); // fewer episodes at once: the newest regular ones drain
    // pauseEpisode() of a running episode: stopped as a pause, done once it ended. False when it does not run.
    [[nodiscard]] bool pauseWhenRunning(qint64 id, RecordDone done);
    void applyLimits(); // requests in flight per episode and the part size, to every running job
    // Stops every attempt, keeping its uploads: parts in flight may finish until grace expires, then it is killed.
    void shutdown(const QDeadlineTimer &grace);

Q_SIGNALS:
    void logAppended(qint64 id);
    void canStartMore(); // an attempt ended, or the storage answered after an outage

private:
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
    // once its thread ends, and left (never waited for) if it still runs when the runner goes.
    struct StuckJob
    {
        std::unique_ptr<EpisodeSyncHooks> hooks; // used by the job's thread: destroyed after the job
        std::unique_ptr<UploadJob> job;
    };

    void launch(const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files, Slot slot, qint64 logId,
        const QDateTime &startedAt);
    void createJob(ActiveEpisode &active, const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files);
    void connectJob(const ActiveEpisode &active, const EpisodeRecord &episode);
    [[nodiscard]] int jobConcurrency() const; // the configured requests per episode, or the throttle's
    void drain(ActiveEpisode &active);

    void onJobFinished(qint64 id, const StorageError &error);
    // The storage answered an attempt: an outage is over, every slot may start again at once.
    void onStorageAnswered(qint64 id);
    [[nodiscard]] AttemptOutcome::Facts factsOf(const ActiveEpisode &active, const UploadJob &job,
        const EpisodeSyncHooks &hooks, const EpisodeRecord &atEnd, const StorageError &error) const;
    void applyToStorage(const AttemptOutcome &outcome);
    // The outcome in the catalog. False when the catalog could not follow the job or take the outcome: then the
    // episode is shown back in pending and uploads wait for the catalog (done here).
    [[nodiscard]] bool recordOutcome(
        const AttemptOutcome &outcome, const EpisodeRecord &atEnd, const QString &jobCatalogFailure);
    void showOutcome(const AttemptOutcome &outcome, const ActiveEpisode &active);
    void forgetAbortedUploads(const EpisodeRecord &episode);
    // Shows the episode back in pending with the catalog error and closes the gate for catalogRetryMs.
    void pauseForCatalog(const EpisodeRecord &episode, const QString &detail);

    // A cancelled or paused job whose thread has not ended by now: its episode is finished as its stop says
    // (cancelled, or pending and paused) and the thread left.
    void leaveIfStuck(qint64 id, const UploadJob *job);
    void leaveBehind(std::unique_ptr<UploadJob> job, std::unique_ptr<EpisodeSyncHooks> hooks);

    const SyncConfig &m_config;
    const ThrottleState &m_throttle;
    EpisodeLedger &m_ledger;
    const EpisodeStateMachine &m_machine;
    SyncJournal &m_journal;
    StorageOutageBackoff &m_outage;
    CatalogWriteGate &m_catalogGate;
    std::shared_ptr<SyncCounterSet> m_counters;
    // The small lane's own requests in flight, beside the shared budget (SyncConfig::upload.partSlots): large
    // episodes can hold every request of that for as long as they upload (they take a slot back the moment they
    // free one).
    std::shared_ptr<PartSlots> m_smallLaneSlots;
    std::map<qint64, ActiveEpisode> m_active;
    std::vector<StuckJob> m_stuck;
};

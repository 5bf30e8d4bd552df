#pragma once

#include "enginechanges.h"
#include "episodestatus.h"
#include "storagehealth.h"
#include "throttlestate.h"

#include <QHash>
#include <QList>
#include <QReadWriteLock>
#include <QSet>

#include <array>
#include <set>
#include <utility>

// The in-memory truth both views read: every episode's record, what is verified of it, live progress of those in
// progress, and the engine-wide facts a stage depends on (paused, the storage's health).
// Thread-safe (one read-write lock); reads never wait on disk or network. The engine thread writes records after
// each catalog commit; transfer threads write progress (never persisted). Changes are remembered, under the same
// lock as the change, as an ordered list of record events and a set of dirty ids, which the facade drains at most
// ten times a second (takeChanges: SyncEngine's change feed).
//
// Every change of what an episode's status shows (its record, progress, or stage, including the engine-wide facts
// that change the stage of pending episodes) gives the episode a new revision from one store-wide clock, so a view
// that derives something from a status (the API's serialised JSON) learns whether it is current by asking for the
// revisions of just the ids it needs, without copying or comparing statuses.
class EpisodeStatusStore
{
public:
    // verified: what the catalog holds verified of each episode (see UploadJob::verifiedProgress); missing: nothing.
    void reset(const QList<EpisodeRecord> &records, const QHash<qint64, TransferProgress> &verified = {});
    // A record that is not in progress keeps its verified amounts and drops the runtime figures; a completed one
    // shows everything verified. A new or changed record is a status event of the feed; the same record again is not.
    void upsert(const EpisodeRecord &record);
    void remove(qint64 id); // a removal event, if the store knew the episode
    // Ignored unless the episode is in progress. Once the attempt has verified more than it started with (or has
    // reached Complete), an error left by an earlier attempt is stale and cleared from the record shown.
    void setProgress(qint64 id, const TransferProgress &progress);
    // Replaces the verified amounts of an episode at rest (e.g. after an aborted upload's parts were forgotten).
    void setVerified(qint64 id, const TransferProgress &verified);
    // A scan in progress found this many files so far (ignored unless the episode is scanning): what it shows.
    void setScanCount(qint64 id, int files, qint64 bytes);
    // The storage answered this episode's attempt: an "Unreachable" error from before is stale.
    void clearUnreachableError(qint64 id);
    void setPaused(bool paused);
    void setStorageHealth(const StorageHealth &health);
    StorageHealth storageHealth() const;
    // The upload throttle in force (ThrottleController writes it, every view reads it).
    void setThrottle(const ThrottleState &state);
    ThrottleState throttle() const;

    std::optional<EpisodeStatus> status(qint64 id) const;
    QList<EpisodeStatus> statuses(const QList<qint64> &ids) const; // request order; unknown ids skipped
    QList<EpisodeStatus> all() const; // by id
    // The records of pending episodes due at `now`, in the order the scheduler starts them: higher priority first,
    // then by id (registration order). Only those: the scheduler asks on every event, with thousands of episodes.
    QList<EpisodeRecord> dueQueue(const QDateTime &now) const;
    int count() const;
    // Per id, in the order given: its current revision, or 0 for an id the store does not know. A revision is never
    // reused (not even for an episode removed and registered again), so an equal revision means an equal status.
    QList<quint64> revisions(const QList<qint64> &ids) const;

    // What aggregate views (the API's /metrics) need, kept as changes happen so that reading it costs what is
    // running, not what the catalog holds.
    struct Overview
    {
        std::array<int, kEpisodeStateCount> countByState{}; // indexed by EpisodeState
        QList<EpisodeStatus> inProgress; // by id
        int paused = 0; // episodes an operator paused (EpisodeRecord::paused), whatever pause-all says
        // Registration time of the oldest pending episode not paused one by one (pause-all does not matter);
        // invalid when there is none.
        QDateTime oldestPendingCreatedAt;
        // Bytes and parts (a single-PUT file is one part) newly verified since the store was loaded: what the
        // progress of running episodes advanced past the most each episode had shown, and the rest of an episode
        // when it completes. What an episode showed at rest (loaded, rescanned) is a baseline, never counted, and a
        // re-upload after its parts were forgotten is not counted again.
        qint64 bytesNewlyVerified = 0;
        qint64 partsNewlyVerified = 0;
        int count(EpisodeState state) const { return countByState.at(std::size_t(state)); }
    };
    Overview overview() const;

    // The record events and changed ids since the last call (EngineChanges::events and changedIds; the summary is
    // the facade's to fill). Events come in the order they happened; ids ascending.
    EngineChanges takeChanges();

private:
    struct Entry
    {
        EpisodeRecord record;
        std::optional<TransferProgress> progress; // live while in progress, else the verified amounts at rest
        qint64 committedAtStart = 0; // what the running attempt started from
        quint64 revision = 0;
        qint64 mostBytesShown = 0; // the most committed bytes this episode has shown (Overview's baseline)
        int mostPartsShown = 0; // likewise, parts
    };
    EpisodeStatus statusOf(const Entry &entry) const; // with the lock held
    EpisodeStage stageOf(const Entry &entry) const;
    void markPendingDirty(); // with the write lock held: a stage of every pending episode may have changed
    void touch(qint64 id, Entry &entry); // with the write lock held: what the entry shows changed
    // With the write lock held, after entry.progress changed: counts what it verified past the most it had shown
    // (counted: by a running attempt; else only raises the baseline).
    void countVerified(Entry &entry, bool counted);
    // The overview's counts; was/is: the record before and after (nullptr: not in the store).
    void track(const EpisodeRecord *was, const EpisodeRecord *is);

    mutable QReadWriteLock m_lock;
    QHash<qint64, Entry> m_episodes;
    QSet<qint64> m_dirty;
    QList<EngineChanges::Event> m_events; // since the last takeChanges()
    quint64 m_clock = 0; // the last revision given
    std::array<int, kEpisodeStateCount> m_countByState{};
    QSet<qint64> m_inProgress;
    QSet<qint64> m_pausedIds; // EpisodeRecord::paused, for the overview
    // Pending episodes by registration time (ms since the epoch, then id): the overview's oldest pending is the
    // first not paused, so a scrape walks past the paused ones only.
    std::set<std::pair<qint64, qint64>> m_pendingByAge;
    qint64 m_bytesNewlyVerified = 0;
    qint64 m_partsNewlyVerified = 0;
    bool m_paused = false;
    StorageHealth m_health;
    ThrottleState m_throttle;
};

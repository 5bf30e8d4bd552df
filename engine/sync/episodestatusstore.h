#pragma once

#include "episodestatus.h"
#include "storagehealth.h"

#include <QHash>
#include <QList>
#include <QReadWriteLock>
#include <QSet>

// The in-memory truth both views read: every episode's record, what is verified of it, live progress of those in
// progress, and the engine-wide facts a stage depends on (paused, the storage's health).
// Thread-safe (one read-write lock); reads never wait on disk or network. The engine thread writes records after
// each catalog commit; transfer threads write progress (never persisted). Changes are remembered in a dirty set
// the facade drains at most ten times a second (coalescing).
class EpisodeStatusStore
{
public:
    // verified: what the catalog holds verified of each episode (see UploadJob::verifiedProgress); missing: nothing.
    void reset(const QList<EpisodeRecord> &records, const QHash<qint64, TransferProgress> &verified = {});
    // A record that is not in progress keeps its verified amounts and drops the runtime figures; a completed one
    // shows everything verified.
    void upsert(const EpisodeRecord &record);
    void remove(qint64 id);
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

    std::optional<EpisodeStatus> status(qint64 id) const;
    QList<EpisodeStatus> statuses(const QList<qint64> &ids) const; // request order; unknown ids skipped
    QList<EpisodeStatus> all() const; // by id
    // The records of pending episodes due at `now`, in the order the scheduler starts them: higher priority first,
    // then by id (registration order). Only those: the scheduler asks on every event, with thousands of episodes.
    QList<EpisodeRecord> dueQueue(const QDateTime &now) const;
    int count() const;

    QList<qint64> takeDirty(); // ids changed since the last call, ascending

private:
    struct Entry
    {
        EpisodeRecord record;
        std::optional<TransferProgress> progress; // live while in progress, else the verified amounts at rest
        qint64 committedAtStart = 0; // what the running attempt started from
    };
    EpisodeStatus statusOf(const Entry &entry) const; // with the lock held
    EpisodeStage stageOf(const Entry &entry) const;
    void markPendingDirty(); // with the write lock held: a stage of every pending episode may have changed

    mutable QReadWriteLock m_lock;
    QHash<qint64, Entry> m_episodes;
    QSet<qint64> m_dirty;
    bool m_paused = false;
    StorageHealth m_health;
};

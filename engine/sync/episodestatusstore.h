#pragma once

#include "episodestatus.h"

#include <QHash>
#include <QList>
#include <QReadWriteLock>
#include <QSet>

// The in-memory truth both views read: every episode's record, plus live progress of those in progress.
// Thread-safe (one read-write lock); reads never wait on disk or network. The engine thread writes records after
// each catalog commit; transfer threads write progress (never persisted). Changes are remembered in a dirty set
// the facade drains at most ten times a second (coalescing).
class EpisodeStatusStore
{
public:
    void reset(const QList<EpisodeRecord> &records);
    void upsert(const EpisodeRecord &record); // a terminal or pending record drops its progress
    void remove(qint64 id);
    void setProgress(qint64 id, const TransferProgress &progress); // ignored unless the episode is in progress
    void clearProgress(qint64 id);

    std::optional<EpisodeStatus> status(qint64 id) const;
    QList<EpisodeStatus> statuses(const QList<qint64> &ids) const; // request order; unknown ids skipped
    QList<EpisodeStatus> all() const; // by id
    int count() const;

    QList<qint64> takeDirty(); // ids changed since the last call, ascending

private:
    mutable QReadWriteLock m_lock;
    QHash<qint64, EpisodeStatus> m_episodes;
    QSet<qint64> m_dirty;
};

#include "episodestatusstore.h"

#include <algorithm>

void EpisodeStatusStore::reset(const QList<EpisodeRecord> &records)
{
    QWriteLocker lock(&m_lock);
    m_episodes.clear();
    for (const EpisodeRecord &record : records) {
        m_episodes.insert(record.id, EpisodeStatus{record, std::nullopt});
        m_dirty.insert(record.id);
    }
}

void EpisodeStatusStore::upsert(const EpisodeRecord &record)
{
    QWriteLocker lock(&m_lock);
    EpisodeStatus &status = m_episodes[record.id];
    status.record = record;
    if (record.state != EpisodeState::InProgress)
        status.progress.reset();
    m_dirty.insert(record.id);
}

void EpisodeStatusStore::remove(qint64 id)
{
    QWriteLocker lock(&m_lock);
    m_episodes.remove(id);
    m_dirty.insert(id);
}

void EpisodeStatusStore::setProgress(qint64 id, const TransferProgress &progress)
{
    QWriteLocker lock(&m_lock);
    const auto it = m_episodes.find(id);
    if (it == m_episodes.end() || it->record.state != EpisodeState::InProgress)
        return; // a late report from a job that already ended
    it->progress = progress;
    m_dirty.insert(id);
}

void EpisodeStatusStore::clearProgress(qint64 id)
{
    QWriteLocker lock(&m_lock);
    const auto it = m_episodes.find(id);
    if (it == m_episodes.end() || !it->progress)
        return;
    it->progress.reset();
    m_dirty.insert(id);
}

std::optional<EpisodeStatus> EpisodeStatusStore::status(qint64 id) const
{
    QReadLocker lock(&m_lock);
    const auto it = m_episodes.constFind(id);
    if (it == m_episodes.constEnd())
        return std::nullopt;
    return *it;
}

QList<EpisodeStatus> EpisodeStatusStore::statuses(const QList<qint64> &ids) const
{
    QReadLocker lock(&m_lock);
    QList<EpisodeStatus> result;
    result.reserve(ids.size());
    for (const qint64 id : ids) {
        const auto it = m_episodes.constFind(id);
        if (it != m_episodes.constEnd())
            result.append(*it);
    }
    return result;
}

QList<EpisodeStatus> EpisodeStatusStore::all() const
{
    QReadLocker lock(&m_lock);
    QList<EpisodeStatus> result(m_episodes.cbegin(), m_episodes.cend());
    std::sort(result.begin(), result.end(),
        [](const EpisodeStatus &a, const EpisodeStatus &b) { return a.record.id < b.record.id; });
    return result;
}

int EpisodeStatusStore::count() const
{
    QReadLocker lock(&m_lock);
    return int(m_episodes.size());
}

QList<qint64> EpisodeStatusStore::takeDirty()
{
    QWriteLocker lock(&m_lock);
    QList<qint64> ids(m_dirty.cbegin(), m_dirty.cend());
    m_dirty.clear();
    std::sort(ids.begin(), ids.end());
    return ids;
}

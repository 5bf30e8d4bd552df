#include "statusbytescache.h"

#include "apijson.h"
#include "sync/episodestatusstore.h"

#include <QSet>

StatusBytesCache::StatusBytesCache(const EpisodeStatusStore &store)
    : m_store(store)
{ }

QList<StatusBytesCache::Entry *> StatusBytesCache::current(const QList<qint64> &ids)
{
    const QList<quint64> revisions = m_store.revisions(ids);
    QList<qint64> moved;
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const auto it = m_entries.constFind(ids.at(i));
        if (revisions.at(i) == 0) {
            if (it != m_entries.cend())
                m_entries.remove(ids.at(i)); // removed from the store
        } else if (it == m_entries.cend() || it->snapshot.revision != revisions.at(i)) {
            moved.append(ids.at(i));
        }
    }
    if (!moved.isEmpty()) {
        QSet<qint64> refreshed;
        for (const EpisodeStatus &status : m_store.statuses(moved)) {
            m_entries.insert(status.record.id, Entry{status, {}, {}, {}});
            refreshed.insert(status.record.id);
        }
        for (const qint64 id : std::as_const(moved)) {
            if (!refreshed.contains(id))
                m_entries.remove(id); // removed between the two looks
        }
    }
    // Only now: the inserts above may have moved every entry.
    QList<Entry *> entries;
    entries.reserve(ids.size());
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const auto it = revisions.at(i) == 0 ? m_entries.end() : m_entries.find(ids.at(i));
        entries.append(it == m_entries.end() ? nullptr : &*it);
    }
    return entries;
}

StatusBytesCache::Entry *StatusBytesCache::current(qint64 id)
{
    return current(QList<qint64>{id}).first();
}

QByteArray StatusBytesCache::serialise(const QJsonObject &object)
{
    ++m_serialisations;
    return ApiJson::compact(object);
}

const QByteArray &StatusBytesCache::statusOf(Entry &entry)
{
    if (entry.status.isNull())
        entry.status = serialise(ApiJson::status(entry.snapshot));
    return entry.status;
}

std::optional<StatusBytesCache::Status> StatusBytesCache::status(qint64 id)
{
    Entry *entry = current(id);
    if (!entry)
        return std::nullopt;
    return Status{entry->snapshot.record.state, entry->snapshot.progress.has_value(), statusOf(*entry)};
}

QList<QByteArray> StatusBytesCache::statuses(const QList<qint64> &ids, QList<qint64> *missing)
{
    const QList<Entry *> entries = current(ids);
    QList<QByteArray> result;
    result.reserve(ids.size());
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (entries.at(i))
            result.append(statusOf(*entries.at(i)));
        else if (missing)
            missing->append(ids.at(i));
    }
    return result;
}

std::optional<QByteArray> StatusBytesCache::episode(qint64 id)
{
    Entry *entry = current(id);
    if (!entry)
        return std::nullopt;
    if (entry->episode.isNull())
        entry->episode = serialise(ApiJson::episode(entry->snapshot));
    return entry->episode;
}

std::optional<QByteArray> StatusBytesCache::statusEvent(qint64 id, EpisodeState state)
{
    Entry *entry = current(id);
    if (!entry)
        return std::nullopt;
    if (state != entry->snapshot.record.state)
        return serialise(ApiJson::transition(entry->snapshot, state)); // rare: the episode moved on already
    if (entry->statusEvent.isNull())
        entry->statusEvent = serialise(ApiJson::transition(entry->snapshot, state));
    return entry->statusEvent;
}

void StatusBytesCache::dropRemoved(const QList<qint64> &ids)
{
    QList<qint64> cached;
    for (const qint64 id : ids) {
        if (m_entries.contains(id))
            cached.append(id);
    }
    if (cached.isEmpty())
        return;
    const QList<quint64> revisions = m_store.revisions(cached);
    for (qsizetype i = 0; i < cached.size(); ++i) {
        if (revisions.at(i) == 0)
            m_entries.remove(cached.at(i));
    }
}

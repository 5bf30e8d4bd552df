#pragma once

#include "catalog/episodestate.h"
#include "sync/episodestatus.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <optional>

class EpisodeStatusStore;
class QJsonObject;

// The API's JSON of each episode, serialised at most once per change of that episode and then served as bytes:
// the single and batch status routes, GET /episodes/{id} and the SSE status and progress events answer from here.
//
// Each read asks the store for the revisions of just the ids it needs (one read lock); an id whose revision moved
// since its bytes were made gets a fresh snapshot (one more read lock for all of them) and its bytes are made again
// when first asked for, on the caller's thread. So no answer is ever stale, nothing is serialised while nobody
// reads, and a request costs what it asks for, not what the catalog holds. Nothing in the status JSON depends on
// the time of the request (next_retry_at is a time, eta_seconds comes with the progress snapshot), so bytes of an
// unchanged revision stay true.
//
// Main thread only (not thread-safe itself; the store is).
class StatusBytesCache
{
public:
    explicit StatusBytesCache(const EpisodeStatusStore &store);

    // What an episode's status is now, as the API sends it.
    struct Status
    {
        EpisodeState state = EpisodeState::Pending;
        bool hasProgress = false;
        QByteArray json; // ApiJson::compact(ApiJson::status(snapshot))
    };
    [[nodiscard]] std::optional<Status> status(qint64 id);
    // The status JSON of every id the store knows, in the order given; the others go to *missing, in order.
    [[nodiscard]] QList<QByteArray> statuses(const QList<qint64> &ids, QList<qint64> *missing);
    // ApiJson::compact(ApiJson::episode(snapshot)).
    [[nodiscard]] std::optional<QByteArray> episode(qint64 id);
    // ApiJson::compact(ApiJson::transition(snapshot, state)): kept when state is the episode's own, made afresh
    // (not kept) for a transition the snapshot has already moved past.
    [[nodiscard]] std::optional<QByteArray> statusEvent(qint64 id, EpisodeState state);

    // Forgets the entries of those ids that the store no longer knows (give it the engine's changed ids).
    void dropRemoved(const QList<qint64> &ids);

    // For tests: how many objects were serialised so far, and how many episodes have an entry.
    qint64 serialisations() const { return m_serialisations; }
    int size() const { return int(m_entries.size()); }

private:
    struct Entry
    {
        EpisodeStatus snapshot; // the bytes below are made from it, each when first asked for (null until then)
        QByteArray status;
        QByteArray episode;
        QByteArray statusEvent; // for the snapshot's own state
    };

    // Brings the entries of ids up to the store's revisions; per id, its entry or nullptr when the store does not
    // know it. The pointers are valid until the next call.
    QList<Entry *> current(const QList<qint64> &ids);
    Entry *current(qint64 id);
    const QByteArray &statusOf(Entry &entry);
    QByteArray serialise(const QJsonObject &object);

    const EpisodeStatusStore &m_store;
    QHash<qint64, Entry> m_entries;
    qint64 m_serialisations = 0;
};

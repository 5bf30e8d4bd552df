#pragma once

#include "catalog/episodestate.h"
#include "storagehealth.h"
#include "throttlestate.h"

#include <QList>
#include <QMetaType>

#include <optional>

// One batch of the engine's change feed (SyncEngine::changed): everything every view (table, details, tray, API,
// SSE, metrics) learns of, in one ordered delivery, so no view has to reconcile two channels or diff snapshots.
//
//   engine thread ── upsert/remove/progress ──► EpisodeStatusStore (events + dirty ids, one lock)
//   main thread   ── every 100 ms, on pause/resume, before a command's answer ──► SyncEngine::changed ──► views
//
// Within a batch the order is: the engine summary (what changed of it), then the episodes' events in the order they
// happened, then changedIds. An episode's status event is logged under the same lock as the change it announces, so
// it always comes in the same batch as, or a batch before, any progress of the state it names.
struct EngineChanges
{
    // What happened to one episode's record: a new record (its state then), or its removal.
    struct Event
    {
        enum class Kind { Status, Removed };
        qint64 id = 0;
        Kind kind = Kind::Status;
        EpisodeState state = EpisodeState::Pending; // Status: the record's state at that moment
        friend bool operator==(const Event &, const Event &) = default;
    };

    std::optional<bool> paused; // pause-all, when it changed since the last batch
    std::optional<StorageHealth> storageHealth; // likewise
    std::optional<ThrottleState> throttle; // likewise: recording mode, the limit in force, the slot
    QList<Event> events; // record changes and removals, in order (a record stored again unchanged is no event)
    QList<qint64> changedIds; // every episode whose shown status changed (record, progress, stage), ascending

    bool isEmpty() const { return !paused && !storageHealth && !throttle && events.isEmpty() && changedIds.isEmpty(); }
};

Q_DECLARE_METATYPE(EngineChanges)

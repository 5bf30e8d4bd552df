#pragma once

#include "sync/enginechanges.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <list>
#include <memory>
#include <optional>

class QHttpServerResponder;
class QTcpSocket;
class StatusBytesCache;
class SyncEngine;

// GET /events: Server-Sent Events over QHttpServer 6.4 (status line and headers once, then body writes for as
// long as the connection lives; no chunked encoding, so the stream ends when the connection closes).
//
// Events (data is JSON):
//   status    the episode's status object (as GET /sync/episodes/{id}/status) when its record changed, naming the
//             state it changed to (one per change, in order, even when the episode has moved on since)
//   progress  the same object, with progress, while it uploads (engine-coalesced, ≤ 10 per second)
//   removed   {"episode_id": n}
//   paused    {"paused": bool}
//   resync    {"reason": ..., "last_event_id": n}: the requested id is unknown or older events were dropped;
//             refetch the state over REST (sent without an id)
// The events follow the engine's change feed (SyncEngine::changed) batch by batch, in its order: a status event always
// comes before the progress of the state it names. Every event but resync has an id, increasing by one. The last
// `bufferSize` events are kept, so a client that reconnects with Last-Event-ID (or ?since=) gets what it missed. A
// comment line is sent every heartbeatMs.
class EventStream : public QObject
{
    Q_OBJECT

public:
    // statusBytes: the status JSON the events carry, shared with the routes (each change serialised once).
    EventStream(SyncEngine &engine, StatusBytesCache &statusBytes, int heartbeatMs, int bufferSize, int maxClients,
        QObject *parent = nullptr);
    ~EventStream() override;

    bool isFull() const { return int(m_clients.size()) >= m_maxClients; }
    // Takes over the responder of an accepted /events request; since: replay events after this id.
    void subscribe(std::unique_ptr<QHttpServerResponder> responder, std::optional<quint64> since);
    int clientCount() const { return int(m_clients.size()); }
    quint64 lastEventId() const { return m_nextId - 1; }

    void publish(const QByteArray &type, const QJsonObject &data);
    void publish(const QByteArray &type, const QByteArray &json); // data already compact JSON

private:
    struct Event
    {
        quint64 id;
        QByteArray text; // the whole SSE frame
    };
    struct Client
    {
        std::unique_ptr<QHttpServerResponder> responder;
        QPointer<QTcpSocket> socket;
    };

    void onChanged(const EngineChanges &changes);
    void publishEvent(const EngineChanges::Event &event);
    void replay(Client &client, std::optional<quint64> since);
    void write(Client &client, const QByteArray &text);
    void heartbeat();
    void dropClosed();

    SyncEngine &m_engine;
    StatusBytesCache &m_statusBytes;
    int m_bufferSize;
    int m_maxClients;
    quint64 m_nextId = 1;
    std::deque<Event> m_buffer;
    std::list<Client> m_clients;
    QTimer m_heartbeat;
};

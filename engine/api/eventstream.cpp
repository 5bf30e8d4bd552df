#include "eventstream.h"

#include "apijson.h"
#include "apilogging.h"
#include "requestguard.h"
#include "statusbytescache.h"
#include "sync/syncengine.h"

#include <QHttpServerResponder>
#include <QTcpSocket>

namespace {

constexpr qint64 kMaxQueuedBytes = 8 << 20; // a client that does not read is dropped beyond this

QByteArray frame(std::optional<quint64> id, const QByteArray &type, const QByteArray &json)
{
    QByteArray text;
    text.reserve(json.size() + type.size() + 40);
    if (id)
        text += "id: " + QByteArray::number(*id) + '\n';
    text += "event: " + type + "\ndata: " + json + "\n\n";
    return text;
}

} // namespace

EventStream::EventStream(
    SyncEngine &engine, StatusBytesCache &statusBytes, int heartbeatMs, int bufferSize, int maxClients, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_statusBytes(statusBytes)
    , m_bufferSize(qMax(1, bufferSize))
    , m_maxClients(maxClients)
{
    connect(&engine, &SyncEngine::changed, this, &EventStream::onChanged);
    connect(&m_heartbeat, &QTimer::timeout, this, &EventStream::heartbeat);
    m_heartbeat.start(qMax(10, heartbeatMs));
}

EventStream::~EventStream() = default;

void EventStream::publish(const QByteArray &type, const QJsonObject &data)
{
    publish(type, ApiJson::compact(data));
}

void EventStream::publish(const QByteArray &type, const QByteArray &json)
{
    const quint64 id = m_nextId++;
    m_buffer.push_back({id, frame(id, type, json)});
    while (int(m_buffer.size()) > m_bufferSize)
        m_buffer.pop_front();
    for (Client &client : m_clients)
        write(client, m_buffer.back().text);
    dropClosed();
}

void EventStream::onChanged(const EngineChanges &changes)
{
    if (changes.paused)
        publish("paused", {{QStringLiteral("paused"), *changes.paused}});
    for (const EngineChanges::Event &event : changes.events)
        publishEvent(event);
    // Progress after the batch's events: the feed logs a state change before any progress of that state.
    for (const qint64 id : changes.changedIds) {
        const auto status = m_statusBytes.status(id);
        if (status && status->hasProgress && status->state == EpisodeState::InProgress)
            publish("progress", status->json);
    }
}

void EventStream::publishEvent(const EngineChanges::Event &event)
{
    if (event.kind == EngineChanges::Event::Kind::Removed) {
        publish("removed", {{QStringLiteral("episode_id"), event.id}});
        return;
    }
    // The event names the state it changed to, even when the episode has moved on already (pending → in_progress
    // → completed in one batch); its other fields are the current snapshot. Removed meanwhile: its removal follows.
    if (const auto data = m_statusBytes.statusEvent(event.id, event.state))
        publish("status", *data);
}

void EventStream::subscribe(std::unique_ptr<QHttpServerResponder> responder, std::optional<quint64> since)
{
    QTcpSocket *socket = responder->socket();
    socket->setProperty(RequestGuard::kStreamProperty, true);
    responder->writeStatusLine(QHttpServerResponder::StatusCode::Ok);
    responder->writeHeader("Content-Type", "text/event-stream; charset=utf-8");
    responder->writeHeader("Cache-Control", "no-store");
    responder->writeHeader("Connection", "close");
    responder->writeHeader("X-Accel-Buffering", "no");
    responder->writeBody(": keystone events; last id " + QByteArray::number(lastEventId()) + "\nretry: 2000\n\n");
    m_clients.push_back({std::move(responder), socket});
    // Queued: the client list is never changed under a loop over it.
    connect(socket, &QAbstractSocket::disconnected, this, &EventStream::dropClosed, Qt::QueuedConnection);
    replay(m_clients.back(), since);
    dropClosed();
}

void EventStream::replay(Client &client, std::optional<quint64> since)
{
    if (!since)
        return;
    const quint64 last = lastEventId();
    const quint64 oldest = m_buffer.empty() ? m_nextId : m_buffer.front().id;
    if (*since > last) {
        write(client,
            frame(std::nullopt, "resync",
                ApiJson::compact(
                    {{QStringLiteral("reason"), QStringLiteral("unknown event id (the server restarted?)")},
                        {QStringLiteral("last_event_id"), qint64(last)}})));
        return;
    }
    if (*since + 1 < oldest) {
        write(client,
            frame(std::nullopt, "resync",
                ApiJson::compact({{QStringLiteral("reason"), QStringLiteral("events after this id are no longer kept")},
                    {QStringLiteral("last_event_id"), qint64(last)}})));
    }
    for (const Event &event : m_buffer) {
        if (event.id > *since)
            write(client, event.text);
    }
}

void EventStream::write(Client &client, const QByteArray &text)
{
    if (!client.socket || client.socket->state() != QAbstractSocket::ConnectedState || !client.responder)
        return;
    if (client.socket->bytesToWrite() > kMaxQueuedBytes) {
        qCInfo(lcApi) << "dropping an /events client that does not read";
        QMetaObject::invokeMethod(client.socket, &QAbstractSocket::abort, Qt::QueuedConnection);
        return;
    }
    client.responder->writeBody(text);
}

void EventStream::heartbeat()
{
    for (Client &client : m_clients)
        write(client, QByteArrayLiteral(": heartbeat\n\n"));
    dropClosed();
}

void EventStream::dropClosed()
{
    m_clients.remove_if([](const Client &client) {
        return !client.socket || client.socket->state() != QAbstractSocket::ConnectedState;
    });
}

#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QTcpSocket>
#include <QUrl>

#include <memory>
#include <optional>

// Test clients for the local API, all waiting by running the event loop (the server lives on the same thread).
struct HttpReply
{
    int status = 0; // 0: no complete response
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    bool closed = false; // the server closed the connection after the response
    QJsonObject json() const;
    QString errorCode() const; // error.code of an error body
    bool isJsonError() const; // {"error": {"code": string, "message": string}} with Content-Type application/json
};

class ApiClient
{
public:
    ApiClient(const QUrl &base, const QByteArray &token);

    // Through QNetworkAccessManager. path is below /api/v1 unless it starts with "//" (then taken verbatim).
    HttpReply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
        const QList<std::pair<QByteArray, QByteArray>> &headers = {}, std::optional<QByteArray> token = {});
    HttpReply get(const QString &path) { return request("GET", path); }
    HttpReply post(const QString &path, const QByteArray &body = {}) { return request("POST", path, body); }
    // POST /episodes {"path", "name"}: 201 with {"episode_id": n, ...} when registered.
    HttpReply registerEpisode(const QString &path, const QString &name);
    // GET /sync/episodes/{id}/status: the status object, or an empty one unless the answer is 200.
    QJsonObject episodeStatus(qint64 id);

    // Raw bytes on a fresh connection; waits for one complete response (and, if asked, for the server's close).
    HttpReply raw(const QByteArray &bytes, int timeoutMs = 10000, bool waitForClose = false);
    // "GET <target> HTTP/1.1" with a good Host, the token and Connection: close, plus extra header lines.
    QByteArray rawRequest(const QByteArray &method, const QByteArray &target, const QByteArray &extraHeaders = {},
        const QByteArray &body = {}) const;

    quint16 port() const { return quint16(m_base.port()); }
    QByteArray token() const { return m_token; }

    // Reads one HTTP response from the front of buffer; nullopt if incomplete. Removes it from buffer.
    static std::optional<HttpReply> parseResponse(QByteArray *buffer, bool untilClose);

private:
    QUrl m_base;
    QByteArray m_token;
    QNetworkAccessManager m_manager;
};

// A Server-Sent Events reader on a raw socket.
class SseClient
{
public:
    struct Event
    {
        qint64 id = -1; // -1: no id
        QByteArray type;
        QJsonObject data;
    };

    bool open(quint16 port, const QByteArray &token, const QByteArray &query = {}, const QByteArray &lastEventId = {});
    int status() const { return m_status; }
    // Parses what has arrived; returns every event so far.
    const QList<Event> &events();
    int heartbeats()
    {
        events();
        return m_heartbeats;
    }
    bool isConnected() const { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }

private:
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
    bool m_headersDone = false;
    int m_status = 0;
    int m_heartbeats = 0;
    QList<Event> m_events;
};

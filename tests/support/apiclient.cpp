#include "apiclient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTest>
#include <QTimer>

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString HttpReply::errorCode() const
{
    return json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

bool HttpReply::isJsonError() const
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject() || document.object().size() != 1)
        return false;
    const QJsonObject inner = document.object().value(QStringLiteral("error")).toObject();
    return headers.value("content-type").startsWith("application/json") && inner.size() == 2
        && inner.value(QStringLiteral("code")).isString() && !inner.value(QStringLiteral("code")).toString().isEmpty()
        && inner.value(QStringLiteral("message")).isString();
}

ApiClient::ApiClient(const QUrl &base, const QByteArray &token)
    : m_base(base)
    , m_token(token)
{
    m_manager.setProxy(QNetworkProxy::NoProxy);
}

HttpReply ApiClient::registerEpisode(const QString &path, const QString &name)
{
    const QJsonObject body{{QStringLiteral("path"), path}, {QStringLiteral("name"), name}};
    return post(QStringLiteral("/episodes"), QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QJsonObject ApiClient::episodeStatus(qint64 id)
{
    const HttpReply reply = get(QStringLiteral("/sync/episodes/%1/status").arg(id));
    return reply.status == 200 ? reply.json() : QJsonObject{};
}

HttpReply ApiClient::request(const QByteArray &method, const QString &path, const QByteArray &body,
    const QList<std::pair<QByteArray, QByteArray>> &headers, std::optional<QByteArray> token)
{
    QUrl url = m_base;
    const QString full = path.startsWith(QLatin1String("//")) ? path.mid(1) : QStringLiteral("/api/v1") + path;
    url = QUrl(m_base.toString() + full, QUrl::TolerantMode);
    QNetworkRequest request(url);
    request.setTransferTimeout(30000);
    const QByteArray bearer = token.value_or(m_token);
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_manager.sendCustomRequest(request, method, body);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 30000))
        reply->abort();
    HttpReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (const auto &pair : reply->rawHeaderPairs())
        result.headers.insert(pair.first.toLower(), pair.second);
    result.body = reply->readAll();
    reply->deleteLater();
    return result;
}

QByteArray ApiClient::rawRequest(
    const QByteArray &method, const QByteArray &target, const QByteArray &extraHeaders, const QByteArray &body) const
{
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port())
        + "\r\nAuthorization: Bearer " + m_token + "\r\nConnection: close\r\n" + extraHeaders;
    if (!body.isEmpty())
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return request + "\r\n" + body;
}

std::optional<HttpReply> ApiClient::parseResponse(QByteArray *buffer, bool untilClose)
{
    const qsizetype end = buffer->indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    HttpReply reply;
    const QList<QByteArray> lines = buffer->left(end).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    reply.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            reply.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    const bool hasLength = reply.headers.contains("content-length");
    const qint64 length = reply.headers.value("content-length").toLongLong();
    if (!hasLength && !untilClose)
        return std::nullopt;
    const qsizetype available = buffer->size() - end - 4;
    if (hasLength && available < length)
        return std::nullopt;
    const qsizetype take = hasLength ? length : available;
    reply.body = buffer->mid(end + 4, take);
    buffer->remove(0, end + 4 + take);
    return reply;
}

HttpReply ApiClient::raw(const QByteArray &bytes, int timeoutMs, bool waitForClose)
{
    // Waits on the socket's own signals (QTest::qWaitFor would poll with 10 ms naps: too slow for 300 requests).
    QTcpSocket socket;
    QByteArray buffer;
    std::optional<HttpReply> reply;
    bool closed = false;
    QEventLoop loop;
    const auto check = [&] {
        buffer += socket.readAll();
        if (!reply)
            reply = parseResponse(&buffer, closed);
        if (closed || (reply && !waitForClose))
            loop.quit();
    };
    QObject::connect(&socket, &QIODevice::readyRead, &loop, check);
    QObject::connect(&socket, &QAbstractSocket::disconnected, &loop, [&] {
        closed = true;
        check();
    });
    QObject::connect(&socket, &QAbstractSocket::errorOccurred, &loop, [&](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError) {
            closed = true;
            check();
        }
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    socket.connectToHost(QHostAddress::LocalHost, port());
    socket.write(bytes); // buffered until connected
    loop.exec();
    buffer += socket.readAll();
    if (!reply)
        reply = parseResponse(&buffer, true);
    if (!reply)
        return {};
    reply->closed = closed;
    return *reply;
}

bool SseClient::open(quint16 port, const QByteArray &token, const QByteArray &query, const QByteArray &lastEventId)
{
    m_socket = std::make_unique<QTcpSocket>();
    m_socket->connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([this] { return m_socket->state() == QAbstractSocket::ConnectedState; }, 5000))
        return false;
    QByteArray request = "GET /api/v1/events" + query + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
        + "\r\nAccept: text/event-stream\r\n";
    if (!lastEventId.isEmpty())
        request += "Last-Event-ID: " + lastEventId + "\r\n";
    m_socket->write(request + "\r\n");
    return QTest::qWaitFor([this] { return (events(), m_headersDone); }, 5000);
}

const QList<SseClient::Event> &SseClient::events()
{
    if (!m_socket)
        return m_events;
    m_buffer += m_socket->readAll();
    if (!m_headersDone) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return m_events;
        m_status = m_buffer.left(end).split(' ').value(1).toInt();
        m_buffer.remove(0, end + 4);
        m_headersDone = true;
    }
    for (qsizetype end = m_buffer.indexOf("\n\n"); end >= 0; end = m_buffer.indexOf("\n\n")) {
        const QByteArray frame = m_buffer.left(end);
        m_buffer.remove(0, end + 2);
        Event event;
        bool comment = false;
        for (const QByteArray &line : frame.split('\n')) {
            if (line.startsWith(':'))
                comment = comment || line.startsWith(": heartbeat");
            else if (line.startsWith("id: "))
                event.id = line.mid(4).toLongLong();
            else if (line.startsWith("event: "))
                event.type = line.mid(7);
            else if (line.startsWith("data: "))
                event.data = QJsonDocument::fromJson(line.mid(6)).object();
        }
        if (comment)
            ++m_heartbeats;
        if (!event.type.isEmpty())
            m_events.append(event);
    }
    return m_events;
}

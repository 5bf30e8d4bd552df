#include "requestguard.h"

#include "apijson.h"
#include "apilogging.h"

#include <QHash>
#include <QTcpSocket>

#include <algorithm>
#include <array>
#include <cstring>

#include <sys/socket.h>

namespace {

constexpr int kLingerMs = 2000; // after a rejection: drain what the client still sends, then close
constexpr std::array kMethods{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

QByteArray reasonPhrase(int status)
{
    static const QHash<int, QByteArray> phrases{{400, "Bad Request"}, {408, "Request Timeout"},
        {411, "Length Required"}, {413, "Payload Too Large"}, {414, "URI Too Long"},
        {431, "Request Header Fields Too Large"}};
    return phrases.value(status, "Bad Request");
}

// The request line: METHOD SP origin-form-target SP HTTP/1.x, printable ASCII only.
QString requestLineProblem(const QByteArray &line)
{
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() != 3)
        return QStringLiteral("malformed request line");
    if (std::none_of(kMethods.begin(), kMethods.end(), [&](const char *m) { return parts.at(0) == m; }))
        return QStringLiteral("unsupported method");
    const QByteArray &target = parts.at(1);
    if (!target.startsWith('/'))
        return QStringLiteral("the request target must be an absolute path");
    for (const char c : target) {
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f
            || std::strchr("\"<>\\^`{|}", c))
            return QStringLiteral("the request target must be printable ASCII (percent-encode the rest)");
    }
    if (parts.at(2) != "HTTP/1.1" && parts.at(2) != "HTTP/1.0")
        return QStringLiteral("unsupported HTTP version");
    return {};
}

QString headerLineProblem(const QByteArray &line, QByteArray *name, QByteArray *value)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return QStringLiteral("malformed header line");
    *name = line.left(colon).toLower();
    for (const char c : *name) {
        if (!isTokenChar(c))
            return QStringLiteral("malformed header name");
    }
    *value = line.mid(colon + 1).trimmed();
    for (const char c : *value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return QStringLiteral("control character in a header value");
    }
    return {};
}

} // namespace

RequestGuard::RequestGuard(QTcpSocket *socket, const Limits &limits)
    : QObject(socket)
    , m_socket(socket)
    , m_limits(limits)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RequestGuard::onTimeout);
    m_timer.start(m_limits.idleTimeoutMs);
}

void RequestGuard::onHeadReadyRead()
{
    if (m_phase == Phase::Rejected)
        return;
    const qint64 available = m_socket->bytesAvailable();
    const QByteArray all = m_socket->peek(available);
    const qint64 fresh = qMax<qint64>(0, all.size() - m_unconsumed);
    m_tailPending = true;
    feed(all.right(fresh));
    if (m_phase != Phase::Rejected)
        QTimer::singleShot(0, this, &RequestGuard::checkParserAlive);
}

void RequestGuard::onTailReadyRead()
{
    m_tailPending = false;
    m_unconsumed = m_socket->bytesAvailable();
}

void RequestGuard::checkParserAlive()
{
    // QHttpServer 6.4 disconnects every signal of a socket whose request it cannot parse, without answering; its
    // readyRead handler (and our tail, which runs after it) then never ran for the last bytes.
    if (!m_tailPending || m_phase == Phase::Rejected || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    reject(400, "bad_request", QStringLiteral("malformed HTTP request"));
}

void RequestGuard::feed(const QByteArray &bytes)
{
    qsizetype at = 0;
    while (at < bytes.size() && m_phase != Phase::Rejected) {
        switch (m_phase) {
        case Phase::Idle:
            if (bytes.at(at) == '\r' || bytes.at(at) == '\n') { // empty lines before a request are allowed
                ++at;
                break;
            }
            m_phase = Phase::Headers;
            m_head.clear();
            m_timer.start(m_limits.requestTimeoutMs);
            break;
        case Phase::Headers:
            at = feedHeaders(bytes, at);
            break;
        case Phase::Body: {
            const qint64 take = qMin<qint64>(m_bodyLeft, bytes.size() - at);
            m_bodyLeft -= take;
            at += take;
            if (m_bodyLeft == 0)
                requestComplete();
            break;
        }
        case Phase::Rejected:
            break;
        }
    }
}

qsizetype RequestGuard::feedHeaders(const QByteArray &bytes, qsizetype from)
{
    const qsizetype searchFrom = qMax<qsizetype>(0, m_head.size() - 3);
    const qsizetype room = qsizetype(m_limits.maxHeaderBytes) + 4 - m_head.size();
    const qsizetype chunk = qMin(bytes.size() - from, qMax<qsizetype>(room, 0));
    m_head.append(bytes.constData() + from, chunk);

    qsizetype end = m_head.indexOf("\r\n\r\n", searchFrom);
    qsizetype endLength = 4;
    const qsizetype bare = m_head.indexOf("\n\n", searchFrom);
    if (bare >= 0 && (end < 0 || bare < end)) {
        end = bare;
        endLength = 2;
    }
    if (end < 0) {
        const qsizetype firstLine = m_head.indexOf('\n');
        if ((firstLine < 0 && m_head.size() > m_limits.maxRequestLine) || firstLine > m_limits.maxRequestLine)
            reject(
                414, "uri_too_long", QStringLiteral("the request line exceeds %1 bytes").arg(m_limits.maxRequestLine));
        else if (m_head.size() > m_limits.maxHeaderBytes)
            reject(431, "headers_too_large",
                QStringLiteral("the request headers exceed %1 bytes").arg(m_limits.maxHeaderBytes));
        return from + chunk;
    }
    const qsizetype consumedBefore = m_head.size() - chunk;
    const qsizetype headEnd = end + endLength;
    if (!checkHead(end))
        return bytes.size();
    m_head.clear();
    return from + (headEnd - consumedBefore);
}

bool RequestGuard::checkHead(qsizetype headerEnd)
{
    QList<QByteArray> lines = m_head.left(headerEnd).split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    if (lines.first().size() > m_limits.maxRequestLine) {
        reject(414, "uri_too_long", QStringLiteral("the request line exceeds %1 bytes").arg(m_limits.maxRequestLine));
        return false;
    }
    if (headerEnd > m_limits.maxHeaderBytes || lines.size() - 1 > m_limits.maxHeaderCount) {
        reject(431, "headers_too_large",
            QStringLiteral("at most %1 header lines and %2 bytes")
                .arg(m_limits.maxHeaderCount)
                .arg(m_limits.maxHeaderBytes));
        return false;
    }
    if (const QString problem = requestLineProblem(lines.first()); !problem.isEmpty()) {
        reject(400, "bad_request", problem);
        return false;
    }
    QByteArray contentLength;
    int hosts = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray name, value;
        if (const QString problem = headerLineProblem(lines.at(i), &name, &value); !problem.isEmpty()) {
            reject(400, "bad_request", problem);
            return false;
        }
        if (name == "content-length") {
            if (!contentLength.isNull() && contentLength != value) {
                reject(400, "bad_request", QStringLiteral("conflicting Content-Length headers"));
                return false;
            }
            contentLength = value;
        } else if (name == "transfer-encoding") {
            reject(
                411, "length_required", QStringLiteral("request bodies need a Content-Length (no Transfer-Encoding)"));
            return false;
        } else if (name == "upgrade") {
            reject(400, "bad_request", QStringLiteral("protocol upgrades are not supported"));
            return false;
        } else if (name == "host") {
            ++hosts;
        }
    }
    if (hosts > 1) {
        reject(400, "bad_request", QStringLiteral("more than one Host header"));
        return false;
    }
    m_bodyLeft = 0;
    if (!contentLength.isNull()) {
        bool ok = contentLength.size() <= 18 && !contentLength.isEmpty();
        for (const char c : contentLength)
            ok = ok && c >= '0' && c <= '9';
        if (!ok) {
            // 19+ digits: too large for anything we accept; anything else: not a length.
            const bool huge = contentLength.size() > 18
                && std::all_of(contentLength.begin(), contentLength.end(), [](char c) { return c >= '0' && c <= '9'; });
            if (huge)
                reject(413, "payload_too_large",
                    QStringLiteral("request bodies are limited to %1 bytes").arg(m_limits.maxBody));
            else
                reject(400, "bad_request", QStringLiteral("malformed Content-Length"));
            return false;
        }
        m_bodyLeft = contentLength.toLongLong();
        if (m_bodyLeft > m_limits.maxBody) {
            reject(413, "payload_too_large",
                QStringLiteral("request bodies are limited to %1 bytes").arg(m_limits.maxBody));
            return false;
        }
    }
    if (m_bodyLeft > 0)
        m_phase = Phase::Body;
    else
        requestComplete();
    return true;
}

void RequestGuard::requestComplete()
{
    m_phase = Phase::Idle;
    m_timer.start(m_limits.idleTimeoutMs);
}

void RequestGuard::onTimeout()
{
    if (m_phase == Phase::Rejected) {
        m_socket->abort();
        return;
    }
    if (m_phase == Phase::Idle) {
        if (m_socket->property(kStreamProperty).toBool())
            return; // an /events stream: the server writes, the client only listens
        qCDebug(lcApi) << "closing an idle connection";
        m_socket->disconnectFromHost();
        return;
    }
    reject(408, "request_timeout",
        QStringLiteral("the request did not arrive within %1 ms").arg(m_limits.requestTimeoutMs));
}

void RequestGuard::reject(int status, const char *code, const QString &message)
{
    qCInfo(lcApi) << "rejecting a request:" << status << message;
    m_phase = Phase::Rejected;
    // QHttpServer must not see (or answer) the rest of this connection.
    QObject::disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction(); // or everything drained below would stay buffered for a rollback
    const QByteArray body = ApiJson::errorBody(QString::fromLatin1(code), message);
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    response += "Content-Type: application/json\r\nCache-Control: no-store\r\nConnection: close\r\n";
    response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    m_socket->write(response);
    // Lingering close: stop sending, keep reading (and dropping) what the client still sends so that the kernel
    // does not reset the connection before the client has read the answer, then close.
    connect(m_socket, &QIODevice::readyRead, this, &RequestGuard::drain);
    connect(m_socket, &QIODevice::bytesWritten, this, [this] {
        if (m_socket->bytesToWrite() == 0 && m_socket->socketDescriptor() >= 0)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    });
    connect(m_socket, &QAbstractSocket::disconnected, m_socket, &QObject::deleteLater, Qt::UniqueConnection);
    drain();
    m_timer.start(kLingerMs);
}

void RequestGuard::drain()
{
    m_socket->skip(m_socket->bytesAvailable());
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        m_socket->deleteLater();
}

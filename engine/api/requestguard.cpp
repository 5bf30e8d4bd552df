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
// While a connection's requests wait for its client to read (see pause()): how much more QTcpSocket may take from
// the kernel, and how many answers may be outstanding (engine commands answer later) before they wait too.
constexpr qint64 kPausedReadBufferBytes = 64 * 1024;
constexpr int kMaxUnanswered = 32;

qint64 nextIdleSequence()
{
    static qint64 sequence = 0; // the main thread only
    return ++sequence;
}
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

// Whether the client asked to close after this request: HTTP/1.1 with "Connection: close", HTTP/1.0 without
// "Connection: keep-alive" (RFC 9112 9.3). connection: the header's values, comma-joined.
bool closeRequested(const QByteArray &version, const QByteArray &connection)
{
    bool close = false;
    bool keepAlive = false;
    for (const QByteArray &option : connection.split(',')) {
        const QByteArray token = option.trimmed().toLower();
        close = close || token == "close";
        keepAlive = keepAlive || token == "keep-alive";
    }
    return close || (version == "HTTP/1.0" && !keepAlive);
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

RequestGuard::RequestGuard(QTcpSocket *socket, const Limits &limits, Counters *counters)
    : QObject(socket)
    , m_socket(socket)
    , m_limits(limits)
    , m_counters(counters)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RequestGuard::onTimeout);
    connect(m_socket, &QIODevice::bytesWritten, this, &RequestGuard::onBytesWritten);
    m_timer.start(m_limits.idleTimeoutMs);
    becameIdle();
}

RequestGuard::~RequestGuard()
{
    if (m_paused && m_counters)
        --m_counters->paused;
}

RequestGuard *RequestGuard::of(const QTcpSocket *socket)
{
    return socket ? socket->findChild<RequestGuard *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

bool RequestGuard::isIdle() const
{
    return m_phase == Phase::Idle && m_unanswered == 0 && m_closeAfter.isEmpty() && !m_paused && !m_closing
        && m_socket->bytesToWrite() == 0 && !m_socket->property(kStreamProperty).toBool();
}

void RequestGuard::becameIdle()
{
    m_idleSince = nextIdleSequence();
}

bool RequestGuard::beginResponse()
{
    ++m_unanswered;
    return m_closeAfter.isEmpty() ? false : m_closeAfter.takeFirst();
}

void RequestGuard::endResponse(bool closeAfter)
{
    m_unanswered = qMax(0, m_unanswered - 1);
    if (m_counters) {
        ++m_counters->responses;
        m_counters->largestOutputBytes = qMax(m_counters->largestOutputBytes, m_socket->bytesToWrite());
    }
    if (m_phase == Phase::Rejected || m_closing)
        return;
    if (closeAfter) {
        // QHttpServer 6.4 keeps the connection open whatever the request said: stop it reading further requests,
        // and close once the answer is written (disconnectFromHost() sends what is buffered first).
        qCDebug(lcApi) << "closing a connection after its answer (Connection: close / HTTP/1.0)";
        m_closing = true;
        QObject::disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
        m_timer.start(m_limits.idleTimeoutMs); // a client that never reads the answer is cut off then
        m_socket->disconnectFromHost();
        return;
    }
    if (m_phase == Phase::Idle)
        m_timer.start(m_limits.idleTimeoutMs);
    becameIdle();
    checkBackpressure();
    resumeIfDrained();
}

void RequestGuard::onBytesWritten()
{
    // The client reads: that is progress, not idleness.
    if (m_phase == Phase::Idle && !m_closing)
        m_timer.start(m_limits.idleTimeoutMs);
    resumeIfDrained();
}

void RequestGuard::resumeIfDrained()
{
    // Down to half the cap before reading again: not a pause and a resume for every answer at the edge.
    if (m_paused && m_unanswered < kMaxUnanswered && m_socket->bytesToWrite() <= m_limits.maxOutputBytes / 2)
        resume();
}

void RequestGuard::checkBackpressure()
{
    if (m_paused || m_closing || m_phase == Phase::Rejected)
        return;
    if (m_socket->bytesToWrite() <= m_limits.maxOutputBytes && m_unanswered < kMaxUnanswered)
        return;
    // QHttpServer is in the middle of reading a request (its own read transaction): decided after its next read.
    if (m_socket->isTransactionStarted())
        return;
    pause();
}

// QHttpServer 6.4 parses one request per readyRead and queues another readyRead while bytes remain, answering every
// pipelined request whether or not the client reads the answers. To stop it without touching its connections, the
// guard moves the bytes not yet parsed into a read transaction of its own: QHttpServer then finds nothing to read
// (and starts no transaction, ours being open). The socket's read buffer is bounded meanwhile, so the kernel's
// flow control holds the client back. resume() rolls the transaction back: the bytes are readable again, in order.
void RequestGuard::pause()
{
    qCDebug(lcApi) << "a client does not read its answers:" << m_socket->bytesToWrite()
                   << "bytes unsent; its further requests wait";
    m_paused = true;
    if (m_counters) {
        ++m_counters->paused;
        ++m_counters->pauses;
    }
    m_socket->setReadBufferSize(kPausedReadBufferBytes);
    m_socket->startTransaction();
    holdArrived();
}

void RequestGuard::holdArrived()
{
    m_socket->read(m_socket->bytesAvailable()); // kept by the transaction
    m_unconsumed = 0;
}

void RequestGuard::resume()
{
    m_paused = false;
    if (m_counters)
        --m_counters->paused;
    m_socket->setReadBufferSize(0);
    if (m_socket->isTransactionStarted())
        m_socket->rollbackTransaction();
    m_unconsumed = m_socket->bytesAvailable(); // fed to feed() when they arrived
    if (m_unconsumed > 0)
        QMetaObject::invokeMethod(m_socket, &QAbstractSocket::readyRead, Qt::QueuedConnection);
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
    if (m_phase == Phase::Rejected)
        return;
    if (m_paused)
        holdArrived(); // checked, but not for QHttpServer yet
    QTimer::singleShot(0, this, &RequestGuard::checkParserAlive);
}

void RequestGuard::onTailReadyRead()
{
    m_tailPending = false;
    m_unconsumed = m_socket->bytesAvailable();
    checkBackpressure();
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
    QByteArray connection;
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
        } else if (name == "connection") {
            connection += ',' + value;
        }
    }
    if (hosts > 1) {
        reject(400, "bad_request", QStringLiteral("more than one Host header"));
        return false;
    }
    m_closeRequested = closeRequested(lines.first().split(' ').constLast(), connection);
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
    m_closeAfter.append(m_closeRequested);
    m_timer.start(m_limits.idleTimeoutMs);
    becameIdle();
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
        if (m_unanswered > 0 && !m_paused && !m_closing) {
            m_timer.start(m_limits.idleTimeoutMs); // an engine command is still working on the answer
            return;
        }
        if (m_paused || m_closing || m_socket->bytesToWrite() > 0) {
            qCDebug(lcApi) << "closing a connection whose client stopped reading";
            m_socket->abort();
            return;
        }
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
    if (m_paused) {
        m_paused = false;
        if (m_counters)
            --m_counters->paused;
        m_socket->setReadBufferSize(0);
    }
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

#include "guardedtcpserver.h"

#include "apilogging.h"
#include "core/descriptorlimit.h"

#include <QAbstractHttpServer>
#include <QEvent>
#include <QSocketNotifier>
#include <QTcpSocket>

#include <algorithm>

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

namespace {

// A burst of connects waits in the kernel queue instead of having its SYNs dropped and retried a second later (the
// kernel caps this at net.core.somaxconn, 4096 on Debian 12).
constexpr int kListenBacklog = 4096;

} // namespace

GuardedTcpServer::GuardedTcpServer(const RequestGuard::Limits &limits, int maxConnections, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_maxConnections(qMax(1, maxConnections))
    , m_descriptorLimit(DescriptorLimit::current().soft)
{
    m_descriptorReserve = DescriptorLimit::reserveFor(m_descriptorLimit);
    setListenBacklogSize(kListenBacklog);
    m_acceptRetry.setSingleShot(true);
    connect(&m_acceptRetry, &QTimer::timeout, this, &QTcpServer::resumeAccepting);
    connect(this, &QTcpServer::acceptError, this, &GuardedTcpServer::onAcceptError);
}

GuardedTcpServer::~GuardedTcpServer()
{
    // The sockets' guards count into m_stats: they go before it does, not after as QObject children would.
    const auto sockets = findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    m_connections.clear();
    for (QTcpSocket *socket : sockets) {
        disconnect(socket, nullptr, this, nullptr);
        delete socket;
    }
}

bool GuardedTcpServer::listenFor(QAbstractHttpServer *httpServer, const QHostAddress &address, quint16 port)
{
    if (!listen(address, port))
        return false;
    watchAcceptNotifier();
    httpServer->bind(this);
    // Connected after bind(): these run after QHttpServer has taken the new sockets and hooked its readyRead.
    connect(this, &QTcpServer::newConnection, this, &GuardedTcpServer::attachTails);
    connect(this, &QTcpServer::pendingConnectionAvailable, this, &GuardedTcpServer::attachTails);
    return true;
}

int GuardedTcpServer::connectionLimit() const
{
    if (m_descriptorLimit < 0)
        return m_maxConnections;
    return int(std::clamp<long long>(m_descriptorLimit - m_descriptorReserve, 1, m_maxConnections));
}

GuardedTcpServer::Stats GuardedTcpServer::stats() const
{
    Stats stats = m_stats;
    stats.open = int(m_connections.size());
    return stats;
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    // Growing (not replacing an evicted connection) needs descriptors to spare; counted only then.
    const bool room = (m_connections.size() < connectionLimit() && descriptorsToSpare()) || makeRoom();
    if (!room) {
        ++m_stats.refused;
        qCDebug(lcApi) << "refusing a connection:" << m_connections.size() << "open, none idle";
        ::close(int(descriptor));
        return;
    }
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        ::close(int(descriptor));
        return;
    }
    ++m_stats.accepted;
    m_shortageWarned = false;
    auto *guard = new RequestGuard(socket, m_limits, &m_stats.guards);
    m_connections.append({socket, guard});
    connect(socket, &QAbstractSocket::disconnected, this, [this, socket] { forget(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] { forget(socket); });
    connect(socket, &QIODevice::readyRead, guard, &RequestGuard::onHeadReadyRead); // first: before QHttpServer's
    addPendingConnection(socket);
}

bool GuardedTcpServer::descriptorsToSpare() const
{
    if (m_descriptorLimit < 0)
        return true;
    const int open = DescriptorLimit::openCount();
    return open < 0 || m_descriptorLimit - open > m_descriptorReserve;
}

bool GuardedTcpServer::makeRoom()
{
    QTcpSocket *oldest = nullptr;
    qint64 oldestSince = 0;
    for (const Connection &connection : std::as_const(m_connections)) {
        if (!connection.guard->isIdle())
            continue;
        if (!oldest || connection.guard->idleSince() < oldestSince) {
            oldest = connection.socket;
            oldestSince = connection.guard->idleSince();
        }
    }
    if (!oldest)
        return false;
    ++m_stats.evicted;
    qCDebug(lcApi) << "closing the oldest idle connection to make room";
    oldest->abort(); // disconnected → forget(); QHttpServer deletes it later
    forget(oldest);
    return true;
}

void GuardedTcpServer::forget(QTcpSocket *socket)
{
    m_connections.removeIf([socket](const Connection &connection) { return connection.socket == socket; });
}

void GuardedTcpServer::onAcceptError(QAbstractSocket::SocketError error)
{
    ++m_stats.acceptErrors;
    qCDebug(lcApi) << "cannot accept an API connection:" << error << errorString();
    // QTcpServer pauses accepting after an error it does not count as temporary, for good: accept again a little
    // later. (At the descriptor limit this is routine: after taking the last free descriptor QTcpServer's accept
    // loop tries once more, and the kernel answers EMFILE before it looks for a waiting connection.)
    m_acceptRetry.start(kAcceptRetryMs);
}

void GuardedTcpServer::watchAcceptNotifier()
{
    const auto notifiers = findChildren<QSocketNotifier *>();
    for (QSocketNotifier *notifier : notifiers) {
        if (notifier->type() == QSocketNotifier::Read && notifier->socket() == socketDescriptor()) {
            m_acceptNotifier = notifier;
            notifier->installEventFilter(this);
            return;
        }
    }
    qCWarning(lcApi) << "the listening socket's notifier was not found: a shortage of descriptors will not be paced";
}

bool GuardedTcpServer::descriptorFree() const
{
    const int probe = ::fcntl(int(socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (probe < 0)
        return errno != EMFILE && errno != ENFILE;
    ::close(probe);
    return true;
}

bool GuardedTcpServer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_acceptNotifier || event->type() != QEvent::SockAct || descriptorFree())
        return QTcpServer::eventFilter(watched, event);
    ++m_stats.descriptorShortages;
    if (makeRoom())
        return false; // the evicted connection's descriptor is free for this accept
    if (!m_shortageWarned) // once per shortage: this repeats every kAcceptRetryMs while it lasts
        qCWarning(lcApi) << "no file descriptor free for a new API connection; trying again every" << kAcceptRetryMs
                         << "ms";
    m_shortageWarned = true;
    pauseAccepting();
    m_acceptRetry.start(kAcceptRetryMs);
    return true;
}

QTcpSocket *GuardedTcpServer::nextPendingConnection()
{
    QTcpSocket *socket = QTcpServer::nextPendingConnection();
    if (socket)
        m_taken.append(socket);
    return socket;
}

void GuardedTcpServer::attachTails()
{
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_taken)) {
        if (!socket)
            continue;
        if (auto *guard = RequestGuard::of(socket))
            connect(socket, &QIODevice::readyRead, guard, &RequestGuard::onTailReadyRead);
    }
    m_taken.clear();
}

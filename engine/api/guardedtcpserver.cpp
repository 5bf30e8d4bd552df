#include "guardedtcpserver.h"

#include <QAbstractHttpServer>
#include <QTcpSocket>

GuardedTcpServer::GuardedTcpServer(const RequestGuard::Limits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{ }

bool GuardedTcpServer::listenFor(QAbstractHttpServer *httpServer, const QHostAddress &address, quint16 port)
{
    if (!listen(address, port))
        return false;
    httpServer->bind(this);
    // Connected after bind(): these run after QHttpServer has taken the new sockets and hooked its readyRead.
    connect(this, &QTcpServer::newConnection, this, &GuardedTcpServer::attachTails);
    connect(this, &QTcpServer::pendingConnectionAvailable, this, &GuardedTcpServer::attachTails);
    return true;
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    auto *guard = new RequestGuard(socket, m_limits);
    connect(socket, &QIODevice::readyRead, guard, &RequestGuard::onHeadReadyRead); // first: before QHttpServer's
    addPendingConnection(socket);
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
        if (auto *guard = socket->findChild<RequestGuard *>(QString(), Qt::FindDirectChildrenOnly))
            connect(socket, &QIODevice::readyRead, guard, &RequestGuard::onTailReadyRead);
    }
    m_taken.clear();
}

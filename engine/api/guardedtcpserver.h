#pragma once

#include "requestguard.h"

#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTimer>

class QAbstractHttpServer;

// The QTcpServer the API binds QHttpServer to (QAbstractHttpServer::bind): every connection gets a RequestGuard
// that sees each new byte before QHttpServer does (see RequestGuard for the limits), and the number of connections
// is bounded. incomingConnection() takes any connected stream descriptor, so every socket the server holds counts.
//
// A new connection when maxConnections are open, or when fewer than the descriptor reserve would stay free
// (DescriptorLimit::reserveFor: the catalog and upload threads must always be able to open theirs): the oldest idle
// connection (RequestGuard::isIdle) is closed to make room; if none is idle the new one is closed at once
// (refused). Should the process run out of descriptors anyway (something else took them), the server checks for a
// free descriptor before QTcpServer accepts (an event filter on its listening notifier); with none it closes its
// oldest idle connection, or else stops accepting for kAcceptRetryMs: no busy loop of failing accept() calls, and
// the connection waits in the kernel's queue until a descriptor is free. After an accept error QTcpServer stops
// accepting for good; the server resumes it after kAcceptRetryMs.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    struct Stats
    {
        int open = 0; // connections held now
        qint64 accepted = 0;
        qint64 evicted = 0; // idle connections closed to make room
        qint64 refused = 0; // connections closed at once: full, none idle
        qint64 descriptorShortages = 0; // connections waiting while the process had no descriptor free
        qint64 acceptErrors = 0; // accept() failures QTcpServer reported
        RequestGuard::Counters guards;
    };

    GuardedTcpServer(const RequestGuard::Limits &limits, int maxConnections, QObject *parent = nullptr);
    ~GuardedTcpServer() override;

    // Listens first, then: httpServer->bind(this), and the guards' tail hooks after QHttpServer's handlers.
    bool listenFor(QAbstractHttpServer *httpServer, const QHostAddress &address, quint16 port);

    QTcpSocket *nextPendingConnection() override;
    // A connection accepted elsewhere (the API's Unix socket, UnixSocketListener) served like one accepted here.
    void adoptDescriptor(qintptr descriptor) { incomingConnection(descriptor); }
    [[nodiscard]] Stats stats() const;
    // The connection bound in force: maxConnections, or fewer if the descriptor limit leaves less room.
    [[nodiscard]] int connectionLimit() const;

protected:
    void incomingConnection(qintptr descriptor) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    static constexpr int kAcceptRetryMs = 100;

    void attachTails();
    [[nodiscard]] bool makeRoom();
    [[nodiscard]] bool descriptorsToSpare() const;
    void forget(QTcpSocket *socket);
    void onAcceptError(QAbstractSocket::SocketError error);
    void watchAcceptNotifier();
    [[nodiscard]] bool descriptorFree() const;

    RequestGuard::Limits m_limits;
    int m_maxConnections;
    int m_descriptorReserve;
    long long m_descriptorLimit;
    struct Connection
    {
        QTcpSocket *socket;
        RequestGuard *guard; // the socket's child
    };
    QList<Connection> m_connections; // open, in accept order
    QList<QPointer<QTcpSocket>> m_taken; // handed to QHttpServer, tail hook not attached yet
    Stats m_stats;
    QTimer m_acceptRetry;
    bool m_shortageWarned = false;
    QPointer<QObject> m_acceptNotifier; // QTcpServer's listening-socket notifier (its socket engine's child)
};

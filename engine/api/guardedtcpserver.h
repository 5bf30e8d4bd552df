#pragma once

#include "requestguard.h"

#include <QList>
#include <QPointer>
#include <QTcpServer>

class QAbstractHttpServer;

// The QTcpServer the API binds QHttpServer to (QAbstractHttpServer::bind): every connection gets a RequestGuard
// that sees each new byte before QHttpServer does (see RequestGuard for the limits).
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    explicit GuardedTcpServer(const RequestGuard::Limits &limits, QObject *parent = nullptr);

    // Listens first, then: httpServer->bind(this), and the guards' tail hooks after QHttpServer's handlers.
    bool listenFor(QAbstractHttpServer *httpServer, const QHostAddress &address, quint16 port);

    QTcpSocket *nextPendingConnection() override;
    // A connection accepted elsewhere (the API's Unix socket, UnixSocketListener) served like one accepted here.
    void adoptDescriptor(qintptr descriptor) { incomingConnection(descriptor); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void attachTails();

    RequestGuard::Limits m_limits;
    QList<QPointer<QTcpSocket>> m_taken; // handed to QHttpServer, tail hook not attached yet
};

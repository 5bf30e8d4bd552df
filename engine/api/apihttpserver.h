#pragma once

#include <QAbstractHttpServer>
#include <QHttpServerResponder>

#include <functional>

// QAbstractHttpServer with one entry point: every parsed request goes to the dispatcher together with its
// responder (the responder-style handler of QHttpServer 6.4, minus its router, which cannot answer 405).
class ApiHttpServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    using Dispatcher = std::function<void(const QHttpServerRequest &, QHttpServerResponder &&)>;

    explicit ApiHttpServer(Dispatcher dispatcher, QObject *parent = nullptr);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Dispatcher m_dispatcher;
};

#include "apihttpserver.h"

ApiHttpServer::ApiHttpServer(Dispatcher dispatcher, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_dispatcher(std::move(dispatcher))
{ }

bool ApiHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    m_dispatcher(request, makeResponder(request, socket));
    return true;
}

void ApiHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Not reached: handleRequest() takes every request. Kept total for the abstract interface.
    m_dispatcher(request, makeResponder(request, socket));
}

#include "apiresponse.h"

#include "apijson.h"
#include "apilogging.h"
#include "requestguard.h"

#include <QHttpServerResponder>
#include <QTcpSocket>

struct ApiResponse::State
{
    explicit State(QHttpServerResponder &&r)
        : responder(std::make_unique<QHttpServerResponder>(std::move(r)))
        , socket(responder->socket())
        , guard(RequestGuard::of(socket))
    {
        if (guard)
            closeAfter = guard->beginResponse();
    }
    ~State()
    {
        if (!answered && guard) // dropped unanswered: the connection must not wait for it
            guard->endResponse(closeAfter);
    }
    std::unique_ptr<QHttpServerResponder> responder;
    QPointer<QTcpSocket> socket;
    QPointer<RequestGuard> guard; // the connection's: told when this answer is written
    bool head = false;
    bool answered = false;
    bool closeAfter = false; // the client asked to close after this answer
};

ApiResponse::ApiResponse(QHttpServerResponder &&responder, bool headRequest)
    : m_state(std::make_shared<State>(std::move(responder)))
{
    m_state->head = headRequest;
}

bool ApiResponse::answered() const
{
    return m_state->answered;
}

bool ApiResponse::clientGone() const
{
    return !m_state->socket || m_state->socket->state() != QAbstractSocket::ConnectedState;
}

QTcpSocket *ApiResponse::socket() const
{
    return m_state->socket;
}

std::unique_ptr<QHttpServerResponder> ApiResponse::take()
{
    m_state->answered = true;
    return std::move(m_state->responder);
}

void ApiResponse::json(int status, const QJsonObject &object, const Headers &headers)
{
    jsonBytes(status, ApiJson::compact(object), headers);
}

void ApiResponse::jsonBytes(int status, const QByteArray &json, const Headers &headers)
{
    send(status, json, QByteArrayLiteral("application/json"), headers);
}

void ApiResponse::error(int status, const QString &code, const QString &message, const Headers &headers)
{
    send(status, ApiJson::errorBody(code, message), QByteArrayLiteral("application/json"), headers);
}

void ApiResponse::send(int status, const QByteArray &body, const QByteArray &contentType, const Headers &headers)
{
    if (m_state->answered || !m_state->responder)
        return;
    m_state->answered = true;
    if (clientGone()) {
        qCDebug(lcApi) << "client gone before its" << status << "answer";
        return;
    }
    QHttpServerResponder &responder = *m_state->responder;
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    responder.writeHeader(QByteArrayLiteral("Content-Type"), contentType);
    responder.writeHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    responder.writeHeader(QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff"));
    for (const auto &[name, value] : headers)
        responder.writeHeader(name, value);
    if (m_state->closeAfter)
        responder.writeHeader(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    const QByteArray payload = m_state->head ? QByteArray() : body;
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(payload.size()));
    responder.writeBody(payload);
    if (m_state->guard)
        m_state->guard->endResponse(m_state->closeAfter);
}

#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QString>

#include <memory>
#include <utility>

class QHttpServerResponder;
class QTcpSocket;

// The answer to one request, possibly given later (engine commands answer through a callback): the responder is
// moved into shared state together with a guard on its socket, so the handler returns at once and an answer for
// a client that has gone is dropped instead of being written through the responder's raw socket pointer.
// Copyable (it is captured by std::function callbacks); the first answer wins, later ones are ignored.
class ApiResponse
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    ApiResponse(QHttpServerResponder &&responder, bool headRequest);

    void json(int status, const QJsonObject &object, const Headers &headers = {});
    // JSON already serialised (StatusBytesCache).
    void jsonBytes(int status, const QByteArray &json, const Headers &headers = {});
    void error(int status, const QString &code, const QString &message, const Headers &headers = {});
    void send(int status, const QByteArray &body, const QByteArray &contentType, const Headers &headers = {});

    bool answered() const;
    bool clientGone() const;
    QTcpSocket *socket() const;
    // Hands the responder over (SSE streams keep it); the response counts as answered.
    std::unique_ptr<QHttpServerResponder> take();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

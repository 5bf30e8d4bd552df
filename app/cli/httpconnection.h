#pragma once

#include "apiendpoint.h"
#include "apifailure.h"
#include "core/expected.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QList>
#include <QPair>

#include <memory>

class QIODevice;

// One keep-alive HTTP/1.1 connection to the local API, over its Unix socket (QLocalSocket) or TCP (QTcpSocket),
// used synchronously (waitFor*: the script verbs have nothing else to do). One code path builds every request and
// parses every answer for both transports; it speaks only what the API sends: a status line, headers and a body
// of Content-Length bytes (or up to the close). QNetworkAccessManager cannot reach a Unix socket in Qt 6.4.
class HttpConnection
{
    Q_DECLARE_TR_FUNCTIONS(HttpConnection)

public:
    struct Answer
    {
        int status = 0;
        QByteArray reason;
        QByteArray body;
    };
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    explicit HttpConnection(ApiEndpoint endpoint);
    ~HttpConnection();

    // Connects unless connected; *opened tells whether this opened a new connection. Unreachable on failure.
    [[nodiscard]] Expected<void, ApiFailure> open(const QDeadlineTimer &deadline, bool *opened);
    // One request on the open connection and its answer. target: the path and query ("/api/v1/health?x=1").
    // *nothingRead: the connection ended before any byte of an answer (on a reused keep-alive connection, the
    // server closed it while idle: the request was not handled and may be sent again on a new one).
    [[nodiscard]] Expected<Answer, ApiFailure> exchange(const QByteArray &method, const QByteArray &target,
        const Headers &headers, const QByteArray &body, const QDeadlineTimer &deadline, bool *nothingRead);
    void close();

    const ApiEndpoint &endpoint() const { return m_endpoint; }

private:
    bool isConnected() const;
    Expected<Answer, ApiFailure> readAnswer(const QDeadlineTimer &deadline, bool *nothingRead);
    ApiFailure unreachable(const QString &why) const;

    ApiEndpoint m_endpoint;
    std::unique_ptr<QIODevice> m_socket; // a QLocalSocket or a QTcpSocket
    QByteArray m_buffer; // bytes read but not yet part of an answer
};

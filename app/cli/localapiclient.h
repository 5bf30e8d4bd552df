#pragma once

#include "apiendpoint.h"
#include "apifailure.h"
#include "core/expected.h"
#include "httpconnection.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonObject>
#include <QList>
#include <QString>

// A small synchronous client of a running instance's local API (docs/api.md), for the one-shot script verbs:
// each call waits (at most the timeout) for its answer on one keep-alive connection. Not for code that must stay
// responsive (a GUI); fine in a CLI process that has nothing else to do.
//
// Over TCP, before the token goes out on a new connection, the server must prove it is the instance whose data
// directory holds identityFile (ServerIdentity: GET /health?nonce=N answers an HMAC of the secret in that 0600
// file); otherwise the call fails with Kind::NotTheInstance and the token is never sent. Over the Unix socket the
// kernel already admits only our user, and only the instance can have bound the socket in its 0700 data directory.
class LocalApiClient
{
    Q_DECLARE_TR_FUNCTIONS(LocalApiClient)

public:
    // token: the bearer token (may be empty: the server then answers 401; nothing to protect, so no identity check).
    LocalApiClient(ApiEndpoint endpoint, QByteArray token, QString identityFile, int timeoutMs);

    // path is below /api/v1 ("/episodes?limit=500"). body: a JSON object for POST, or empty for none.
    Expected<QJsonObject, ApiFailure> get(const QString &path);
    Expected<QJsonObject, ApiFailure> post(const QString &path, const QJsonObject &body = {});
    Expected<QJsonObject, ApiFailure> patch(const QString &path, const QJsonObject &body);
    Expected<QJsonObject, ApiFailure> put(const QString &path, const QJsonObject &body);

    // GET /episodes[?status=S], following next_cursor to the last page: every episode object, by id.
    Expected<QList<QJsonObject>, ApiFailure> listEpisodes(const QString &status = {});
    // GET /sync/episode-statuses, in requests of at most 1000 ids: {"items": [...], "missing": [...]}.
    Expected<QJsonObject, ApiFailure> statuses(const QList<qint64> &ids);

    const ApiEndpoint &endpoint() const { return m_connection.endpoint(); }

private:
    Expected<QJsonObject, ApiFailure> send(const QByteArray &method, const QString &path, const QByteArray &body);
    // An open connection to send the token on: opened if needed, and the identity checked on a new TCP one.
    Expected<void, ApiFailure> openTrusted(const QDeadlineTimer &deadline, bool *opened);
    Expected<void, ApiFailure> checkIdentity(const QDeadlineTimer &deadline);
    ApiFailure transportFailure(const ApiFailure &failure) const;

    QByteArray m_token;
    QString m_identityFile;
    int m_timeoutMs;
    HttpConnection m_connection;
};

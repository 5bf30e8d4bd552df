#pragma once

#include "apifailure.h"
#include "core/expected.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QUrl>

// A small synchronous client of a running instance's local API (docs/api.md), for the one-shot script verbs:
// each call runs a local event loop until the answer arrives or the timeout passes. Not for code that must stay
// responsive (a GUI); fine in a CLI process that has nothing else to do.
class LocalApiClient
{
public:
    // base: http://HOST:PORT/api/v1. token: the bearer token (may be empty: the server then answers 401).
    LocalApiClient(QUrl base, QByteArray token, int timeoutMs);

    // path is below base ("/episodes?limit=500"). body: a JSON object for POST, or empty for none.
    Expected<QJsonObject, ApiFailure> get(const QString &path);
    Expected<QJsonObject, ApiFailure> post(const QString &path, const QJsonObject &body = {});
    Expected<QJsonObject, ApiFailure> patch(const QString &path, const QJsonObject &body);

    // GET /episodes[?status=S], following next_cursor to the last page: every episode object, by id.
    Expected<QList<QJsonObject>, ApiFailure> listEpisodes(const QString &status = {});
    // GET /sync/episode-statuses, in requests of at most 1000 ids: {"items": [...], "missing": [...]}.
    Expected<QJsonObject, ApiFailure> statuses(const QList<qint64> &ids);

    QUrl base() const { return m_base; }

private:
    Expected<QJsonObject, ApiFailure> send(const QByteArray &method, const QString &path, const QByteArray &body);

    QUrl m_base;
    QByteArray m_token;
    int m_timeoutMs;
    QNetworkAccessManager m_manager;
};

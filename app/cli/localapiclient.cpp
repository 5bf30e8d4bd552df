#include "localapiclient.h"

#include "api/apiauth.h"
#include "api/apikeys.h"
#include "api/serveridentity.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcCli, "keystone.cli", QtWarningMsg)

namespace {

ApiFailure::Kind kindOfStatus(int status)
{
    switch (status) {
    case 400:
        return ApiFailure::Kind::BadRequest;
    case 401:
    case 403:
        return ApiFailure::Kind::Unauthorized;
    case 404:
        return ApiFailure::Kind::NotFound;
    default:
        return ApiFailure::Kind::Refused;
    }
}

// The API's {"error": {"code", "message"}}; a plain HTTP reason when the body is not that (a proxy, another server).
ApiFailure httpFailure(int status, const QByteArray &body, const QByteArray &reason)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(ApiKey::kError).toObject();
    ApiFailure failure{
        kindOfStatus(status), status, error.value(ApiKey::kCode).toString(), error.value(ApiKey::kMessage).toString()};
    if (failure.message.isEmpty())
        failure.message = LocalApiClient::tr("HTTP %1 %2").arg(status).arg(QString::fromUtf8(reason));
    return failure;
}

constexpr int kPageSize = 500; // the API's largest page
constexpr qsizetype kMaxIdsPerRequest = 1000; // the batched status route's limit
const QByteArray kBase = QByteArrayLiteral("/api/v1");

} // namespace

LocalApiClient::LocalApiClient(ApiEndpoint endpoint, QByteArray token, QString identityFile, int timeoutMs)
    : m_token(std::move(token))
    , m_identityFile(std::move(identityFile))
    , m_timeoutMs(timeoutMs)
    , m_connection(std::move(endpoint))
{ }

Expected<QJsonObject, ApiFailure> LocalApiClient::get(const QString &path)
{
    return send("GET", path, {});
}

Expected<QJsonObject, ApiFailure> LocalApiClient::post(const QString &path, const QJsonObject &body)
{
    return send("POST", path, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact));
}

Expected<QJsonObject, ApiFailure> LocalApiClient::patch(const QString &path, const QJsonObject &body)
{
    return send("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

Expected<QJsonObject, ApiFailure> LocalApiClient::put(const QString &path, const QJsonObject &body)
{
    return send("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

Expected<QList<QJsonObject>, ApiFailure> LocalApiClient::listEpisodes(const QString &status)
{
    QList<QJsonObject> episodes;
    QString cursor;
    do {
        QUrlQuery query{{QStringLiteral("limit"), QString::number(kPageSize)}};
        if (!status.isEmpty())
            query.addQueryItem(QStringLiteral("status"), status);
        if (!cursor.isEmpty())
            query.addQueryItem(QStringLiteral("cursor"), cursor);
        const auto page = get(QStringLiteral("/episodes?") + query.toString(QUrl::FullyEncoded));
        if (!page)
            return page.error();
        for (const QJsonValue &item : page.value().value(ApiKey::kItems).toArray())
            episodes.append(item.toObject());
        cursor = page.value().value(ApiKey::kNextCursor).toString();
    } while (!cursor.isEmpty());
    return episodes;
}

Expected<QJsonObject, ApiFailure> LocalApiClient::statuses(const QList<qint64> &ids)
{
    QJsonArray items;
    QJsonArray missing;
    for (qsizetype first = 0; first < ids.size(); first += kMaxIdsPerRequest) {
        QStringList chunk;
        for (const qint64 id : ids.mid(first, kMaxIdsPerRequest))
            chunk.append(QString::number(id));
        const auto answer = get(QStringLiteral("/sync/episode-statuses?ids=") + chunk.join(QLatin1Char(',')));
        if (!answer)
            return answer.error();
        for (const QJsonValue &item : answer.value().value(ApiKey::kItems).toArray())
            items.append(item);
        for (const QJsonValue &id : answer.value().value(ApiKey::kMissing).toArray())
            missing.append(id);
    }
    return QJsonObject{{ApiKey::kItems, items}, {ApiKey::kMissing, missing}};
}

ApiFailure LocalApiClient::transportFailure(const ApiFailure &failure) const
{
    if (failure.kind != ApiFailure::Kind::Unreachable || !failure.message.isEmpty())
        return failure;
    return ApiFailure{ApiFailure::Kind::Unreachable, 0, {}, tr("no answer within %1 s").arg(m_timeoutMs / 1000)};
}

Expected<void, ApiFailure> LocalApiClient::openTrusted(const QDeadlineTimer &deadline, bool *opened)
{
    if (auto open = m_connection.open(deadline, opened); !open)
        return transportFailure(open.error());
    if (!*opened || endpoint().isUnixSocket() || m_token.isEmpty())
        return {};
    auto checked = checkIdentity(deadline);
    if (!checked)
        m_connection.close();
    return checked;
}

Expected<void, ApiFailure> LocalApiClient::checkIdentity(const QDeadlineTimer &deadline)
{
    const QString where = endpoint().toString();
    ServerIdentity identity;
    if (const auto read = identity.read(m_identityFile); !read)
        return ApiFailure{ApiFailure::Kind::NotTheInstance, 0, {},
            tr("cannot check that the server at %1 is the instance of the token: %2").arg(where, read.error().message)};
    const QByteArray nonce = ServerIdentity::newNonce();
    bool nothingRead = false;
    const auto answer = m_connection.exchange("GET", kBase + "/health?nonce=" + nonce, {}, {}, deadline, &nothingRead);
    if (!answer)
        return transportFailure(answer.error());
    const QByteArray proof
        = QJsonDocument::fromJson(answer.value().body).object().value(QStringLiteral("instance")).toString().toLatin1();
    const QByteArray expected = identity.proof(nonce, endpoint().port);
    if (answer.value().status == 200 && ApiAuth::constantTimeEquals(proof, expected)) {
        qCDebug(lcCli) << "the server at" << where << "proved its identity";
        return {};
    }
    return ApiFailure{ApiFailure::Kind::NotTheInstance, answer.value().status, {},
        tr("the server at %1 did not prove it is the instance whose identity is in %2 (%3); another program may "
           "hold the port")
            .arg(where, m_identityFile, proof.isEmpty() ? tr("no proof in its /health answer") : tr("a wrong proof"))};
}

Expected<QJsonObject, ApiFailure> LocalApiClient::send(
    const QByteArray &method, const QString &path, const QByteArray &body)
{
    const QDeadlineTimer deadline(m_timeoutMs);
    HttpConnection::Headers headers{{"Authorization", "Bearer " + m_token}};
    if (!body.isEmpty())
        headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    qCDebug(lcCli) << method << endpoint().toString() << path;
    // Twice at most: a keep-alive connection the server closed while it was idle fails before any answer; the
    // request was not handled and goes again on a new connection.
    for (;;) {
        bool opened = false;
        if (auto trusted = openTrusted(deadline, &opened); !trusted)
            return trusted.error();
        bool nothingRead = false;
        const auto answer = m_connection.exchange(method, kBase + path.toUtf8(), headers, body, deadline, &nothingRead);
        if (!answer && nothingRead && !opened)
            continue;
        if (!answer)
            return transportFailure(answer.error());
        const int status = answer.value().status;
        if (status >= 300)
            return httpFailure(status, answer.value().body, answer.value().reason);
        const QJsonDocument document = QJsonDocument::fromJson(answer.value().body);
        if (!document.isObject())
            return ApiFailure{
                ApiFailure::Kind::Refused, status, {}, tr("the answer to %1 is not a JSON object").arg(path)};
        return document.object();
    }
}

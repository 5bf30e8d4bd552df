#include "localapiclient.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

Q_LOGGING_CATEGORY(lcCli, "keystone.cli", QtWarningMsg)

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LocalApiClient", text);
}

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
ApiFailure httpFailure(int status, const QByteArray &body, QNetworkReply *reply)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject();
    ApiFailure failure{kindOfStatus(status), status, error.value(QStringLiteral("code")).toString(),
        error.value(QStringLiteral("message")).toString()};
    if (failure.message.isEmpty())
        failure.message
            = tr("HTTP %1 %2").arg(status).arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    return failure;
}

constexpr int kPageSize = 500; // the API's largest page
constexpr qsizetype kMaxIdsPerRequest = 1000; // the batched status route's limit

} // namespace

LocalApiClient::LocalApiClient(QUrl base, QByteArray token, int timeoutMs)
    : m_base(std::move(base))
    , m_token(std::move(token))
    , m_timeoutMs(timeoutMs)
{
    // The instance is on this machine: an http_proxy from the environment must not see the token.
    m_manager.setProxy(QNetworkProxy::NoProxy);
}

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
        for (const QJsonValue &item : page.value().value(QStringLiteral("items")).toArray())
            episodes.append(item.toObject());
        cursor = page.value().value(QStringLiteral("next_cursor")).toString();
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
        for (const QJsonValue &item : answer.value().value(QStringLiteral("items")).toArray())
            items.append(item);
        for (const QJsonValue &id : answer.value().value(QStringLiteral("missing")).toArray())
            missing.append(id);
    }
    return QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("missing"), missing}};
}

Expected<QJsonObject, ApiFailure> LocalApiClient::send(
    const QByteArray &method, const QString &path, const QByteArray &body)
{
    const QUrl url(m_base.toString() + path);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_token);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    qCDebug(lcCli) << method << url.toString();
    QNetworkReply *reply = m_manager.sendCustomRequest(request, method, body);

    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    bool timedOut = false;
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        reply->abort();
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timeout.start(m_timeoutMs);
    if (!reply->isFinished())
        loop.exec();

    const std::unique_ptr<QNetworkReply> owner(reply);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray answer = reply->readAll();
    if (status == 0) {
        const QString why = timedOut ? tr("no answer within %1 s").arg(m_timeoutMs / 1000) : reply->errorString();
        return ApiFailure{ApiFailure::Kind::Unreachable, 0, {}, why};
    }
    if (status >= 300)
        return httpFailure(status, answer, reply);
    const QJsonDocument document = QJsonDocument::fromJson(answer);
    if (!document.isObject())
        return ApiFailure{ApiFailure::Kind::Refused, status, {}, tr("the answer to %1 is not a JSON object").arg(path)};
    return document.object();
}

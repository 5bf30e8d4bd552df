#include "routesupport.h"

#include "apijson.h"
#include "apilogging.h"
#include "idlistparser.h"

#include <QJsonDocument>

#include <cmath>
#include <limits>

namespace RouteSupport {

void replyError(ApiResponse &response, const SyncError &error)
{
    const ApiJson::HttpError http = ApiJson::httpError(error.code);
    if (http.httpStatus >= 500)
        qCWarning(lcApi) << "engine command failed:" << error.message;
    response.jsonBytes(http.httpStatus, ApiJson::errorBody(http.code, error.message, error.paths));
}

SyncEngine::Callback<EpisodeStatus> statusReply(ApiResponse response)
{
    return [response](const SyncResult<EpisodeStatus> &result) mutable {
        if (!result)
            replyError(response, result.error());
        else
            response.json(200, ApiJson::status(result.value()));
    };
}

std::optional<QJsonObject> objectBody(const ApiRequest &request, ApiResponse &response)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        response.error(400, QStringLiteral("invalid_json"),
            parseError.error != QJsonParseError::NoError
                ? QStringLiteral("malformed JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString())
                : QStringLiteral("the body must be a JSON object"));
        return std::nullopt;
    }
    return document.object();
}

std::optional<int> integerValue(const QJsonValue &value)
{
    const double number = value.toDouble();
    if (!value.isDouble() || std::trunc(number) != number || std::abs(number) > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(number);
}

std::optional<qint64> pathId(const ApiRequest &request, ApiResponse &response)
{
    const auto id = IdListParser::parseId(request.params.value(0));
    if (!id) {
        response.error(400, QStringLiteral("invalid_id"), id.error().message);
        return std::nullopt;
    }
    return id.value();
}

std::optional<int> intParameter(
    const ApiRequest &request, ApiResponse &response, const QString &name, int defaultValue, int min, int max)
{
    if (!request.query.hasQueryItem(name))
        return defaultValue;
    const QString text = request.query.queryItemValue(name, QUrl::FullyDecoded);
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max || text.startsWith(QLatin1Char('+'))) {
        response.error(400, QStringLiteral("invalid_%1").arg(name),
            QStringLiteral("%1 must be an integer from %2 to %3").arg(name).arg(min).arg(max));
        return std::nullopt;
    }
    return value;
}

void respondWithSnapshot(
    const ApiRequest &request, ApiResponse &response, const std::function<std::optional<QByteArray>(qint64)> &json)
{
    const auto id = pathId(request, response);
    if (!id)
        return;
    const auto bytes = json(*id);
    if (!bytes)
        response.error(404, QStringLiteral("not_found"), QStringLiteral("there is no episode %1").arg(*id));
    else
        response.jsonBytes(200, *bytes);
}

} // namespace RouteSupport

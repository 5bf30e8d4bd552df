#pragma once

#include "apirouter.h"
#include "sync/episodestatus.h"
#include "sync/syncengine.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

// What every API controller does the same way: the route prefix, reading a path id, a query integer or a JSON
// object body (answering 400 itself when they are wrong), and answering an engine refusal with its mapped status.
namespace RouteSupport {

inline const QString kBase = QStringLiteral("/api/v1");

// Binds a member handler of a controller into the router's handler type.
template <typename Controller>
ApiRouter::Handler bind(Controller *controller, void (Controller::*handler)(const ApiRequest &, ApiResponse))
{
    return [controller, handler](const ApiRequest &request, ApiResponse response) {
        (controller->*handler)(request, std::move(response));
    };
}

// The mapped status and {"error": …} of an engine refusal (CatalogFailed, the only 500, is logged).
void replyError(ApiResponse &response, const SyncError &error);
// The answer of an engine command that yields a status: 200 + status object, or the mapped error.
SyncEngine::Callback<EpisodeStatus> statusReply(ApiResponse response);
// The body as a JSON object, or nullopt after answering 400 invalid_json.
[[nodiscard]] std::optional<QJsonObject> objectBody(const ApiRequest &request, ApiResponse &response);
// An integer in the JSON number (no fraction, within int), else nullopt.
[[nodiscard]] std::optional<int> integerValue(const QJsonValue &value);
// The route's {id}, or nullopt after answering 400 invalid_id.
[[nodiscard]] std::optional<qint64> pathId(const ApiRequest &request, ApiResponse &response);
// ?name=N within [min, max] (defaultValue when absent), or nullopt after answering 400 invalid_<name>.
[[nodiscard]] std::optional<int> intParameter(
    const ApiRequest &request, ApiResponse &response, const QString &name, int defaultValue, int min, int max);

// One episode's JSON (json(id): its bytes, nullopt when unknown) for the route's {id}: 200, 400 or 404.
void respondWithSnapshot(
    const ApiRequest &request, ApiResponse &response, const std::function<std::optional<QByteArray>(qint64)> &json);

} // namespace RouteSupport

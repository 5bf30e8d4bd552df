#include "episodescontroller.h"

#include "apijson.h"
#include "apikeys.h"
#include "idlistparser.h"
#include "routesupport.h"
#include "statusbytescache.h"
#include "sync/episodepriority.h"
#include "sync/syncengine.h"

#include <QDir>
#include <QJsonArray>

using namespace RouteSupport;

namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

} // namespace

EpisodesController::EpisodesController(SyncEngine &engine, StatusBytesCache &statusBytes)
    : m_engine(engine)
    , m_statusBytes(statusBytes)
{ }

void EpisodesController::addRoutes(ApiRouter &router)
{
    using Method = ApiRouter::Method;
    router.add(Method::Get, kBase + QStringLiteral("/episodes"), bind(this, &EpisodesController::list));
    router.add(Method::Post, kBase + QStringLiteral("/episodes"), bind(this, &EpisodesController::create));
    router.add(Method::Get, kBase + QStringLiteral("/episodes/{id}"), bind(this, &EpisodesController::get));
    router.add(Method::Delete, kBase + QStringLiteral("/episodes/{id}"), bind(this, &EpisodesController::remove));
    router.add(Method::Patch, kBase + QStringLiteral("/episodes/{id}"), bind(this, &EpisodesController::patch));
    router.add(Method::Post, kBase + QStringLiteral("/episodes/{id}/rescan"), bind(this, &EpisodesController::rescan));
}

void EpisodesController::list(const ApiRequest &request, ApiResponse response)
{
    // One vocabulary: status= takes a state or a stage name (uploading, paused, waiting_storage, ...).
    std::optional<EpisodeState> state;
    std::optional<EpisodeStage> stage;
    if (request.query.hasQueryItem(QStringLiteral("status"))) {
        const QString name = request.query.queryItemValue(QStringLiteral("status"), QUrl::FullyDecoded);
        state = episodeStateFromName(name);
        stage = state ? std::nullopt : episodeStageFromName(name);
        if (!state && !stage) {
            response.error(400, QStringLiteral("invalid_status"),
                QStringLiteral("status must be a state (pending, in_progress, completed, failed, cancelled) or a "
                               "stage (queued, starting, resuming, uploading, completing, writing_manifest, "
                               "waiting_retry, waiting_storage, paused)"));
            return;
        }
    }
    const auto limit = intParameter(request, response, QStringLiteral("limit"), kDefaultPageSize, 1, kMaxPageSize);
    if (!limit)
        return;
    qint64 after = 0;
    if (request.query.hasQueryItem(QStringLiteral("cursor"))) {
        const auto cursor
            = IdListParser::parseId(request.query.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded));
        if (!cursor) {
            response.error(400, QStringLiteral("invalid_cursor"), QStringLiteral("cursor must be a next_cursor value"));
            return;
        }
        after = cursor.value();
    }
    QJsonArray items;
    qint64 lastId = 0;
    bool more = false;
    for (const EpisodeStatus &status : m_engine.allStatuses()) { // by id
        if (status.record.id <= after || (state && status.record.state != *state) || (stage && status.stage != *stage))
            continue;
        if (items.size() == *limit) {
            more = true;
            break;
        }
        items.append(ApiJson::episode(status));
        lastId = status.record.id;
    }
    response.json(200,
        {{ApiKey::kItems, items},
            {ApiKey::kNextCursor, more ? QJsonValue(QString::number(lastId)) : QJsonValue(QJsonValue::Null)}});
}

void EpisodesController::create(const ApiRequest &request, ApiResponse response)
{
    const auto parsed = objectBody(request, response);
    if (!parsed)
        return;
    const QJsonObject &body = *parsed;
    const QJsonValue path = body.value(ApiKey::kPath);
    const QJsonValue name = body.value(ApiKey::kName);
    if (!path.isString() || path.toString().isEmpty() || !QDir::isAbsolutePath(path.toString())) {
        response.error(
            400, QStringLiteral("invalid_input"), QStringLiteral("\"path\" must be an absolute path (a string)"));
        return;
    }
    if (!name.isUndefined() && !name.isString()) {
        response.error(400, QStringLiteral("invalid_input"), QStringLiteral("\"name\" must be a string"));
        return;
    }
    m_engine.registerEpisode(
        path.toString(), name.toString(), [response](const SyncResult<EpisodeStatus> &result) mutable {
            if (!result) {
                replyError(response, result.error());
                return;
            }
            const QByteArray location
                = (kBase + QStringLiteral("/episodes/%1").arg(result.value().record.id)).toLatin1();
            response.json(201, ApiJson::episode(result.value()), {{"Location", location}});
        });
}

void EpisodesController::get(const ApiRequest &request, ApiResponse response)
{
    respondWithSnapshot(request, response, [this](qint64 id) { return m_statusBytes.episode(id); });
}

void EpisodesController::remove(const ApiRequest &request, ApiResponse response)
{
    const auto id = pathId(request, response);
    if (!id)
        return;
    m_engine.remove(*id, [response, id = *id](const SyncResult<void> &result) mutable {
        if (!result)
            replyError(response, result.error());
        else
            response.json(200, {{ApiKey::kEpisodeId, id}, {QStringLiteral("deleted"), true}});
    });
}

void EpisodesController::patch(const ApiRequest &request, ApiResponse response)
{
    const auto id = pathId(request, response);
    if (!id)
        return;
    const auto body = objectBody(request, response);
    if (!body)
        return;
    // Unknown fields are refused, not ignored: a misspelt field would otherwise change nothing and answer 200.
    QStringList unknown = body->keys();
    unknown.removeAll(ApiKey::kPriority);
    if (!unknown.isEmpty()) {
        response.error(400, QStringLiteral("invalid_input"),
            QStringLiteral("unknown field(s) %1: only \"priority\" can be changed").arg(unknown.join(u',')));
        return;
    }
    const auto priority = integerValue(body->value(ApiKey::kPriority));
    if (!priority) {
        response.error(400, QStringLiteral("invalid_input"),
            QStringLiteral("\"priority\" must be an integer from %1 to %2")
                .arg(EpisodePriority::kMin)
                .arg(EpisodePriority::kMax));
        return;
    }
    m_engine.setPriority(*id, *priority, [response](const SyncResult<EpisodeStatus> &result) mutable {
        if (!result)
            replyError(response, result.error());
        else
            response.json(200, ApiJson::episode(result.value()));
    });
}

void EpisodesController::rescan(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.rescan(*id, statusReply(response));
}

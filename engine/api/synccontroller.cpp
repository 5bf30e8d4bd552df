#include "synccontroller.h"

#include "apijson.h"
#include "apikeys.h"
#include "idlistparser.h"
#include "routesupport.h"
#include "statusbytescache.h"
#include "sync/syncengine.h"
#include "throttlerequest.h"

#include <QJsonArray>
#include <QSet>

using namespace RouteSupport;

namespace {

constexpr int kDefaultLogLimit = 100;
constexpr int kMaxLogLimit = 1000;

} // namespace

SyncController::SyncController(SyncEngine &engine, StatusBytesCache &statusBytes)
    : m_engine(engine)
    , m_statusBytes(statusBytes)
{ }

void SyncController::addRoutes(ApiRouter &router)
{
    using Method = ApiRouter::Method;
    router.add(Method::Get, kBase + QStringLiteral("/sync/episodes/{id}/status"), bind(this, &SyncController::status));
    router.add(Method::Get, kBase + QStringLiteral("/sync/episode-statuses"), bind(this, &SyncController::statuses));
    router.add(Method::Post, kBase + QStringLiteral("/sync/episodes/{id}"), bind(this, &SyncController::enqueue));
    router.add(Method::Post, kBase + QStringLiteral("/sync/episodes/{id}/cancel"), bind(this, &SyncController::cancel));
    router.add(Method::Post, kBase + QStringLiteral("/sync/episodes/{id}/retry"), bind(this, &SyncController::retry));
    router.add(
        Method::Post, kBase + QStringLiteral("/sync/episodes/{id}/pause"), bind(this, &SyncController::pauseEpisode));
    router.add(
        Method::Post, kBase + QStringLiteral("/sync/episodes/{id}/resume"), bind(this, &SyncController::resumeEpisode));
    router.add(Method::Get, kBase + QStringLiteral("/sync/storage"), bind(this, &SyncController::storage));
    router.add(Method::Post, kBase + QStringLiteral("/sync/pause"), bind(this, &SyncController::pauseAll));
    router.add(Method::Post, kBase + QStringLiteral("/sync/resume"), bind(this, &SyncController::resumeAll));
    router.add(Method::Get, kBase + QStringLiteral("/sync/logs"), bind(this, &SyncController::logs));
    router.add(Method::Get, kBase + QStringLiteral("/sync/throttle"), bind(this, &SyncController::throttle));
    router.add(Method::Put, kBase + QStringLiteral("/sync/throttle"), bind(this, &SyncController::setThrottle));
}

void SyncController::status(const ApiRequest &request, ApiResponse response)
{
    respondWithSnapshot(request, response, [this](qint64 id) -> std::optional<QByteArray> {
        auto status = m_statusBytes.status(id);
        return status ? std::make_optional(std::move(status->json)) : std::nullopt;
    });
}

void SyncController::statuses(const ApiRequest &request, ApiResponse response)
{
    const QStringList given = request.query.allQueryItemValues(QStringLiteral("ids"), QUrl::FullyDecoded);
    if (given.size() > 1) {
        response.error(400, QStringLiteral("invalid_ids"), QStringLiteral("give \"ids\" once, comma-separated"));
        return;
    }
    const IdListParser::Result parsed
        = IdListParser::parseList(given.isEmpty() ? std::nullopt : std::optional<QString>(given.first()));
    if (!parsed.ok()) {
        response.error(400, QStringLiteral("invalid_ids"), parsed.error);
        return;
    }
    QList<qint64> unique;
    QSet<qint64> seen;
    unique.reserve(parsed.ids.size());
    seen.reserve(parsed.ids.size());
    for (const qint64 id : parsed.ids) {
        if (!seen.contains(id)) {
            seen.insert(id);
            unique.append(id);
        }
    }
    // Bytes kept per episode revision, concatenated: only the ids asked for are looked at, and only those changed
    // since they were last asked for are serialised again.
    QList<qint64> missing;
    const QList<QByteArray> items = m_statusBytes.statuses(unique, &missing);
    response.jsonBytes(200, ApiJson::statusList(items, missing, throttleBytes()));
}

void SyncController::enqueue(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.enqueue(*id, statusReply(response));
}

void SyncController::cancel(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.cancel(*id, statusReply(response));
}

void SyncController::retry(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.retry(*id, statusReply(response));
}

void SyncController::pauseEpisode(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.pauseEpisode(*id, statusReply(response)); // a running one answers once its attempt stopped
}

void SyncController::resumeEpisode(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.resumeEpisode(*id, statusReply(response));
}

void SyncController::storage(const ApiRequest &, ApiResponse response)
{
    response.json(200, ApiJson::storageHealth(m_engine.storageHealth(), true));
}

void SyncController::pauseAll(const ApiRequest &, ApiResponse response)
{
    m_engine.pauseAll();
    response.json(200, {{ApiKey::kPaused, m_engine.isPaused()}});
}

void SyncController::resumeAll(const ApiRequest &, ApiResponse response)
{
    m_engine.resumeAll();
    response.json(200, {{ApiKey::kPaused, m_engine.isPaused()}});
}

void SyncController::logs(const ApiRequest &request, ApiResponse response)
{
    qint64 episodeId = 0; // 0: every episode
    if (request.query.hasQueryItem(QStringLiteral("episode_id"))) {
        const auto id
            = IdListParser::parseId(request.query.queryItemValue(QStringLiteral("episode_id"), QUrl::FullyDecoded));
        if (!id) {
            response.error(400, QStringLiteral("invalid_id"), id.error().message);
            return;
        }
        if (!m_engine.status(id.value())) {
            response.error(404, QStringLiteral("not_found"), QStringLiteral("there is no episode %1").arg(id.value()));
            return;
        }
        episodeId = id.value();
    }
    const auto limit = intParameter(request, response, QStringLiteral("limit"), kDefaultLogLimit, 1, kMaxLogLimit);
    if (!limit)
        return;
    m_engine.logs(episodeId, *limit, [response](const SyncResult<QList<SyncLogEntry>> &result) mutable {
        if (!result) {
            replyError(response, result.error());
            return;
        }
        QJsonArray items;
        for (const SyncLogEntry &entry : result.value())
            items.append(ApiJson::logEntry(entry));
        response.json(200, {{ApiKey::kItems, items}});
    });
}

const QByteArray &SyncController::throttleBytes()
{
    if (const ThrottleState state = m_engine.throttle(); m_throttleBytes.isEmpty() || !(state == m_throttle)) {
        m_throttle = state;
        m_throttleBytes = ApiJson::compact(ApiJson::throttle(state));
    }
    return m_throttleBytes;
}

void SyncController::throttle(const ApiRequest &, ApiResponse response)
{
    response.json(200, ApiJson::throttle(m_engine.throttle()));
}

void SyncController::setThrottle(const ApiRequest &request, ApiResponse response)
{
    const auto body = objectBody(request, response);
    if (!body)
        return;
    const ThrottleRequest::Parsed parsed = ThrottleRequest::parse(*body, QDateTime::currentDateTimeUtc());
    if (!parsed.ok()) {
        response.error(400, QStringLiteral("invalid_input"), parsed.error);
        return;
    }
    m_engine.setRecording(parsed.command, [response](const SyncResult<ThrottleState> &result) mutable {
        if (!result)
            replyError(response, result.error());
        else
            response.json(200, ApiJson::throttle(result.value()));
    });
}

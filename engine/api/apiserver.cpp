#include "apiserver.h"

#include "apihttpserver.h"
#include "apijson.h"
#include "apilogging.h"
#include "eventstream.h"
#include "guardedtcpserver.h"
#include "idlistparser.h"
#include "metricsreporter.h"
#include "sync/episodepriority.h"
#include "sync/syncengine.h"
#include "throttlerequest.h"
#include "unixsocketlistener.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cmath>
#include <limits>

namespace {

using Method = QHttpServerRequest::Method;

const QString kBase = QStringLiteral("/api/v1");
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr int kDefaultLogLimit = 100;
constexpr int kMaxLogLimit = 1000;

void replyError(ApiResponse &response, const SyncError &error)
{
    const ApiJson::HttpError http = ApiJson::httpError(error.code);
    if (http.httpStatus >= 500)
        qCWarning(lcApi) << "engine command failed:" << error.message;
    response.jsonBytes(http.httpStatus, ApiJson::errorBody(http.code, error.message, error.paths));
}

// The answer of an engine command that yields a status: 200 + status object, or the mapped error.
SyncEngine::Callback<EpisodeStatus> statusReply(ApiResponse response)
{
    return [response](const SyncResult<EpisodeStatus> &result) mutable {
        if (!result)
            replyError(response, result.error());
        else
            response.json(200, ApiJson::status(result.value()));
    };
}

// The body as a JSON object, or nullopt after answering 400 invalid_json.
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

// An integer in the JSON number (no fraction, within int), else nullopt.
std::optional<int> integerValue(const QJsonValue &value)
{
    const double number = value.toDouble();
    if (!value.isDouble() || std::trunc(number) != number || std::abs(number) > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(number);
}

} // namespace

ApiServer::ApiServer(SyncEngine &engine, ApiConfig config, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_config(std::move(config))
    , m_statusBytes(engine.store())
{
    m_auth.setAllowedHosts(m_config.allowedHosts, m_config.address);
    addRoutes();
    connect(&m_engine, &SyncEngine::episodesChanged, this,
        [this](const QList<qint64> &ids) { m_statusBytes.dropRemoved(ids); });
}

ApiServer::~ApiServer() = default;

QString ApiServer::openApiResourcePath()
{
    return QStringLiteral(":/keystone/api/openapi.json");
}

bool ApiServer::regenerateToken(QString *error)
{
    return m_auth.regenerateToken(tokenFilePath(), error);
}

QString ApiServer::tokenFilePath() const
{
    return tokenFilePath(m_config.dataDir);
}

QString ApiServer::tokenFilePath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("api-token"));
}

QString ApiServer::unixSocketPath() const
{
    return m_unixSocket ? m_unixSocket->path() : QString();
}

GuardedTcpServer::Stats ApiServer::connectionStats() const
{
    return m_tcp ? m_tcp->stats() : GuardedTcpServer::Stats{};
}

int ApiServer::connectionLimit() const
{
    return m_tcp ? m_tcp->connectionLimit() : 0;
}

QUrl ApiServer::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(
        m_config.address == QHostAddress::LocalHost ? QStringLiteral("127.0.0.1") : m_config.address.toString());
    url.setPort(m_port);
    return url;
}

bool ApiServer::start(QString *error)
{
    QString ignored;
    QString &why = error ? *error : ignored;
    if (m_http) {
        why = QStringLiteral("the API server is already started");
        return false;
    }
    if (m_config.dataDir.isEmpty()) {
        why = QStringLiteral("the API needs a data directory for its token file");
        return false;
    }
    if (!m_auth.loadOrCreateToken(tokenFilePath(), &why)
        || !m_identity.create(ServerIdentity::filePath(m_config.dataDir), &why))
        return false;

    RequestGuard::Limits limits;
    limits.maxRequestLine = m_config.maxRequestLineBytes;
    limits.maxHeaderBytes = m_config.maxHeaderBytes;
    limits.maxHeaderCount = m_config.maxHeaderCount;
    limits.maxBody = m_config.maxBodyBytes;
    limits.requestTimeoutMs = m_config.requestTimeoutMs;
    limits.idleTimeoutMs = m_config.idleTimeoutMs;
    limits.maxOutputBytes = m_config.maxOutputBytesPerConnection;
    m_http = new ApiHttpServer([this](const QHttpServerRequest &request,
                                   QHttpServerResponder &&responder) { dispatch(request, std::move(responder)); },
        this);
    m_tcp = new GuardedTcpServer(limits, m_config.maxConnections);
    if (!m_tcp->listenFor(m_http, m_config.address, m_config.port)) {
        why = QStringLiteral("cannot listen on %1:%2: %3")
                  .arg(m_config.address.toString())
                  .arg(m_config.port)
                  .arg(m_tcp->errorString());
        delete m_tcp;
        m_tcp = nullptr;
        delete m_http;
        m_http = nullptr;
        return false;
    }
    m_port = m_tcp->serverPort();
    if (!listenOnUnixSocket(&why)) {
        delete m_http; // and the TCP server, its child since bind()
        m_http = nullptr;
        m_tcp = nullptr;
        return false;
    }
    m_events = new EventStream(
        m_engine, m_statusBytes, m_config.heartbeatMs, m_config.eventBufferSize, m_config.maxEventClients, this);
    m_metrics = new MetricsReporter(m_engine, m_config.stationName, this);
    qCInfo(lcApi) << "listening on" << url().toString() << "- at most" << m_tcp->connectionLimit() << "connections";
    return true;
}

bool ApiServer::listenOnUnixSocket(QString *error)
{
    if (m_config.unixSocketPath.isEmpty())
        return true;
    GuardedTcpServer *tcp = m_tcp;
    m_unixSocket = new UnixSocketListener([tcp](qintptr descriptor) { tcp->adoptDescriptor(descriptor); }, this);
    if (m_config.unixSocketAllowedUid)
        m_unixSocket->setAllowedUid(*m_config.unixSocketAllowedUid);
    if (m_unixSocket->listen(m_config.unixSocketPath, error))
        return true;
    delete m_unixSocket;
    m_unixSocket = nullptr;
    return false;
}

void ApiServer::addRoutes()
{
    const auto bind = [this](void (ApiServer::*handler)(const ApiRequest &, ApiResponse)) {
        return [this, handler](
                   const ApiRequest &request, ApiResponse response) { (this->*handler)(request, std::move(response)); };
    };
    m_router.add(Method::Get, kBase + QStringLiteral("/health"), bind(&ApiServer::health), false);
    m_router.add(Method::Get, kBase + QStringLiteral("/metrics"), bind(&ApiServer::metrics));
    m_router.add(Method::Get, kBase + QStringLiteral("/openapi.json"), bind(&ApiServer::openApi));
    m_router.add(Method::Get, kBase + QStringLiteral("/events"), bind(&ApiServer::events));
    m_router.add(Method::Get, kBase + QStringLiteral("/episodes"), bind(&ApiServer::listEpisodes));
    m_router.add(Method::Post, kBase + QStringLiteral("/episodes"), bind(&ApiServer::createEpisode));
    m_router.add(Method::Get, kBase + QStringLiteral("/episodes/{id}"), bind(&ApiServer::getEpisode));
    m_router.add(Method::Delete, kBase + QStringLiteral("/episodes/{id}"), bind(&ApiServer::deleteEpisode));
    m_router.add(Method::Patch, kBase + QStringLiteral("/episodes/{id}"), bind(&ApiServer::patchEpisode));
    m_router.add(Method::Get, kBase + QStringLiteral("/sync/episodes/{id}/status"), bind(&ApiServer::episodeStatus));
    m_router.add(Method::Get, kBase + QStringLiteral("/sync/episode-statuses"), bind(&ApiServer::episodeStatuses));
    m_router.add(Method::Post, kBase + QStringLiteral("/sync/episodes/{id}"), bind(&ApiServer::enqueue));
    m_router.add(Method::Post, kBase + QStringLiteral("/sync/episodes/{id}/cancel"), bind(&ApiServer::cancel));
    m_router.add(Method::Post, kBase + QStringLiteral("/sync/episodes/{id}/retry"), bind(&ApiServer::retry));
    m_router.add(Method::Post, kBase + QStringLiteral("/sync/episodes/{id}/pause"), bind(&ApiServer::pauseEpisode));
    m_router.add(Method::Post, kBase + QStringLiteral("/sync/episodes/{id}/resume"), bind(&ApiServer::resumeEpisode));
    m_router.add(Method::Post, kBase + QStringLiteral("/episodes/{id}/rescan"), bind(&ApiServer::rescan));
    m_router.add(Method::Get, kBase + QStringLiteral("/sync/storage"), bind(&ApiServer::storage));
    m_router.add(Method::Post, kBase + QStringLiteral("/sync/pause"), bind(&ApiServer::pause));
    m_router.add(Method::Post, kBase + QStringLiteral("/sync/resume"), bind(&ApiServer::resume));
    m_router.add(Method::Get, kBase + QStringLiteral("/sync/logs"), bind(&ApiServer::logs));
    m_router.add(Method::Get, kBase + QStringLiteral("/sync/throttle"), bind(&ApiServer::throttle));
    m_router.add(Method::Put, kBase + QStringLiteral("/sync/throttle"), bind(&ApiServer::setThrottle));
}

void ApiServer::dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    ApiResponse response(std::move(responder), request.method() == Method::Head);
    if (!m_auth.hostAllowed(request.value(QByteArrayLiteral("Host")))) {
        response.error(403, QStringLiteral("forbidden_host"),
            QStringLiteral("the Host header must name a loopback address or a configured host"));
        return;
    }
    ApiRequest apiRequest;
    apiRequest.method = request.method();
    apiRequest.path = request.url().path();
    apiRequest.query = request.query();
    apiRequest.body = request.body();
    apiRequest.lastEventId = request.value(QByteArrayLiteral("Last-Event-ID"));

    const ApiRouter::Match match = m_router.match(apiRequest.method, apiRequest.path);
    const bool isPublic
        = match.route ? !match.route->requiresAuth : apiRequest.path == kBase + QStringLiteral("/health");
    if (!isPublic) {
        const ApiAuth::Verdict verdict = m_auth.check(request.value(QByteArrayLiteral("Authorization")));
        if (verdict != ApiAuth::Verdict::Ok) {
            const bool missing = verdict == ApiAuth::Verdict::Missing;
            response.error(401, QStringLiteral("unauthorized"),
                missing ? QStringLiteral("send Authorization: Bearer <token> (the token is in the data directory's "
                                         "api-token file)")
                        : QStringLiteral("the bearer token is not valid"),
                {{"WWW-Authenticate",
                    missing ? QByteArray(R"(Bearer realm="keystone")")
                            : QByteArray(R"(Bearer realm="keystone", error="invalid_token")")}});
            return;
        }
    }
    if (!match.route) {
        if (!match.allowed.isEmpty()) {
            response.error(405, QStringLiteral("method_not_allowed"),
                QStringLiteral("%1 is not allowed here")
                    .arg(QString::fromLatin1(ApiRouter::methodName(apiRequest.method))),
                {{"Allow", ApiRouter::allowHeader(match.allowed)}});
        } else {
            response.error(404, QStringLiteral("not_found"), QStringLiteral("no such route"));
        }
        return;
    }
    apiRequest.params = match.params;
    match.route->handler(apiRequest, response);
}

std::optional<qint64> ApiServer::pathId(const ApiRequest &request, ApiResponse &response) const
{
    QString why;
    const auto id = IdListParser::parseId(request.params.value(0), &why);
    if (!id)
        response.error(400, QStringLiteral("invalid_id"), why);
    return id;
}

std::optional<int> ApiServer::intParameter(
    const ApiRequest &request, ApiResponse &response, const QString &name, int defaultValue, int min, int max) const
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

void ApiServer::health(const ApiRequest &request, ApiResponse response)
{
    // Public: the state and since only; the storage's own words (detail, hint) are behind the token, and so is the
    // throttle beyond its mode.
    const ThrottleState throttle = m_engine.throttle();
    QJsonObject body{{QStringLiteral("status"), QStringLiteral("ok")},
        {QStringLiteral("version"), QStringLiteral(KEYSTONE_VERSION)},
        {QStringLiteral("storage"), ApiJson::storageHealth(m_engine.storageHealth(), false)},
        {QStringLiteral("throttle"), QJsonObject{{QStringLiteral("mode"), ThrottleState::modeName(throttle.mode)}}}};
    // ?nonce=N: the proof that this is the instance of the data directory (ServerIdentity), which a client asks
    // for before it sends the token over TCP.
    if (request.query.hasQueryItem(QStringLiteral("nonce"))) {
        const QByteArray nonce = request.query.queryItemValue(QStringLiteral("nonce"), QUrl::FullyDecoded).toLatin1();
        if (!ServerIdentity::isValidNonce(nonce)) {
            response.error(400, QStringLiteral("invalid_nonce"),
                QStringLiteral("nonce must be 1 to %1 hex digits").arg(ServerIdentity::kMaxNonceLength));
            return;
        }
        body.insert(QStringLiteral("instance"), QString::fromLatin1(m_identity.proof(nonce, m_port)));
    }
    response.json(200, body);
}

void ApiServer::storage(const ApiRequest &, ApiResponse response)
{
    response.json(200, ApiJson::storageHealth(m_engine.storageHealth(), true));
}

void ApiServer::metrics(const ApiRequest &, ApiResponse response)
{
    response.send(200, m_metrics->render(m_events->clientCount(), m_tcp->stats(), m_tcp->connectionLimit()),
        QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"));
}

void ApiServer::openApi(const ApiRequest &, ApiResponse response)
{
    QFile document(openApiResourcePath()); // a compiled-in resource: memory, not disk
    if (!document.open(QIODevice::ReadOnly)) {
        response.error(404, QStringLiteral("not_found"), QStringLiteral("the OpenAPI document is not built in"));
        return;
    }
    response.send(200, document.readAll(), QByteArrayLiteral("application/json"));
}

void ApiServer::events(const ApiRequest &request, ApiResponse response)
{
    std::optional<quint64> since;
    const bool fromQuery = request.query.hasQueryItem(QStringLiteral("since"));
    const QString text = fromQuery ? request.query.queryItemValue(QStringLiteral("since"), QUrl::FullyDecoded)
                                   : QString::fromLatin1(request.lastEventId.trimmed());
    if (fromQuery || !text.isEmpty()) {
        bool ok = false;
        const quint64 value = text.toULongLong(&ok);
        if (!ok || text.startsWith(QLatin1Char('+'))) {
            response.error(400, QStringLiteral("invalid_since"),
                QStringLiteral("since / Last-Event-ID must be an event id (a non-negative integer)"));
            return;
        }
        since = value;
    }
    if (m_events->isFull()) {
        response.error(429, QStringLiteral("too_many_streams"),
            QStringLiteral("at most %1 event streams at once").arg(m_config.maxEventClients));
        return;
    }
    m_events->subscribe(response.take(), since);
}

void ApiServer::listEpisodes(const ApiRequest &request, ApiResponse response)
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
        const auto cursor = IdListParser::parseId(
            request.query.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded), nullptr);
        if (!cursor) {
            response.error(400, QStringLiteral("invalid_cursor"), QStringLiteral("cursor must be a next_cursor value"));
            return;
        }
        after = *cursor;
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
        {{QStringLiteral("items"), items},
            {QStringLiteral("next_cursor"),
                more ? QJsonValue(QString::number(lastId)) : QJsonValue(QJsonValue::Null)}});
}

void ApiServer::createEpisode(const ApiRequest &request, ApiResponse response)
{
    const auto parsed = objectBody(request, response);
    if (!parsed)
        return;
    const QJsonObject &body = *parsed;
    const QJsonValue path = body.value(QStringLiteral("path"));
    const QJsonValue name = body.value(QStringLiteral("name"));
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

void ApiServer::respondWithSnapshot(
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

void ApiServer::getEpisode(const ApiRequest &request, ApiResponse response)
{
    respondWithSnapshot(request, response, [this](qint64 id) { return m_statusBytes.episode(id); });
}

void ApiServer::deleteEpisode(const ApiRequest &request, ApiResponse response)
{
    const auto id = pathId(request, response);
    if (!id)
        return;
    m_engine.remove(*id, [response, id = *id](const SyncResult<void> &result) mutable {
        if (!result)
            replyError(response, result.error());
        else
            response.json(200, {{QStringLiteral("episode_id"), id}, {QStringLiteral("deleted"), true}});
    });
}

void ApiServer::patchEpisode(const ApiRequest &request, ApiResponse response)
{
    const auto id = pathId(request, response);
    if (!id)
        return;
    const auto body = objectBody(request, response);
    if (!body)
        return;
    // Unknown fields are refused, not ignored: a misspelt field would otherwise change nothing and answer 200.
    QStringList unknown = body->keys();
    unknown.removeAll(QStringLiteral("priority"));
    if (!unknown.isEmpty()) {
        response.error(400, QStringLiteral("invalid_input"),
            QStringLiteral("unknown field(s) %1: only \"priority\" can be changed").arg(unknown.join(u',')));
        return;
    }
    const auto priority = integerValue(body->value(QStringLiteral("priority")));
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

void ApiServer::episodeStatus(const ApiRequest &request, ApiResponse response)
{
    respondWithSnapshot(request, response, [this](qint64 id) -> std::optional<QByteArray> {
        auto status = m_statusBytes.status(id);
        return status ? std::make_optional(std::move(status->json)) : std::nullopt;
    });
}

void ApiServer::episodeStatuses(const ApiRequest &request, ApiResponse response)
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
    response.jsonBytes(200, ApiJson::statusList(items, missing));
}

void ApiServer::enqueue(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.enqueue(*id, statusReply(response));
}

void ApiServer::cancel(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.cancel(*id, statusReply(response));
}

void ApiServer::retry(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.retry(*id, statusReply(response));
}

void ApiServer::pauseEpisode(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.pauseEpisode(*id, statusReply(response)); // a running one answers once its attempt stopped
}

void ApiServer::resumeEpisode(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.resumeEpisode(*id, statusReply(response));
}

void ApiServer::rescan(const ApiRequest &request, ApiResponse response)
{
    if (const auto id = pathId(request, response))
        m_engine.rescan(*id, statusReply(response));
}

void ApiServer::pause(const ApiRequest &, ApiResponse response)
{
    m_engine.pauseAll();
    response.json(200, {{QStringLiteral("paused"), m_engine.isPaused()}});
}

void ApiServer::resume(const ApiRequest &, ApiResponse response)
{
    m_engine.resumeAll();
    response.json(200, {{QStringLiteral("paused"), m_engine.isPaused()}});
}

void ApiServer::throttle(const ApiRequest &, ApiResponse response)
{
    response.json(200, ApiJson::throttle(m_engine.throttle()));
}

void ApiServer::setThrottle(const ApiRequest &request, ApiResponse response)
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

void ApiServer::logs(const ApiRequest &request, ApiResponse response)
{
    qint64 episodeId = 0; // 0: every episode
    if (request.query.hasQueryItem(QStringLiteral("episode_id"))) {
        QString why;
        const auto id = IdListParser::parseId(
            request.query.queryItemValue(QStringLiteral("episode_id"), QUrl::FullyDecoded), &why);
        if (!id) {
            response.error(400, QStringLiteral("invalid_id"), why);
            return;
        }
        if (!m_engine.status(*id)) {
            response.error(404, QStringLiteral("not_found"), QStringLiteral("there is no episode %1").arg(*id));
            return;
        }
        episodeId = *id;
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
        response.json(200, {{QStringLiteral("items"), items}});
    });
}

#include "apiserver.h"

#include "apihttpserver.h"
#include "apijson.h"
#include "apilocation.h"
#include "apilogging.h"
#include "episodescontroller.h"
#include "eventscontroller.h"
#include "eventstream.h"
#include "guardedtcpserver.h"
#include "metricsreporter.h"
#include "routesupport.h"
#include "sync/syncengine.h"
#include "synccontroller.h"
#include "systemcontroller.h"
#include "unixsocketlistener.h"

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
using RouteSupport::kBase;

} // namespace

ApiServer::ApiServer(SyncEngine &engine, ApiConfig config, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_config(std::move(config))
    , m_statusBytes(engine.store())
{
    m_auth.setAllowedHosts(m_config.allowedHosts, m_config.address);
    addRoutes();
    connect(&m_engine, &SyncEngine::changed, this,
        [this](const EngineChanges &changes) { m_statusBytes.dropRemoved(changes.changedIds); });
}

ApiServer::~ApiServer() = default;

QString ApiServer::openApiResourcePath()
{
    return QStringLiteral(":/keystone/api/openapi.json");
}

ApiResult<void> ApiServer::regenerateToken()
{
    return m_auth.regenerateToken(tokenFilePath());
}

QString ApiServer::tokenFilePath() const
{
    return ApiLocation(m_config.dataDir).tokenFile();
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

ApiResult<void> ApiServer::start()
{
    if (m_http)
        return ApiError{QStringLiteral("the API server is already started")};
    if (m_config.dataDir.isEmpty())
        return ApiError{QStringLiteral("the API needs a data directory for its token file")};
    if (auto token = m_auth.loadOrCreateToken(tokenFilePath()); !token)
        return token;
    if (auto identity = m_identity.create(ApiLocation(m_config.dataDir).identityFile()); !identity)
        return identity;
    if (auto tcp = listenOnTcp(); !tcp)
        return tcp;
    if (auto unixSocket = listenOnUnixSocket(); !unixSocket) {
        delete m_http; // and the TCP server, its child since bind()
        m_http = nullptr;
        m_tcp = nullptr;
        return unixSocket;
    }
    m_events = new EventStream(
        m_engine, m_statusBytes, m_config.heartbeatMs, m_config.eventBufferSize, m_config.maxEventClients, this);
    m_metrics = new MetricsReporter(m_engine, m_config.stationName, this);
    qCInfo(lcApi) << "listening on" << url().toString() << "- at most" << m_tcp->connectionLimit() << "connections";
    return {};
}

// The HTTP server on its guarded TCP server, bound to the configured address; nothing is left of either on failure.
ApiResult<void> ApiServer::listenOnTcp()
{
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
        ApiError error{QStringLiteral("cannot listen on %1:%2: %3")
                           .arg(m_config.address.toString())
                           .arg(m_config.port)
                           .arg(m_tcp->errorString())};
        delete m_tcp;
        m_tcp = nullptr;
        delete m_http;
        m_http = nullptr;
        return error;
    }
    m_port = m_tcp->serverPort();
    return {};
}

ApiResult<void> ApiServer::listenOnUnixSocket()
{
    if (m_config.unixSocketPath.isEmpty())
        return {};
    GuardedTcpServer *tcp = m_tcp;
    m_unixSocket = new UnixSocketListener([tcp](qintptr descriptor) { tcp->adoptDescriptor(descriptor); }, this);
    if (m_config.unixSocketAllowedUid)
        m_unixSocket->setAllowedUid(*m_config.unixSocketAllowedUid);
    auto listening = m_unixSocket->listen(m_config.unixSocketPath);
    if (!listening) {
        delete m_unixSocket;
        m_unixSocket = nullptr;
    }
    return listening;
}

void ApiServer::addRoutes()
{
    // One controller per domain (as qBittorrent's webui/api does); the server binds, authenticates and dispatches.
    // The objects made when it starts listening (events, metrics, the TCP server) are asked for when a request comes.
    m_systemController = std::make_unique<SystemController>(m_engine,
        SystemController::Sources{m_identity, [this] { return m_port; },
            [this] { return m_metrics->render(m_events->clientCount(), m_tcp->stats(), m_tcp->connectionLimit()); }});
    m_episodesController = std::make_unique<EpisodesController>(m_engine, m_statusBytes);
    m_syncController = std::make_unique<SyncController>(m_engine, m_statusBytes);
    m_eventsController = std::make_unique<EventsController>([this] { return m_events; }, m_config.maxEventClients);
    m_systemController->addRoutes(m_router);
    m_eventsController->addRoutes(m_router);
    m_episodesController->addRoutes(m_router);
    m_syncController->addRoutes(m_router);
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

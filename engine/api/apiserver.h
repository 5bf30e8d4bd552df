#pragma once

#include "apiauth.h"
#include "apiconfig.h"
#include "apiresult.h"
#include "apirouter.h"
#include "guardedtcpserver.h"
#include "serveridentity.h"
#include "statusbytescache.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class ApiHttpServer;
class EpisodesController;
class EventsController;
class SyncController;
class SystemController;
class EventStream;
class MetricsReporter;
class QHttpServerRequest;
class QHttpServerResponder;
class SyncEngine;
class UnixSocketListener;

// The local HTTP API: routes under /api/v1 over the SyncEngine facade, on the main thread. The server listens (TCP and
// the Unix socket), checks the Host and the bearer token (every route but /health needs it) and dispatches to one
// controller per domain: SystemController (/health, /metrics, /openapi.json), EventsController (/events),
// EpisodesController (/episodes…) and SyncController (/sync/…). Reads answer from the engine's in-memory snapshot;
// commands are queued to the engine and answered from its callback (no handler blocks). Size and time limits live
// in GuardedTcpServer/RequestGuard.
class ApiServer : public QObject
{
    Q_OBJECT

public:
    ApiServer(SyncEngine &engine, ApiConfig config, QObject *parent = nullptr);
    ~ApiServer() override;

    // Loads or creates <dataDir>/api-token, writes a fresh <dataDir>/server-identity, then binds the TCP port and
    // the Unix socket (if configured).
    [[nodiscard]] ApiResult<void> start();
    QUrl url() const; // http://127.0.0.1:PORT
    QString unixSocketPath() const; // where the Unix socket listens; empty: none
    QString tokenFilePath() const; // ApiLocation::tokenFile() of this instance's data directory
    QByteArray token() const { return m_auth.token(); }
    // Replaces the token (file and memory); requests with the old one get 401 from now on.
    [[nodiscard]] ApiResult<void> regenerateToken();

    const ApiRouter &router() const { return m_router; }
    // The connections' counters (also in /metrics as keystone_api_connections*).
    [[nodiscard]] GuardedTcpServer::Stats connectionStats() const;
    [[nodiscard]] int connectionLimit() const; // GuardedTcpServer::connectionLimit(); 0 before start()
    static QString openApiResourcePath();

private:
    [[nodiscard]] ApiResult<void> listenOnTcp();
    [[nodiscard]] ApiResult<void> listenOnUnixSocket();
    void addRoutes();
    void dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder);

    SyncEngine &m_engine;
    ApiConfig m_config;
    ApiAuth m_auth;
    ServerIdentity m_identity;
    ApiRouter m_router;
    StatusBytesCache m_statusBytes;
    ApiHttpServer *m_http = nullptr;
    GuardedTcpServer *m_tcp = nullptr;
    UnixSocketListener *m_unixSocket = nullptr;
    EventStream *m_events = nullptr;
    MetricsReporter *m_metrics = nullptr;
    std::unique_ptr<SystemController> m_systemController;
    std::unique_ptr<EventsController> m_eventsController;
    std::unique_ptr<EpisodesController> m_episodesController;
    std::unique_ptr<SyncController> m_syncController;
    quint16 m_port = 0;
};

#pragma once

#include "apiauth.h"
#include "apiconfig.h"
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
class EventStream;
class MetricsReporter;
class QHttpServerRequest;
class QHttpServerResponder;
class SyncEngine;
class UnixSocketListener;

// The local HTTP API (issue 4): routes under /api/v1 over the SyncEngine facade, on the main thread.
// Reads answer from the engine's in-memory snapshot; commands are queued to the engine and answered from its
// callback (the responder waits in shared state, no handler blocks). Every route but /health needs the bearer
// token; every request needs an allowed Host. Size and time limits live in GuardedTcpServer/RequestGuard.
class ApiServer : public QObject
{
    Q_OBJECT

public:
    ApiServer(SyncEngine &engine, ApiConfig config, QObject *parent = nullptr);
    ~ApiServer() override;

    // Loads or creates <dataDir>/api-token, writes a fresh <dataDir>/server-identity, then binds the TCP port and
    // the Unix socket (if configured). False and *error on failure.
    bool start(QString *error);
    QUrl url() const; // http://127.0.0.1:PORT
    QString unixSocketPath() const; // where the Unix socket listens; empty: none
    QString tokenFilePath() const;
    // Where the token of an instance with this data directory lives (also read by the script verbs).
    static QString tokenFilePath(const QString &dataDir);
    QByteArray token() const { return m_auth.token(); }
    // Replaces the token (file and memory); requests with the old one get 401 from now on.
    bool regenerateToken(QString *error);
    // The server identity file of an instance with this data directory (ServerIdentity; read by the script verbs).
    static QString identityFilePath(const QString &dataDir) { return ServerIdentity::filePath(dataDir); }

    const ApiRouter &router() const { return m_router; }
    // The connections' counters (also in /metrics as keystone_api_connections*).
    [[nodiscard]] GuardedTcpServer::Stats connectionStats() const;
    [[nodiscard]] int connectionLimit() const; // GuardedTcpServer::connectionLimit(); 0 before start()
    static QString openApiResourcePath();

private:
    bool listenOnUnixSocket(QString *error);
    void addRoutes();
    void dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder);

    // Handlers, one per route (see docs/api.md).
    void health(const ApiRequest &request, ApiResponse response);
    void metrics(const ApiRequest &request, ApiResponse response);
    void openApi(const ApiRequest &request, ApiResponse response);
    void events(const ApiRequest &request, ApiResponse response);
    void listEpisodes(const ApiRequest &request, ApiResponse response);
    void createEpisode(const ApiRequest &request, ApiResponse response);
    // One episode's JSON (from m_statusBytes), or 404.
    void respondWithSnapshot(
        const ApiRequest &request, ApiResponse &response, const std::function<std::optional<QByteArray>(qint64)> &json);
    void getEpisode(const ApiRequest &request, ApiResponse response);
    void deleteEpisode(const ApiRequest &request, ApiResponse response);
    void patchEpisode(const ApiRequest &request, ApiResponse response); // {"priority": N}
    void episodeStatus(const ApiRequest &request, ApiResponse response);
    void episodeStatuses(const ApiRequest &request, ApiResponse response);
    void enqueue(const ApiRequest &request, ApiResponse response);
    void cancel(const ApiRequest &request, ApiResponse response);
    void retry(const ApiRequest &request, ApiResponse response);
    void pauseEpisode(const ApiRequest &request, ApiResponse response);
    void resumeEpisode(const ApiRequest &request, ApiResponse response);
    void rescan(const ApiRequest &request, ApiResponse response);
    void storage(const ApiRequest &request, ApiResponse response);
    void pause(const ApiRequest &request, ApiResponse response);
    void resume(const ApiRequest &request, ApiResponse response);
    void logs(const ApiRequest &request, ApiResponse response);
    void throttle(const ApiRequest &request, ApiResponse response);
    void setThrottle(const ApiRequest &request, ApiResponse response); // ThrottleRequest's body

    std::optional<qint64> pathId(const ApiRequest &request, ApiResponse &response) const;
    std::optional<int> intParameter(const ApiRequest &request, ApiResponse &response, const QString &name,
        int defaultValue, int min, int max) const;

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
    quint16 m_port = 0;
};

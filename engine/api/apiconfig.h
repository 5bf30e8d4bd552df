#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

#include <sys/types.h>

// How the local HTTP API listens and what it accepts. Defaults: loopback only, a free port, and limits
// against abusive local clients (docs/api.md, "How limits are enforced").
struct ApiConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; // 0: a free port (ApiServer::url() tells which)
    QString dataDir; // <dataDir>/api-token holds the bearer token, <dataDir>/server-identity the server identity
    QString unixSocketPath; // the API also listens here (UnixSocketListener); empty: no Unix socket
    std::optional<uid_t> unixSocketAllowedUid; // the uid admitted on it besides root (default: ours); a test seam
    QStringList allowedHosts; // Host names accepted besides loopback names and addresses (DNS-rebinding defence)
    int heartbeatMs = 15000; // SSE comment line on every open /events stream
    qint64 maxBodyBytes = 1 << 20; // larger request bodies get 413
    QString stationName; // /metrics' keystone_station_info{station}: --station-name; empty: the machine's host name

    // Connection guard (GuardedTcpServer / RequestGuard).
    int maxRequestLineBytes = 8 * 1024; // longer → 414
    int maxHeaderBytes = 16 * 1024; // request line + header lines; larger → 431
    int maxHeaderCount = 100; // more header lines → 431
    int requestTimeoutMs = 10000; // a request must arrive whole within this (slow-loris) → 408 and close
    int idleTimeoutMs = 15000; // a connection with no request arriving and no answer leaving is closed after this
    // Open API connections at most (GuardedTcpServer). When full, a new connection closes the oldest idle one (no
    // request arriving or unanswered, not an /events stream); if none is idle the new one is refused. Also bounded
    // by the descriptor limit less a reserve kept for the engine (DescriptorLimit::reserveFor).
    int maxConnections = 256;
    qint64 maxOutputBytesPerConnection = 1 << 20; // unsent answers above this: the connection's requests wait
    int maxEventClients = 32; // concurrent /events streams; more → 429
    int eventBufferSize = 1000; // events kept for Last-Event-ID / ?since= resumption
};

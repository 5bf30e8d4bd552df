#pragma once

#include "dialect.h"
#include "faultinjector.h"
#include "objectstore.h"
#include "serverconfig.h"
#include "tlscontext.h"

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace StrictS3 {

// Accepts connections on 127.0.0.1 and serves each on its own thread (blocking sockets keep the
// request code linear; tests open tens of connections, not thousands).
class S3Server
{
public:
    explicit S3Server(ServerConfig config);
    ~S3Server();

    bool start(QString *error); // opens the store, creates --bucket buckets, binds and listens
    quint16 port() const { return m_port; }
    bool tls() const { return m_tls != nullptr; }
    // Accept loop; returns once a byte arrives on stopFd (the signal handler's self-pipe).
    void run(int stopFd);

private:
    struct Connection
    {
        int fd = -1;
        std::thread thread;
        std::atomic<bool> done{false};
    };

    void reapFinished();
    void stopAll();

    ServerConfig m_config;
    ObjectStore m_store;
    FaultInjector m_faults;
    std::unique_ptr<Dialect> m_dialect;
    std::unique_ptr<TlsContext> m_tls; // --tls-ca-out: https
    std::atomic<bool> m_stopping{false};
    int m_listenFd = -1;
    quint16 m_port = 0;
    std::mutex m_connectionsMutex;
    std::list<std::unique_ptr<Connection>> m_connections;
};

} // namespace StrictS3

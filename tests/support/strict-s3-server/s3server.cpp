#include "s3server.h"

#include "s3requesthandler.h"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace StrictS3 {

S3Server::S3Server(ServerConfig config)
    : m_config(std::move(config))
    , m_store(m_config.root, m_config.minPartSize, m_config.discard)
    , m_dialect(Dialect::create(m_config))
{ }

S3Server::~S3Server()
{
    stopAll();
    if (m_listenFd >= 0)
        ::close(m_listenFd);
}

bool S3Server::start(QString *error)
{
    m_store.setOpaqueMultipartEtags(m_config.quirks.has(Quirk::OpaqueMultipartEtag));
    if (!m_store.open(error))
        return false;
    if (!m_config.tlsCaOut.isEmpty()) {
        m_tls = TlsContext::create(m_config.tlsCaOut, error);
        if (!m_tls)
            return false;
    }
    for (const QByteArray &bucket : m_config.buckets)
        m_store.createBucket(bucket);

    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_config.port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(m_listenFd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || ::listen(m_listenFd, 128) != 0) {
        *error = QStringLiteral("cannot listen on 127.0.0.1:%1: %2").arg(m_config.port).arg(qt_error_string(errno));
        return false;
    }
    socklen_t length = sizeof address;
    ::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&address), &length);
    m_port = ntohs(address.sin_port);
    return true;
}

void S3Server::run(int stopFd)
{
    for (;;) {
        pollfd fds[2] = {{m_listenFd, POLLIN, 0}, {stopFd, POLLIN, 0}};
        const int rc = ::poll(fds, 2, 1000);
        reapFinished();
        if (rc < 0 && errno != EINTR)
            break;
        if (rc <= 0)
            continue;
        if (fds[1].revents)
            break;
        if (!(fds[0].revents & POLLIN))
            continue;
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        m_faults.countConnection();
        auto connection = std::make_unique<Connection>();
        Connection *raw = connection.get();
        raw->fd = fd;
        std::lock_guard lock(m_connectionsMutex);
        m_connections.push_back(std::move(connection));
        raw->thread = std::thread([this, raw] {
            {
                S3RequestHandler handler(raw->fd, m_tls.get(), m_config, m_store, m_faults, *m_dialect, m_stopping);
                handler.run();
                // The handler's connection closes the socket when it goes out of scope; unregister first so
                // stopAll() never shuts down a recycled descriptor.
                std::lock_guard lock(m_connectionsMutex);
                raw->fd = -1;
            }
            raw->done = true;
        });
    }
    stopAll();
}

void S3Server::reapFinished()
{
    std::list<std::unique_ptr<Connection>> finished;
    {
        std::lock_guard lock(m_connectionsMutex);
        for (auto it = m_connections.begin(); it != m_connections.end();) {
            if ((*it)->done.load()) {
                finished.push_back(std::move(*it));
                it = m_connections.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto &c : finished)
        c->thread.join();
}

void S3Server::stopAll()
{
    m_stopping = true;
    {
        // Wake threads blocked in send/sendfile; readers notice m_stopping within one poll slice.
        std::lock_guard lock(m_connectionsMutex);
        for (auto &c : m_connections) {
            if (c->fd >= 0)
                ::shutdown(c->fd, SHUT_RDWR);
        }
    }
    std::list<std::unique_ptr<Connection>> all;
    {
        std::lock_guard lock(m_connectionsMutex);
        all.swap(m_connections);
    }
    for (auto &c : all) {
        if (c->thread.joinable())
            c->thread.join();
    }
}

} // namespace StrictS3

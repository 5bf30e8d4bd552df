#include "httpconnection.h"

#include "tlscontext.h"

#include <QDateTime>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

namespace StrictS3 {

namespace {

constexpr int kMaxHeadBytes = 64 * 1024;
constexpr int kKeepAliveIdleMs = 300 * 1000; // between requests
constexpr int kMidRequestIdleMs = 120 * 1000; // inside a request (a client stalling mid-body)

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 416:
        return "Requested Range Not Satisfiable";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

QByteArray httpDateNow()
{
    return QDateTime::currentDateTimeUtc().toString(u"ddd, dd MMM yyyy HH:mm:ss 'GMT'").toLatin1();
}

} // namespace

HttpConnection::HttpConnection(int fd, const std::atomic<bool> &stopping, const TlsContext *tls)
    : m_fd(fd)
    , m_tls(tls)
    , m_stopping(stopping)
{ }

HttpConnection::~HttpConnection()
{
    if (m_ssl) {
        SSL_shutdown(m_ssl); // close_notify, best effort
        SSL_free(m_ssl);
    }
    if (m_fd >= 0)
        ::close(m_fd);
}

bool HttpConnection::handshake()
{
    if (!m_tls)
        return true;
    m_ssl = m_tls->accept(m_fd, 10000);
    return m_ssl != nullptr;
}

namespace {
std::atomic<qint64> g_bytesReceived{0};
}

qint64 HttpConnection::totalBytesReceived()
{
    return g_bytesReceived.load(std::memory_order_relaxed);
}

ssize_t HttpConnection::receive(char *buffer, size_t size)
{
    ssize_t n = -1;
    if (!m_ssl) {
        n = ::recv(m_fd, buffer, size, 0);
    } else {
        const int read = SSL_read(m_ssl, buffer, int(std::min<size_t>(size, 1 << 30)));
        n = read > 0 ? read : -1;
    }
    if (n > 0)
        g_bytesReceived.fetch_add(n, std::memory_order_relaxed);
    return n;
}

bool HttpConnection::waitReadable(int idleTimeoutMs)
{
    if (m_ssl && SSL_pending(m_ssl) > 0)
        return true; // decrypted bytes wait in OpenSSL's buffer, not on the socket
    int waited = 0;
    while (!m_stopping.load()) {
        pollfd p{m_fd, POLLIN, 0};
        const int rc = ::poll(&p, 1, 200);
        if (rc > 0)
            return true;
        if (rc < 0 && errno != EINTR)
            return false;
        waited += 200;
        if (waited >= idleTimeoutMs)
            return false;
    }
    return false;
}

bool HttpConnection::peerClosed() const
{
    pollfd p{m_fd, POLLIN | POLLRDHUP, 0};
    if (::poll(&p, 1, 0) <= 0)
        return false;
    if (p.revents & (POLLRDHUP | POLLHUP | POLLERR))
        return true;
    char byte;
    // Under TLS a readable socket may hold a record (even close_notify) rather than an orderly FIN: only the FIN
    // counts as closed here.
    return ::recv(m_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

HttpConnection::HeadResult HttpConnection::readRequestHead(HttpRequest &request)
{
    qsizetype end = -1;
    while ((end = m_buffer.indexOf("\r\n\r\n")) < 0) {
        if (m_buffer.size() > kMaxHeadBytes)
            return HeadResult::TooLarge;
        if (!waitReadable(m_buffer.isEmpty() ? kKeepAliveIdleMs : kMidRequestIdleMs))
            return HeadResult::Closed;
        char chunk[16384];
        const ssize_t n = receive(chunk, sizeof chunk);
        if (n <= 0)
            return HeadResult::Closed;
        m_buffer.append(chunk, n);
    }
    if (end > kMaxHeadBytes)
        return HeadResult::TooLarge;
    const QByteArray head = m_buffer.left(end);
    m_buffer.remove(0, end + 4);

    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
        return HeadResult::Malformed;
    request.method = requestLine[0];
    request.target = requestLine[1];
    request.version = requestLine[2];
    request.headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        if (line.front() == ' ' || line.front() == '\t')
            return HeadResult::Malformed; // obsolete line folding: rejected, as RFC 9112 allows
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return HeadResult::Malformed;
        const QByteArray name = line.left(colon);
        if (name.contains(' ') || name.contains('\t'))
            return HeadResult::Malformed;
        request.headers.append({name, line.mid(colon + 1).trimmed()});
    }
    return HeadResult::Ok;
}

qint64 HttpConnection::readBody(char *buffer, qint64 max)
{
    max = std::min(max, m_bodyRemaining);
    if (max <= 0)
        return -1;
    if (!m_buffer.isEmpty()) {
        const qint64 n = std::min<qint64>(max, m_buffer.size());
        std::memcpy(buffer, m_buffer.constData(), size_t(n));
        m_buffer.remove(0, n);
        m_bodyRemaining -= n;
        return n;
    }
    if (!waitReadable(kMidRequestIdleMs))
        return -1;
    const ssize_t n = receive(buffer, size_t(max));
    if (n <= 0)
        return -1;
    m_bodyRemaining -= n;
    return n;
}

bool HttpConnection::drainBody()
{
    char chunk[65536];
    while (m_bodyRemaining > 0) {
        if (readBody(chunk, sizeof chunk) < 0)
            return false;
    }
    return true;
}

bool HttpConnection::writeAll(const char *data, size_t size)
{
    while (size > 0) {
        if (m_ssl) {
            const int n = SSL_write(m_ssl, data, int(std::min<size_t>(size, 1 << 30)));
            if (n <= 0)
                return false;
            data += n;
            size -= size_t(n);
            continue;
        }
        const ssize_t n = ::send(m_fd, data, size, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= size_t(n);
    }
    return true;
}

bool HttpConnection::sendContinue()
{
    static const char line[] = "HTTP/1.1 100 Continue\r\n\r\n";
    return writeAll(line, sizeof line - 1);
}

bool HttpConnection::sendResponse(const HttpResponse &response)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    for (const auto &h : response.headers)
        out += h.first + ": " + h.second + "\r\n";
    const qint64 length = response.contentLength >= 0 ? response.contentLength : response.body.size();
    out += "Date: " + httpDateNow() + "\r\nServer: strict-s3-server\r\n";
    if (!response.withoutContentLength)
        out += "Content-Length: " + QByteArray::number(length) + "\r\n";
    const bool close = response.close || response.withoutContentLength;
    out += close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    out += response.body;
    return writeAll(out.constData(), size_t(out.size()));
}

bool HttpConnection::sendFile(int fileFd, qint64 offset, qint64 length)
{
    if (m_ssl) {
        // No sendfile through TLS: read and encrypt in pieces.
        QByteArray buffer(256 * 1024, Qt::Uninitialized);
        while (length > 0) {
            const ssize_t n = ::pread(fileFd, buffer.data(), size_t(std::min<qint64>(length, buffer.size())), offset);
            if (n <= 0 || !writeAll(buffer.constData(), size_t(n)))
                return false;
            offset += n;
            length -= n;
        }
        return true;
    }
    off_t position = offset;
    while (length > 0) {
        const ssize_t n = ::sendfile(m_fd, fileFd, &position, size_t(std::min<qint64>(length, 1 << 30)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        length -= n;
    }
    return true;
}

void HttpConnection::reset()
{
    linger l{1, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

} // namespace StrictS3

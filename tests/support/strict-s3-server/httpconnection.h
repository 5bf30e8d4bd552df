#pragma once

#include "httprequest.h"
#include "httpresponse.h"

#include <QByteArray>

#include <atomic>

struct ssl_st;

namespace StrictS3 {

class TlsContext;

// Blocking HTTP/1.1 framing on one accepted socket: request heads, Content-Length bodies read in
// pieces (never whole), responses, and file bodies via sendfile. Owns and closes the socket.
// Reads poll in short slices so a server shutdown (stopping flag) ends a connection promptly.
class HttpConnection
{
public:
    // With tls, the connection speaks TLS once handshake() succeeded.
    HttpConnection(int fd, const std::atomic<bool> &stopping, const TlsContext *tls = nullptr);
    ~HttpConnection();
    HttpConnection(const HttpConnection &) = delete;
    HttpConnection &operator=(const HttpConnection &) = delete;

    // The TLS handshake (no-op without TLS); false: drop the connection.
    bool handshake();

    enum class HeadResult { Ok, Closed, TooLarge, Malformed };
    HeadResult readRequestHead(HttpRequest &request);

    // Body accounting for the current request.
    void setBodyLength(qint64 length) { m_bodyRemaining = length; }
    qint64 bodyRemaining() const { return m_bodyRemaining; }
    // Reads up to max body bytes; returns > 0, or -1 when the peer went away / timed out early.
    qint64 readBody(char *buffer, qint64 max);
    bool drainBody();

    // True once the peer closed or reset its side (checked without consuming anything).
    bool peerClosed() const;

    bool sendContinue();
    bool sendResponse(const HttpResponse &response);
    bool sendFile(int fileFd, qint64 offset, qint64 length);
    // Arms SO_LINGER 0 so that closing (the destructor) sends a reset, not an orderly FIN. The caller must
    // drop the connection right after; the server unregisters the socket before it is closed.
    void reset();

    // Every byte received on any connection since the server started, as it arrived (GET /__keystone/stats
    // "bytes_received"): what a client's upload limit let through, measured where it lands.
    static qint64 totalBytesReceived();

private:
    bool waitReadable(int idleTimeoutMs);
    bool writeAll(const char *data, size_t size);
    ssize_t receive(char *buffer, size_t size); // recv(), or SSL_read() under TLS

    int m_fd;
    const TlsContext *m_tls;
    ssl_st *m_ssl = nullptr;
    const std::atomic<bool> &m_stopping;
    QByteArray m_buffer; // bytes received but not consumed yet (rest of head buffer, pipelined data)
    qint64 m_bodyRemaining = 0;
};

} // namespace StrictS3

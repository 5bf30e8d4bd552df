#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTimer>

class QTcpSocket;

// Limits QHttpServer 6.4 does not have, enforced on the raw bytes of one connection before QHttpServer reads them
// (GuardedTcpServer connects onHeadReadyRead() to the socket first and onTailReadyRead() after QHttpServer's own
// handler). It follows request boundaries (end of headers, Content-Length) and answers with a JSON error and a
// lingering close:
//   request line > maxRequestLine → 414;  header section > maxHeaderBytes or > maxHeaderCount lines → 431;
//   Content-Length > maxBody → 413 (at once, before the body is read);  Transfer-Encoding → 411;
//   a malformed request line / header / Content-Length, an Upgrade → 400;
//   a request not complete within requestTimeoutMs of its first byte (slow-loris, trickling) → 408;
//   a connection idle for idleTimeoutMs between requests is closed (not /events streams: kStreamProperty).
// If QHttpServer's parser gives up on a request anyway (it then disconnects from the socket without answering),
// the guard notices and answers 400 itself.
//
// It also keeps the connection's side of HTTP that QHttpServer 6.4 ignores. The API tells it when it starts and
// finishes answering a request (beginResponse / endResponse, from ApiResponse):
//   Connection: close, or HTTP/1.0 without keep-alive → the connection is closed once that answer is written;
//   answers not yet sent above maxOutputBytes (a client pipelining requests without reading) → QHttpServer is kept
//   from parsing further requests (held in a read transaction, the socket's read buffer bounded) until the client
//   has read enough;
//   idle = no request arriving, none unanswered, nothing left to send, not a stream: what GuardedTcpServer may close
//   first when it is full.
//
//   Idle ──first byte──► Headers ──blank line──► Body (Content-Length) ──► Idle
//     └──────────────── any limit ───────────────► Rejected (answer, shutdown(WR), drain, close)
class RequestGuard : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        int maxRequestLine = 8 * 1024;
        int maxHeaderBytes = 16 * 1024;
        int maxHeaderCount = 100;
        qint64 maxBody = 1 << 20;
        int requestTimeoutMs = 10000;
        int idleTimeoutMs = 15000;
        qint64 maxOutputBytes = 1 << 20;
    };
    // Shared by the guards of one server (GuardedTcpServer::Stats reads them).
    struct Counters
    {
        int paused = 0; // connections whose requests wait for their client to read
        qint64 pauses = 0;
        qint64 responses = 0; // answers written
        qint64 largestOutputBytes = 0; // the most unsent bytes seen on one connection after an answer was written
    };
    static constexpr const char *kStreamProperty = "keystone_api_stream"; // set on sockets serving /events

    RequestGuard(QTcpSocket *socket, const Limits &limits, Counters *counters); // a child of the socket
    ~RequestGuard() override;
    static RequestGuard *of(const QTcpSocket *socket); // the socket's guard, or nullptr
    void onHeadReadyRead();
    void onTailReadyRead();

    // The API takes the next request QHttpServer dispatched (in the order they arrived); true if the connection is
    // to be closed after its answer.
    [[nodiscard]] bool beginResponse();
    // Its answer is written (or dropped); closeAfter: what beginResponse() said.
    void endResponse(bool closeAfter);

    [[nodiscard]] bool isIdle() const;
    [[nodiscard]] qint64 idleSince() const { return m_idleSince; } // a sequence number: smaller is older

private:
    enum class Phase { Idle, Headers, Body, Rejected };

    void feed(const QByteArray &bytes);
    qsizetype feedHeaders(const QByteArray &bytes, qsizetype from);
    bool checkHead(qsizetype headerEnd);
    void requestComplete();
    void checkParserAlive();
    void onTimeout();
    void reject(int status, const char *code, const QString &message);
    void drain();
    void becameIdle();
    void onBytesWritten();
    void checkBackpressure();
    void pause();
    void resume();
    void resumeIfDrained();
    void holdArrived();

    QTcpSocket *m_socket;
    Limits m_limits;
    Phase m_phase = Phase::Idle;
    QByteArray m_head;
    qint64 m_bodyLeft = 0;
    qint64 m_unconsumed = 0; // bytes QHttpServer left in the socket buffer after its last read
    bool m_tailPending = false;
    bool m_closeRequested = false; // the request being read asks for the connection to close after its answer
    QList<bool> m_closeAfter; // per request read whole and not yet taken by beginResponse()
    int m_unanswered = 0; // taken by beginResponse(), not yet ended
    bool m_closing = false;
    bool m_paused = false;
    qint64 m_idleSince = 0;
    Counters *m_counters;
    QTimer m_timer;
};

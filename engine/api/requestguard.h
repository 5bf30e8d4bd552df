#pragma once

#include <QByteArray>
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
        int idleTimeoutMs = 60000;
    };
    static constexpr const char *kStreamProperty = "keystone_api_stream"; // set on sockets serving /events

    RequestGuard(QTcpSocket *socket, const Limits &limits); // a child of the socket
    void onHeadReadyRead();
    void onTailReadyRead();

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

    QTcpSocket *m_socket;
    Limits m_limits;
    Phase m_phase = Phase::Idle;
    QByteArray m_head;
    qint64 m_bodyLeft = 0;
    qint64 m_unconsumed = 0; // bytes QHttpServer left in the socket buffer after its last read
    bool m_tailPending = false;
    QTimer m_timer;
};

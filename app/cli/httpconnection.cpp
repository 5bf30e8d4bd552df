#include "httpconnection.h"

#include <QCoreApplication>
#include <QLocalSocket>
#include <QNetworkProxy>
#include <QTcpSocket>

namespace {

constexpr qsizetype kMaxHeadBytes = 64 * 1024; // the API's answers have a few short headers

int remainingMs(const QDeadlineTimer &deadline)
{
    return int(qMax<qint64>(1, deadline.remainingTime()));
}

} // namespace

HttpConnection::HttpConnection(ApiEndpoint endpoint)
    : m_endpoint(std::move(endpoint))
{ }

HttpConnection::~HttpConnection() = default;

bool HttpConnection::isConnected() const
{
    if (auto *local = qobject_cast<QLocalSocket *>(m_socket.get()))
        return local->state() == QLocalSocket::ConnectedState;
    if (auto *tcp = qobject_cast<QTcpSocket *>(m_socket.get()))
        return tcp->state() == QAbstractSocket::ConnectedState;
    return false;
}

ApiFailure HttpConnection::unreachable(const QString &why) const
{
    return ApiFailure{ApiFailure::Kind::Unreachable, 0, {}, why};
}

void HttpConnection::close()
{
    m_socket.reset();
    m_buffer.clear();
}

Expected<void, ApiFailure> HttpConnection::open(const QDeadlineTimer &deadline, bool *opened)
{
    *opened = false;
    if (isConnected())
        return {};
    close();
    QString why;
    if (m_endpoint.isUnixSocket()) {
        auto socket = std::make_unique<QLocalSocket>();
        socket->connectToServer(m_endpoint.unixSocketPath);
        if (socket->waitForConnected(remainingMs(deadline)))
            m_socket = std::move(socket);
        else
            why = socket->errorString();
    } else {
        auto socket = std::make_unique<QTcpSocket>();
        // The instance is on this machine: a proxy from the environment must never see the token.
        socket->setProxy(QNetworkProxy::NoProxy);
        socket->connectToHost(m_endpoint.address, m_endpoint.port);
        if (socket->waitForConnected(remainingMs(deadline)))
            m_socket = std::move(socket);
        else
            why = socket->errorString();
    }
    if (!m_socket)
        return unreachable(why);
    *opened = true;
    return {};
}

Expected<HttpConnection::Answer, ApiFailure> HttpConnection::exchange(const QByteArray &method,
    const QByteArray &target, const Headers &headers, const QByteArray &body, const QDeadlineTimer &deadline,
    bool *nothingRead)
{
    *nothingRead = false;
    if (!isConnected())
        return unreachable(tr("not connected"));
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: " + m_endpoint.hostHeader() + "\r\n";
    for (const auto &[name, value] : headers)
        request += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PATCH" || method == "PUT")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    m_socket->write(request);
    while (m_socket->bytesToWrite() > 0) {
        if (!m_socket->waitForBytesWritten(remainingMs(deadline))) {
            *nothingRead = !deadline.hasExpired();
            const QString why = deadline.hasExpired() ? QString() : m_socket->errorString();
            close();
            return unreachable(why);
        }
    }
    auto answer = readAnswer(deadline, nothingRead);
    if (!answer)
        close();
    return answer;
}

Expected<HttpConnection::Answer, ApiFailure> HttpConnection::readAnswer(
    const QDeadlineTimer &deadline, bool *nothingRead)
{
    // Reads more into m_buffer; false at the close, an error or the deadline.
    const auto readMore = [this, &deadline] {
        if (m_socket->bytesAvailable() == 0 && !m_socket->waitForReadyRead(remainingMs(deadline)))
            return false;
        m_buffer += m_socket->readAll();
        return true;
    };
    qsizetype headEnd;
    while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
        if (m_buffer.size() > kMaxHeadBytes)
            return unreachable(tr("the answer's headers are too long"));
        if (!readMore()) {
            *nothingRead = m_buffer.isEmpty();
            return unreachable(deadline.hasExpired() ? QString() : tr("the connection closed without an answer"));
        }
    }
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    Answer answer;
    bool ok = false;
    answer.status = statusLine.value(1).toInt(&ok);
    if (!statusLine.first().startsWith("HTTP/1.") || !ok)
        return unreachable(tr("not an HTTP answer"));
    answer.reason = statusLine.mid(2).join(' ');
    qint64 contentLength = -1;
    bool closeAfter = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        const QByteArray name = lines.at(i).left(colon).trimmed().toLower();
        const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
        if (name == "content-length")
            contentLength = value.toLongLong(&ok);
        else if (name == "connection")
            closeAfter = value.toLower() == "close";
        else if (name == "transfer-encoding")
            return unreachable(tr("an answer in Transfer-Encoding %1, which this client does not read")
                                   .arg(QString::fromLatin1(value)));
    }
    m_buffer.remove(0, headEnd + 4);
    if (contentLength < 0) { // the body runs to the close
        while (readMore()) { }
        if (!deadline.hasExpired())
            closeAfter = true;
        else
            return unreachable(QString());
        contentLength = m_buffer.size();
    }
    while (m_buffer.size() < contentLength) {
        if (!readMore())
            return unreachable(deadline.hasExpired() ? QString() : tr("the connection closed in the answer's body"));
    }
    answer.body = m_buffer.left(contentLength);
    m_buffer.remove(0, contentLength);
    if (closeAfter)
        close();
    return answer;
}

// The local API's Unix socket (issue 17): created private, served with the same token and Host checks as TCP, a peer
// of another uid refused (SO_PEERCRED), a stale socket replaced and a live one respected; and the server identity
// proof /health gives for a client's nonce. A real SyncEngine and the strict S3 server behind it, as tst_apiserver.
#include "api/apilocation.h"
#include "api/apiserver.h"
#include "api/serveridentity.h"
#include "apiclient.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

// One request on a new connection to the socket; the reply, or status 0 if the server closed without one.
HttpReply exchangeOverSocket(const QString &socketPath, const QByteArray &request)
{
    QLocalSocket socket;
    socket.connectToServer(socketPath);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray buffer;
    QSignalSpy readable(&socket, &QLocalSocket::readyRead);
    for (;;) {
        buffer += socket.readAll();
        if (auto reply = ApiClient::parseResponse(&buffer, false))
            return *reply;
        if (socket.state() != QLocalSocket::ConnectedState || !readable.wait(10000))
            return {};
    }
}

QByteArray request(const QByteArray &target, const QByteArray &token)
{
    QByteArray text = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n";
    if (!token.isEmpty())
        text += "Authorization: Bearer " + token + "\r\n";
    return text + "\r\n";
}

// A socket file nothing listens on: what a crashed run leaves behind.
bool makeStaleSocket(const QString &path)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    const QByteArray encoded = QFile::encodeName(path);
    memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));
    const bool ok = ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) == 0;
    ::close(fd);
    return ok;
}

} // namespace

class TestApiUnixSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void socketIsPrivateAndNeedsTheToken();
    void anotherUidIsRefused();
    void staleSocketIsReplacedLiveOneRefused();
    void somethingElseAtThePathStopsStart();
    void healthProvesTheIdentityForANonce();

private:
    QString dataDir() const { return m_fixture.dataDir(); }
    QString socketPath() const { return QDir(dataDir()).filePath(QStringLiteral("api.sock")); }
    ApiConfig socketConfig() const;
    bool startApi(const ApiConfig &config, QString *error);

    StrictServerFixture m_fixture;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<ApiServer> m_api;
};

void TestApiUnixSocket::initTestCase()
{
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestApiUnixSocket::init()
{
    QVERIFY(m_fixture.makeDir());
    auto engine = SyncEngine::open(m_fixture.syncConfig(QStringLiteral("unixsocket")));
    QVERIFY2(engine.ok(), qPrintable(engine.error().message));
    m_engine = std::move(engine.value());
}

void TestApiUnixSocket::cleanup()
{
    m_api.reset();
    m_engine.reset();
    m_fixture.removeDir();
}

ApiConfig TestApiUnixSocket::socketConfig() const
{
    ApiConfig config;
    config.dataDir = dataDir();
    config.unixSocketPath = socketPath();
    return config;
}

bool TestApiUnixSocket::startApi(const ApiConfig &config, QString *error)
{
    m_api = std::make_unique<ApiServer>(*m_engine, config);
    const auto started = m_api->start();
    if (!started)
        *error = started.error().message;
    return started.ok();
}

void TestApiUnixSocket::socketIsPrivateAndNeedsTheToken()
{
    QString error;
    QVERIFY2(startApi(socketConfig(), &error), qPrintable(error));
    QCOMPARE(m_api->unixSocketPath(), socketPath());
    struct stat st = {};
    QCOMPARE(::lstat(QFile::encodeName(socketPath()).constData(), &st), 0);
    QVERIFY(S_ISSOCK(st.st_mode));
    QCOMPARE(int(st.st_mode & 0777), 0600);
    QCOMPARE(st.st_uid, ::geteuid());

    HttpReply reply = exchangeOverSocket(socketPath(), request("/api/v1/episodes", m_api->token()));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.json().contains(QStringLiteral("items")));
    reply = exchangeOverSocket(socketPath(), request("/api/v1/episodes", {}));
    QCOMPARE(reply.status, 401);
    reply = exchangeOverSocket(socketPath(), request("/api/v1/episodes", QByteArray(64, 'a')));
    QCOMPARE(reply.status, 401);
    // The Host check holds on the socket too (DNS rebinding cannot reach it, but one rule for both transports).
    reply = exchangeOverSocket(
        socketPath(), "GET /api/v1/health HTTP/1.1\r\nHost: evil.example\r\n\r\n"); // no token needed for /health
    QCOMPARE(reply.status, 403);

    m_api.reset(); // the socket goes with the server
    QVERIFY(!QFileInfo::exists(socketPath()));
}

// As root with setpriv: the CLI as nobody, once through the socket's own mode (0600: EACCES) and once with the mode
// opened, where only SO_PEERCRED stands between it and the API. Without root or setpriv the uid cannot change: the
// server then admits a uid that is not ours (ApiConfig::unixSocketAllowedUid), and our own connection must be
// refused the same way.
void TestApiUnixSocket::anotherUidIsRefused()
{
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    const bool canSwitchUid = ::geteuid() == 0 && !setpriv.isEmpty();
    ApiConfig config = socketConfig();
    if (!canSwitchUid)
        config.unixSocketAllowedUid = ::geteuid() + 1;
    QString error;
    QVERIFY2(startApi(config, &error), qPrintable(error));

    if (!canSwitchUid) {
        qInfo("not root or no setpriv: refusing our own uid through unixSocketAllowedUid");
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(QStringLiteral("refused a connection on .* from uid %1 \\(pid %2\\)")
                                   .arg(::geteuid())
                                   .arg(QCoreApplication::applicationPid())));
        const HttpReply reply = exchangeOverSocket(socketPath(), request("/api/v1/episodes", m_api->token()));
        QCOMPARE(reply.status, 0); // closed without a byte, the token notwithstanding
        return;
    }

    // The test's own data directory is 0700 root: let nobody reach the socket so that its mode is what stops it.
    QVERIFY(::chmod(QFile::encodeName(m_fixture.path()).constData(), 0711) == 0);
    QVERIFY(::chmod(QFile::encodeName(dataDir()).constData(), 0711) == 0);
    const auto runAsNobody = [&](int *exitCode, QByteArray *err) {
        QProcess cli;
        cli.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        cli.start(setpriv,
            {QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"), QStringLiteral("--clear-groups"),
                QStringLiteral(KEYSTONE_CONSOLE_BIN), QStringLiteral("list"), QStringLiteral("--data-dir"),
                QStringLiteral("/nonexistent"), QStringLiteral("--listen"), QStringLiteral("unix:") + socketPath()});
        QSignalSpy finished(&cli, &QProcess::finished);
        QVERIFY(finished.wait(30000));
        *exitCode = cli.exitCode();
        *err = cli.readAllStandardError();
    };
    int exitCode = -1;
    QByteArray err;
    runAsNobody(&exitCode, &err);
    QCOMPARE(exitCode, 4); // unreachable: the socket file's mode refuses to connect
    QVERIFY2(err.contains("unix:" + QFile::encodeName(socketPath())), err.constData());

    QVERIFY(::chmod(QFile::encodeName(socketPath()).constData(), 0666) == 0);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("refused a connection on .* from uid 65534")));
    runAsNobody(&exitCode, &err);
    // Connected, then closed at once: no HTTP answer, not even 401 (the CLI sees the close while it writes or reads).
    QCOMPARE(exitCode, 4);
    QVERIFY2(err.contains("cannot reach") && !err.contains("refused the token"), err.constData());
}

void TestApiUnixSocket::staleSocketIsReplacedLiveOneRefused()
{
    QVERIFY(QDir().mkpath(dataDir()));
    QVERIFY(makeStaleSocket(socketPath()));
    QString error;
    QVERIFY2(startApi(socketConfig(), &error), qPrintable(error));
    QCOMPARE(exchangeOverSocket(socketPath(), request("/api/v1/health", {})).status, 200);

    // A second server on the same path while the first one answers there: refused, and the first one's socket stays.
    ApiConfig second = socketConfig();
    second.dataDir = m_fixture.filePath(QStringLiteral("second"));
    ApiServer other(*m_engine, second);
    const auto refusal = other.start();
    QVERIFY(!refusal);
    error = refusal.error().message;
    QVERIFY2(error.contains(QLatin1String("another instance is listening on")), qPrintable(error));
    QCOMPARE(exchangeOverSocket(socketPath(), request("/api/v1/health", {})).status, 200);
}

void TestApiUnixSocket::somethingElseAtThePathStopsStart()
{
    QVERIFY(TestData::writeFile(socketPath(), "not a socket"));
    QString error;
    QVERIFY(!startApi(socketConfig(), &error));
    QVERIFY2(error.contains(QLatin1String("is not a socket")), qPrintable(error));
    QCOMPARE(QFile(socketPath()).size(), qint64(12)); // left alone
}

void TestApiUnixSocket::healthProvesTheIdentityForANonce()
{
    QString error;
    QVERIFY2(startApi(socketConfig(), &error), qPrintable(error));
    const QString identityFile = ApiLocation(dataDir()).identityFile();
    struct stat st = {};
    QCOMPARE(::lstat(QFile::encodeName(identityFile).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
    ServerIdentity identity;
    const auto read = identity.read(identityFile);
    QVERIFY2(read, qPrintable(read.error().message));

    ApiClient client(m_api->url(), {});
    const QByteArray nonce = ServerIdentity::newNonce();
    HttpReply reply = client.get(QStringLiteral("/health?nonce=") + QString::fromLatin1(nonce));
    QCOMPARE(reply.status, 200);
    const QByteArray proof = reply.json().value(QStringLiteral("instance")).toString().toLatin1();
    QCOMPARE(proof, identity.proof(nonce, m_api->url().port()));
    QVERIFY(proof != identity.proof(nonce, quint16(m_api->url().port() + 1))); // bound to the port
    QFile secret(identityFile);
    QVERIFY(secret.open(QIODevice::ReadOnly));
    QVERIFY(!reply.body.contains(secret.readAll().trimmed())); // a proof, never the secret
    QVERIFY(!client.get(QStringLiteral("/health")).json().contains(QStringLiteral("instance")));
    reply = client.get(QStringLiteral("/health?nonce=not-hex"));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.errorCode(), QStringLiteral("invalid_nonce"));

    // A fresh identity at every start: an old proof is worth nothing after a restart.
    const quint16 port = quint16(m_api->url().port());
    m_api.reset();
    ApiConfig again = socketConfig();
    again.port = port;
    QVERIFY2(startApi(again, &error), qPrintable(error));
    ServerIdentity next;
    QVERIFY(next.read(identityFile));
    QVERIFY(next.proof(nonce, port) != proof);
}

QTEST_GUILESS_MAIN(TestApiUnixSocket)
#include "tst_apiunixsocket.moc"

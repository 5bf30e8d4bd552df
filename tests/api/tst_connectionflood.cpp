// Issue 17, point 1: any local process could abort `--server` by holding ~1,060 idle TCP connections (descriptors
// exhausted: /health timed out, the next upload thread could not be created). Against a real `keystone-console
// --server` process and the strict S3 server, the test opens 5,000 idle connections (no token, no byte sent) and
// holds them; /health must still answer 200, an episode must upload to completion, and the server must hold at most
// its connection limit (counted by the server's /metrics, by the connections it closed, and by its descriptors in
// /proc). A second server runs under a hard descriptor limit of 1024 with a connection cap far above it: the
// descriptor reserve alone must keep it answering and uploading (and it starts with a soft limit of 512, which it
// raises to the hard one).
#include "apiclient.h"
#include "consoleserverprocess.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "testdata.h"

#include <QDir>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <vector>

#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using TestData::kMiB;

constexpr int kIdleConnections = 5000;
constexpr rlim_t kLowDescriptorLimit = 1024; // the soft limit the server had
constexpr int kDefaultConnectionCap = 256;

// Idle loopback connections that never send a byte; closed on destruction.
class IdleConnections
{
public:
    IdleConnections(quint16 port, int count)
    {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_fds.reserve(size_t(count));
        for (int i = 0; i < count; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0)
                break;
            if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0
                && errno != EINPROGRESS) {
                ::close(fd);
                break;
            }
            m_fds.push_back(fd);
        }
    }
    ~IdleConnections()
    {
        for (const int fd : m_fds)
            ::close(fd);
    }
    IdleConnections(const IdleConnections &) = delete;
    IdleConnections &operator=(const IdleConnections &) = delete;

    int opened() const { return int(m_fds.size()); }
    // Connections whose handshake is done (writable) or that failed.
    int settled() const
    {
        return count(POLLOUT, [](const pollfd &p) { return p.revents != 0; });
    }
    // Connections the server has closed (end of stream or reset).
    int closedByServer() const
    {
        return count(POLLIN, [](const pollfd &p) { return (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0; });
    }

private:
    template <typename Predicate>
    int count(short events, Predicate predicate) const
    {
        std::vector<pollfd> polls;
        polls.reserve(m_fds.size());
        for (const int fd : m_fds)
            polls.push_back({fd, events, 0});
        if (::poll(polls.data(), polls.size(), 0) < 0)
            return -1;
        int n = 0;
        for (const pollfd &p : polls)
            n += predicate(p) ? 1 : 0;
        return n;
    }

    std::vector<int> m_fds;
};

// One sample of the server's /metrics, -1 if absent.
double metric(const HttpReply &reply, const QByteArray &name)
{
    const QRegularExpression line(
        QStringLiteral("^%1 (\\S+)$").arg(QString::fromLatin1(name)), QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = line.match(QString::fromUtf8(reply.body));
    return match.hasMatch() ? match.captured(1).toDouble() : -1;
}

// The process's open descriptors that are sockets, from /proc.
int openSockets(qint64 pid)
{
    const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
    int sockets = 0;
    for (const QString &name : fds.entryList(QDir::NoDotAndDotDot | QDir::System | QDir::Files | QDir::Dirs)) {
        if (QFile::symLinkTarget(fds.filePath(name)).contains(QLatin1String("socket:")))
            ++sockets;
    }
    return sockets;
}

int openDescriptors(qint64 pid)
{
    return int(QDir(QStringLiteral("/proc/%1/fd").arg(pid))
                   .entryList(QDir::NoDotAndDotDot | QDir::System | QDir::Files | QDir::Dirs)
                   .size());
}

} // namespace

class TestConnectionFlood : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fiveThousandIdleConnectionsLeaveHealthAndUploads();
    void descriptorReserveHoldsUnderALowLimit();

private:
    // Registers a 12 MiB file (3 parts) through the API and waits for it to complete; false with a message.
    bool uploadCompletes(ApiClient &api, const QString &name, QString *why);

    StrictServerFixture m_fixture;
};

void TestConnectionFlood::initTestCase()
{
    // The test holds 5,000 sockets itself: it needs the descriptors, which a CI box may not grant.
    rlimit limit{};
    QVERIFY(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < 6000)
        QFAIL(qPrintable(QStringLiteral("the hard descriptor limit is %1; this test needs 6000 (ulimit -Hn; "
                                        "LimitNOFILE= for a service)")
                             .arg(limit.rlim_max)));
    limit.rlim_cur = limit.rlim_max;
    QVERIFY2(::setrlimit(RLIMIT_NOFILE, &limit) == 0, std::strerror(errno));
    QVERIFY(m_fixture.makeDir());
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

bool TestConnectionFlood::uploadCompletes(ApiClient &api, const QString &name, QString *why)
{
    const QString path = m_fixture.filePath(name + QStringLiteral(".bin"));
    if (!TestData::writeFile(path, TestData::randomBytes(12 * kMiB, 17))) {
        *why = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    const HttpReply registered = api.registerEpisode(path, name);
    if (registered.status != 201) {
        *why = QStringLiteral("register: HTTP %1 %2").arg(registered.status).arg(QString::fromUtf8(registered.body));
        return false;
    }
    const qint64 id = registered.json().value(QStringLiteral("episode_id")).toInteger();
    QString state;
    const bool done = QTest::qWaitFor(
        [&] {
            state = api.episodeStatus(id).value(QStringLiteral("status")).toString();
            return state == QLatin1String("completed") || state == QLatin1String("failed");
        },
        20000);
    *why = QStringLiteral("episode %1 is %2").arg(id).arg(state);
    return done && state == QLatin1String("completed");
}

void TestConnectionFlood::fiveThousandIdleConnectionsLeaveHealthAndUploads()
{
    ConsoleServerProcess server(m_fixture.server(), m_fixture.filePath(QStringLiteral("data-default")));
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    ApiClient api(server.apiBase(), server.token());

    IdleConnections idle(server.apiBase().port(), kIdleConnections);
    QCOMPARE(idle.opened(), kIdleConnections);
    QTRY_COMPARE_WITH_TIMEOUT(idle.settled(), kIdleConnections, 20000);

    const HttpReply health = api.get(QStringLiteral("/health"));
    QCOMPARE(health.status, 200);
    QVERIFY2(uploadCompletes(api, QStringLiteral("flooded"), &error), qPrintable(error));

    // The server let go of all but (at most) its cap of them: the oldest idle ones first, to make room.
    QTRY_VERIFY_WITH_TIMEOUT(idle.closedByServer() >= kIdleConnections - kDefaultConnectionCap, 10000);
    const HttpReply metrics = api.get(QStringLiteral("/metrics"));
    QCOMPARE(metrics.status, 200);
    QVERIFY(metric(metrics, "keystone_api_connections") >= 1);
    QVERIFY(metric(metrics, "keystone_api_connections") <= kDefaultConnectionCap);
    QCOMPARE(metric(metrics, "keystone_api_connection_limit"), double(kDefaultConnectionCap));
    QVERIFY(metric(metrics, "keystone_api_connections_evicted_total") >= kIdleConnections - kDefaultConnectionCap);
    const int sockets = openSockets(server.pid());
    // The cap, plus the listening socket and the engine's own connections to the storage.
    QVERIFY2(sockets <= kDefaultConnectionCap + 40, qPrintable(QString::number(sockets)));
    qInfo("FIGURES connections=%d closed_by_server=%d server_sockets=%d evicted=%.0f refused=%.0f", kIdleConnections,
        idle.closedByServer(), sockets, metric(metrics, "keystone_api_connections_evicted_total"),
        metric(metrics, "keystone_api_connections_refused_total"));
    QCOMPARE(server.terminate(), 0);
}

void TestConnectionFlood::descriptorReserveHoldsUnderALowLimit()
{
    // A cap far above what the descriptors allow: only the reserve stands between the flood and the engine.
    ConsoleServerProcess server(m_fixture.server(), m_fixture.filePath(QStringLiteral("data-low")),
        {QStringLiteral("--api-max-connections"), QStringLiteral("100000")});
    server.process().setChildProcessModifier([] {
        const rlimit low{kLowDescriptorLimit / 2, kLowDescriptorLimit}; // the soft one is raised at start
        ::setrlimit(RLIMIT_NOFILE, &low);
    });
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    ApiClient api(server.apiBase(), server.token());
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     return server.output().contains("file descriptors: up to 1024 (hard limit 1024); the API keeps "
                                                     "128 free and holds at most 896 connections");
                 },
                 5000),
        server.output().constData());

    IdleConnections idle(server.apiBase().port(), 3 * int(kLowDescriptorLimit));
    QCOMPARE(idle.opened(), 3 * int(kLowDescriptorLimit));
    QTRY_COMPARE_WITH_TIMEOUT(idle.settled(), idle.opened(), 20000);

    const HttpReply health = api.get(QStringLiteral("/health"));
    QCOMPARE(health.status, 200);
    QVERIFY2(uploadCompletes(api, QStringLiteral("lowlimit"), &error), qPrintable(error));

    const HttpReply metrics = api.get(QStringLiteral("/metrics"));
    QCOMPARE(metrics.status, 200);
    const int reserve = int(kLowDescriptorLimit / 8); // DescriptorLimit::reserveFor(1024)
    QCOMPARE(metric(metrics, "keystone_api_connection_limit"), double(kLowDescriptorLimit - reserve));
    const int descriptors = openDescriptors(server.pid());
    QVERIFY2(descriptors <= int(kLowDescriptorLimit) - reserve + 8, qPrintable(QString::number(descriptors)));
    qInfo("FIGURES low_limit=%d connections=%d server_descriptors=%d api_connections=%.0f", int(kLowDescriptorLimit),
        idle.opened(), descriptors, metric(metrics, "keystone_api_connections"));
    QCOMPARE(server.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestConnectionFlood)
#include "tst_connectionflood.moc"

// The local API under abuse, against a real `keystone-console --server` process that uploads to the strict S3
// server meanwhile: 50 concurrent raw-socket clients for kAbuseSeconds mixing valid requests (status, batched status,
// list, health) with malformed ones (bad ids, bad JSON, oversize headers, wrong tokens, random bytes). No answer may
// be a 5xx, every valid request is answered 200, the process survives, and uploads complete (their throughput is
// measured against a baseline without abuse). Then slow-loris sockets trickling headers one byte at a time must not
// delay a normal request.
#include "apiclient.h"
#include "consoleserverprocess.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "testdata.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

namespace {

using TestData::kMiB;

constexpr int kClients = 50;
constexpr int kAbuseSeconds = 30; // issue 8: "50 concurrent clients for 30 s"
constexpr int kEpisodesPerBatch = 2;
constexpr qint64 kEpisodeSize = 64 * kMiB;
constexpr int kRequestTimeoutMs = 15000; // an answer later than this counts as a stuck request

enum class Kind { Status, Batched, List, Health, BadId, BadJson, OversizeHeaders, WrongToken, RandomBytes, KindCount };

bool isValid(Kind kind)
{
    return kind == Kind::Status || kind == Kind::Batched || kind == Kind::List || kind == Kind::Health;
}

struct Tally
{
    qint64 requests = 0;
    qint64 valid = 0;
    qint64 validNot200 = 0;
    qint64 serverErrors = 0; // 5xx
    qint64 otherNon4xx = 0; // malformed requests answered with something other than 4xx
    qint64 closedWithoutAnswer = 0; // malformed requests the server just closed
    qint64 stuck = 0;
    QMap<int, qint64> byStatus;
    QStringList examples; // of failures
};

// One abusive client: a fresh connection per request (Connection: close), a request of a random kind, wait for the
// answer or the close, record it, go again until stopped. Everything is signal-driven on the test's event loop.
class AbuseClient : public QObject
{
public:
    AbuseClient(const ApiClient &api, QList<qint64> ids, quint32 seed, Tally &tally)
        : m_api(api)
        , m_ids(std::move(ids))
        , m_random(seed)
        , m_tally(tally)
    {
        m_timeout.setSingleShot(true);
        connect(&m_timeout, &QTimer::timeout, this, [this] { finish(true); });
    }
    void start() { next(); }
    void stop() { m_stopped = true; }
    bool idle() const { return !m_socket; }

private:
    QByteArray request(Kind kind)
    {
        const qint64 id = m_ids.at(int(m_random.bounded(int(m_ids.size()))));
        switch (kind) {
        case Kind::Status:
            return m_api.rawRequest("GET", "/api/v1/sync/episodes/" + QByteArray::number(id) + "/status");
        case Kind::Batched:
            return m_api.rawRequest("GET", "/api/v1/sync/episode-statuses?ids=1,2," + QByteArray::number(id) + ",999");
        case Kind::List:
            return m_api.rawRequest("GET", "/api/v1/episodes?limit=20");
        case Kind::Health:
            return m_api.rawRequest("GET", "/api/v1/health");
        case Kind::BadId: {
            static const QByteArrayList bad{"abc", "-1", "99999999999999999999999", "1;2", "%00", "1.5"};
            return m_api.rawRequest(
                "GET", "/api/v1/sync/episodes/" + bad.at(int(m_random.bounded(int(bad.size())))) + "/status");
        }
        case Kind::BadJson:
            return m_api.rawRequest(
                "POST", "/api/v1/episodes", "Content-Type: application/json\r\n", "{\"path\": [1, 2, {\"name\": ");
        case Kind::OversizeHeaders:
            return m_api.rawRequest("GET", "/api/v1/episodes", "X-Filler: " + QByteArray(40 * 1024, 'a') + "\r\n");
        case Kind::WrongToken: {
            QByteArray bytes = m_api.rawRequest("GET", "/api/v1/episodes");
            return bytes.replace(m_api.token(), QByteArray(m_api.token().size(), 'x'));
        }
        case Kind::RandomBytes: {
            QByteArray bytes(int(m_random.bounded(1, 2048)), Qt::Uninitialized);
            for (char &c : bytes)
                c = char(m_random.bounded(256));
            return bytes + "\r\n\r\n";
        }
        case Kind::KindCount:
            break;
        }
        return {};
    }

    void next()
    {
        if (m_stopped)
            return;
        m_kind = Kind(m_random.bounded(int(Kind::KindCount)));
        m_buffer.clear();
        m_socket = std::make_unique<QTcpSocket>();
        const QByteArray bytes = request(m_kind);
        connect(m_socket.get(), &QAbstractSocket::connected, this, [this, bytes] { m_socket->write(bytes); });
        connect(m_socket.get(), &QIODevice::readyRead, this, [this] { read(); });
        connect(m_socket.get(), &QAbstractSocket::disconnected, this, [this] { finish(false); });
        connect(m_socket.get(), &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
            if (m_socket && m_socket->state() == QAbstractSocket::UnconnectedState)
                finish(false);
        });
        m_timeout.start(kRequestTimeoutMs);
        m_socket->connectToHost(QHostAddress::LocalHost, m_api.port());
    }

    void read()
    {
        m_buffer += m_socket->readAll();
        QByteArray copy = m_buffer;
        if (const auto reply = ApiClient::parseResponse(&copy, false))
            record(reply->status);
    }

    void record(int status)
    {
        if (m_answered)
            return;
        m_answered = true;
        ++m_tally.requests;
        ++m_tally.byStatus[status];
        if (status >= 500)
            fail(QStringLiteral("%1 answered %2").arg(int(m_kind)).arg(status), &m_tally.serverErrors);
        if (isValid(m_kind)) {
            ++m_tally.valid;
            if (status != 200)
                fail(QStringLiteral("valid kind %1 answered %2").arg(int(m_kind)).arg(status), &m_tally.validNot200);
        } else if (status < 400 || status >= 500) {
            fail(QStringLiteral("malformed kind %1 answered %2").arg(int(m_kind)).arg(status), &m_tally.otherNon4xx);
        }
        finish(false);
    }

    void fail(const QString &what, qint64 *counter)
    {
        ++*counter;
        if (m_tally.examples.size() < 10)
            m_tally.examples.append(what + QStringLiteral(": ") + QString::fromLatin1(m_buffer.left(200)));
    }

    void finish(bool timedOut)
    {
        if (!m_socket)
            return;
        if (!m_answered) {
            m_buffer += m_socket->readAll();
            QByteArray copy = m_buffer;
            const auto reply = ApiClient::parseResponse(&copy, true);
            if (reply && reply->status != 0) {
                record(reply->status); // calls finish() again, which now ends the request
                return;
            }
            ++m_tally.requests;
            if (timedOut)
                fail(QStringLiteral("kind %1: no answer within %2 ms").arg(int(m_kind)).arg(kRequestTimeoutMs),
                    &m_tally.stuck);
            else if (isValid(m_kind))
                fail(QStringLiteral("valid kind %1 closed without an answer").arg(int(m_kind)), &m_tally.validNot200);
            else
                ++m_tally.closedWithoutAnswer;
        }
        m_timeout.stop();
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket.release()->deleteLater();
        m_answered = false;
        QTimer::singleShot(0, this, [this] { next(); });
    }

    const ApiClient &m_api;
    QList<qint64> m_ids;
    QRandomGenerator m_random;
    Tally &m_tally;
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
    Kind m_kind = Kind::Health;
    bool m_answered = false;
    bool m_stopped = false;
    QTimer m_timeout;
};

// Runs the event loop until predicate() holds (checked every 100 ms) or timeoutMs passes. Unlike QTest::qWaitFor it
// never naps between events, so the abusive clients on this thread get their answers as fast as they come.
bool waitUntil(const std::function<bool()> &predicate, int timeoutMs)
{
    QEventLoop loop;
    QTimer check;
    QElapsedTimer clock;
    clock.start();
    bool result = predicate();
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        result = predicate();
        if (result || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    if (!result) {
        check.start(100);
        loop.exec();
    }
    return result;
}

} // namespace

class TestApiAbuse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void fiftyAbusiveClientsWhileUploading();
    void slowLorisDoesNotBlockOthers();

private:
    // Registers a batch of episodes (fresh files) and returns their ids.
    QList<qint64> registerBatch(const QString &tag);
    bool allCompleted(const QList<qint64> &ids);
    // Uploads batches back to back for at least `seconds` (at least one batch); MiB/s of completed uploads.
    double uploadThroughput(const QString &tag, int seconds, QList<qint64> *ids);

    StrictServerFixture m_fixture;
    std::unique_ptr<ConsoleServerProcess> m_console;
    std::unique_ptr<ApiClient> m_api;
    QByteArray m_payload;
};

void TestApiAbuse::initTestCase()
{
    QVERIFY(m_fixture.makeDir());
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
    m_console = std::make_unique<ConsoleServerProcess>(
        m_fixture.server(), m_fixture.dataDir(), QStringList{QStringLiteral("--key-prefix"), QStringLiteral("abuse")});
    QVERIFY2(m_console->start(&error), qPrintable(error));
    m_api = std::make_unique<ApiClient>(m_console->apiBase(), m_console->token());
    m_payload = TestData::randomBytes(kEpisodeSize, 8);
}

void TestApiAbuse::cleanupTestCase()
{
    m_api.reset();
    if (m_console)
        QCOMPARE(m_console->terminate(), 0);
}

QList<qint64> TestApiAbuse::registerBatch(const QString &tag)
{
    QList<qint64> ids;
    for (int i = 0; i < kEpisodesPerBatch; ++i) {
        const QString name = QStringLiteral("%1-%2").arg(tag).arg(i);
        const QString path = m_fixture.filePath(name + QStringLiteral(".bin"));
        if (!TestData::writeFile(path, m_payload))
            return {};
        const HttpReply reply = m_api->raw(m_api->rawRequest("POST", "/api/v1/episodes", {},
            QJsonDocument(QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("name"), name}})
                .toJson(QJsonDocument::Compact)));
        if (reply.status != 201) {
            qWarning() << "register:" << reply.status << reply.body;
            return {};
        }
        ids.append(reply.json().value(QStringLiteral("episode_id")).toInteger());
    }
    return ids;
}

bool TestApiAbuse::allCompleted(const QList<qint64> &ids)
{
    QStringList list;
    for (const qint64 id : ids)
        list.append(QString::number(id));
    const HttpReply reply = m_api->raw(
        m_api->rawRequest("GET", "/api/v1/sync/episode-statuses?ids=" + list.join(QLatin1Char(',')).toLatin1()));
    const QJsonArray items = reply.json().value(QStringLiteral("items")).toArray();
    if (reply.status != 200 || items.size() != ids.size())
        return false;
    for (const QJsonValue &item : items) {
        if (item.toObject().value(QStringLiteral("status")).toString() != QLatin1String("completed"))
            return false;
    }
    return true;
}

double TestApiAbuse::uploadThroughput(const QString &tag, int seconds, QList<qint64> *ids)
{
    QElapsedTimer clock;
    clock.start();
    int batches = 0;
    do {
        const QList<qint64> batch = registerBatch(QStringLiteral("%1-%2").arg(tag).arg(batches));
        if (batch.isEmpty() || !waitUntil([&] { return allCompleted(batch); }, 120000))
            return 0;
        *ids += batch;
        ++batches;
    } while (clock.elapsed() < seconds * 1000);
    const double mib = double(batches * kEpisodesPerBatch * kEpisodeSize) / kMiB;
    qInfo("%s: %d batches, %.0f MiB uploaded in %.1f s: %.1f MiB/s", qPrintable(tag), batches, mib,
        clock.elapsed() / 1000.0, mib * 1000.0 / clock.elapsed());
    return mib * 1000.0 / clock.elapsed();
}

void TestApiAbuse::fiftyAbusiveClientsWhileUploading()
{
    QList<qint64> ids;
    const double baseline = uploadThroughput(QStringLiteral("baseline"), 5, &ids);
    QVERIFY(baseline > 0);

    Tally tally;
    std::vector<std::unique_ptr<AbuseClient>> clients;
    for (int i = 0; i < kClients; ++i)
        clients.push_back(std::make_unique<AbuseClient>(*m_api, ids, quint32(1000 + i), tally));
    for (auto &client : clients)
        client->start();
    QElapsedTimer clock;
    clock.start();
    const double underAbuse = uploadThroughput(QStringLiteral("under-abuse"), kAbuseSeconds, &ids);
    const double abuseSeconds = clock.elapsed() / 1000.0;
    for (auto &client : clients)
        client->stop();
    QVERIFY(
        waitUntil([&] { return std::all_of(clients.begin(), clients.end(), [](const auto &c) { return c->idle(); }); },
            kRequestTimeoutMs + 5000));

    QString statuses;
    for (auto it = tally.byStatus.cbegin(); it != tally.byStatus.cend(); ++it)
        statuses += QStringLiteral(" %1:%2").arg(it.key()).arg(it.value());
    qInfo("abuse: %lld requests in %.1f s (%.0f req/s), %lld valid; statuses%s; %lld closed without an answer",
        tally.requests, abuseSeconds, tally.requests / abuseSeconds, tally.valid, qPrintable(statuses),
        tally.closedWithoutAnswer);
    qInfo("abuse: upload throughput %.1f MiB/s vs %.1f MiB/s baseline (%.0f %% of baseline)", underAbuse, baseline,
        100.0 * underAbuse / baseline);
    QVERIFY2(tally.serverErrors == 0 && tally.validNot200 == 0 && tally.otherNon4xx == 0 && tally.stuck == 0,
        qPrintable(tally.examples.join(QLatin1Char('\n'))));
    QVERIFY(tally.valid > 1000);
    QVERIFY2(underAbuse > 0, "uploads under abuse did not complete");
    QCOMPARE(m_console->process().state(), QProcess::Running);
    // Spot check: the last object is byte-identical.
    QByteArray stored;
    const HttpReply last = m_api->get(QStringLiteral("/episodes/%1").arg(ids.last()));
    const QString name = last.json().value(QStringLiteral("name")).toString();
    QVERIFY(m_fixture.server().getObject(QStringLiteral("abuse/%1/%1.bin").arg(name), &stored));
    QVERIFY(stored == m_payload);
}

void TestApiAbuse::slowLorisDoesNotBlockOthers()
{
    // Sockets that send a request head one byte at a time (every 100 ms: the default request timeout is 10 s).
    const QByteArray head = m_api->rawRequest("GET", "/api/v1/health");
    std::vector<std::unique_ptr<QTcpSocket>> loris;
    for (int i = 0; i < 20; ++i) {
        loris.push_back(std::make_unique<QTcpSocket>());
        loris.back()->connectToHost(QHostAddress::LocalHost, m_api->port());
    }
    int sent = 0;
    QTimer trickle;
    connect(&trickle, &QTimer::timeout, this, [&] {
        for (auto &socket : loris) {
            if (socket->state() == QAbstractSocket::ConnectedState)
                socket->write(head.mid(sent % (head.size() - 4), 1));
        }
        ++sent;
    });
    trickle.start(100);
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(loris.begin(), loris.end(),
                                 [](const auto &s) { return s->state() == QAbstractSocket::ConnectedState; }),
        5000);
    QTRY_VERIFY_WITH_TIMEOUT(sent >= 5, 5000); // every loris is mid-request now

    qint64 slowest = 0;
    for (int i = 0; i < 10; ++i) {
        QElapsedTimer clock;
        clock.start();
        const HttpReply reply = m_api->raw(m_api->rawRequest("GET", "/api/v1/health"), 2000);
        slowest = std::max(slowest, clock.elapsed());
        QCOMPARE(reply.status, 200);
    }
    const int stillOpen = int(std::count_if(
        loris.begin(), loris.end(), [](const auto &s) { return s->state() == QAbstractSocket::ConnectedState; }));
    qInfo("slow-loris: %d trickling sockets open; slowest of 10 /health answers %lld ms", stillOpen, slowest);
    QCOMPARE(stillOpen, 20); // they were all still trickling while the others were served
    // Each was answered (200 above) within raw()'s 2 s: the lorises took no connection slot from it. The slowest
    // time is a figure (qInfo), not a bound: a loaded machine stretches it.
    // And the guard ends them: 408 once the request timeout (10 s from the first byte) passes.
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(loris.begin(), loris.end(),
                                 [](const auto &s) { return s->state() == QAbstractSocket::UnconnectedState; }),
        15000);
    QVERIFY(loris.front()->readAll().startsWith("HTTP/1.1 408"));
}

QTEST_GUILESS_MAIN(TestApiAbuse)
#include "tst_apiabuse.moc"

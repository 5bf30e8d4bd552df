// The local HTTP API end to end: real HTTP on a loopback port, a real SyncEngine with its SQLite catalog in a
// temporary data directory, the strict S3 server behind it (stall faults make uploads slow enough to watch).
#include "api/apiserver.h"
#include "apiclient.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

namespace {

constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kPartSize = 5 * kMiB;

using TestData::randomBytes;
using TestData::writeFile;

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString describe(const HttpReply &reply)
{
    return QStringLiteral("HTTP %1 %2").arg(reply.status).arg(QString::fromUtf8(reply.body.left(300)));
}

} // namespace

class TestApiServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void healthNeedsNoTokenButEverythingElseDoes();
    void authRejectsMissingWrongAndOtherLengthTokens();
    void hostHeaderIsChecked();
    void episodeLifecycleOverEveryRoute();
    void episodeListIsPaged();
    void patchSetsPriorityAndRefusesBadBodies();
    void batchedStatusesInRequestOrderDuplicatesOnce();
    void batchedStatusesReportMissingIds();
    void batchedStatusesValidateIds_data();
    void batchedStatusesValidateIds();
    void unknownRoutesAndWrongMethods();
    void bodyAndHeaderLimits();
    void slowAndIdleConnectionsAreClosed();
    void pipelinedRequestsOnOneConnection();
    void threeHundredMalformedRequests();
    void eventsShowProgressInOrderThenTerminalStatus();
    void eventsResumeFromLastEventId();
    void liveAgreementWithTheStrictServer();
    void metricsFollowAnUpload();
    void openApiDocumentMatchesRoutes();
    void tokenFileOpenToOthersStopsStart();

private:
    SyncConfig engineConfig() const;
    bool startApi(ApiConfig config = {});
    qint64 registerEpisode(const QString &path, const QString &name);
    void stallParts(int ms);

    StrictServerFixture m_fixture;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<ApiServer> m_api;
    std::unique_ptr<ApiClient> m_client;
};

void TestApiServer::initTestCase()
{
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestApiServer::init()
{
    QVERIFY(m_fixture.makeDir());
    QVERIFY(m_fixture.resetServer());
    auto engine = SyncEngine::open(engineConfig());
    QVERIFY2(engine.ok(), qPrintable(engine.error().message));
    m_engine = std::move(engine.value());
}

void TestApiServer::cleanup()
{
    m_client.reset();
    m_api.reset();
    m_engine.reset();
    m_fixture.removeDir();
}

SyncConfig TestApiServer::engineConfig() const
{
    SyncConfig config
        = m_fixture.syncConfig(QStringLiteral("api/%1").arg(QString::fromLatin1(QTest::currentTestFunction())));
    config.upload.partSize = kPartSize;
    config.upload.concurrency = 2;
    return config;
}

bool TestApiServer::startApi(ApiConfig config)
{
    config.dataDir = m_fixture.dataDir();
    m_api = std::make_unique<ApiServer>(*m_engine, config);
    if (const auto started = m_api->start(); !started) {
        qWarning() << "API did not start:" << started.error().message;
        return false;
    }
    m_client = std::make_unique<ApiClient>(m_api->url(), m_api->token());
    return true;
}

qint64 TestApiServer::registerEpisode(const QString &path, const QString &name)
{
    const HttpReply reply = m_client->registerEpisode(path, name);
    if (reply.status != 201) {
        qWarning() << "register:" << describe(reply);
        return 0;
    }
    return reply.json().value(QStringLiteral("episode_id")).toInteger();
}

void TestApiServer::stallParts(int ms)
{
    QVERIFY(m_fixture.server().injectFault(
        {{QStringLiteral("op"), QStringLiteral("UploadPart")}, {QStringLiteral("action"), QStringLiteral("stall")},
            {QStringLiteral("stall_ms"), ms}, {QStringLiteral("times"), -1}}));
}

void TestApiServer::healthNeedsNoTokenButEverythingElseDoes()
{
    QVERIFY(startApi());
    QCOMPARE(m_api->url().host(), QStringLiteral("127.0.0.1"));
    QVERIFY(m_api->url().port() > 0);
    const HttpReply health = m_client->request("GET", QStringLiteral("/health"), {}, {}, QByteArray());
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value("status").toString(), QStringLiteral("ok"));
    QCOMPARE(health.json().value("version").toString(), QStringLiteral(KEYSTONE_VERSION));
    QVERIFY(health.headers.value("content-type").startsWith("application/json"));
    for (const ApiRouter::Route &route : m_api->router().routes()) {
        QString path = route.pattern.mid(int(strlen("/api/v1")));
        path.replace(QLatin1String("{id}"), QLatin1String("1"));
        if (!route.requiresAuth) {
            QCOMPARE(path, QStringLiteral("/health"));
            continue;
        }
        const HttpReply reply = m_client->request(ApiRouter::methodName(route.method), path, {}, {}, QByteArray());
        QVERIFY2(reply.status == 401 && reply.isJsonError(), qPrintable(path + QLatin1Char(' ') + describe(reply)));
    }
    // Unknown routes do not tell an unauthenticated client what exists.
    QCOMPARE(m_client->request("GET", QStringLiteral("/nope"), {}, {}, QByteArray()).status, 401);
}

void TestApiServer::authRejectsMissingWrongAndOtherLengthTokens()
{
    QVERIFY(startApi());
    const QByteArray token = m_api->token();
    QVERIFY(token.size() >= 64);
    QFile file(m_api->tokenFilePath());
    QCOMPARE(file.permissions()
            & ~(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser),
        QFileDevice::Permissions());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().trimmed(), token);

    QByteArray sameLength = token;
    sameLength[sameLength.size() - 1] = sameLength.endsWith('0') ? '1' : '0';
    const QList<std::pair<const char *, QByteArray>> bad{{"none", QByteArray()}, {"same length", sameLength},
        {"shorter", token.left(token.size() - 1)}, {"longer", token + "0"}, {"empty", QByteArray(" ")}};
    for (const auto &[what, presented] : bad) {
        const HttpReply reply = m_client->request("GET", QStringLiteral("/episodes"), {}, {}, presented);
        QVERIFY2(reply.status == 401, what);
        QVERIFY2(reply.isJsonError(), what);
        QCOMPARE(reply.errorCode(), QStringLiteral("unauthorized"));
        QVERIFY2(reply.headers.value("www-authenticate").startsWith("Bearer"), what);
        QVERIFY(!reply.body.contains(token));
    }
    const HttpReply basic = m_client->request(
        "GET", QStringLiteral("/episodes"), {}, {{"Authorization", "Basic " + token}}, QByteArray());
    QCOMPARE(basic.status, 401);
    const HttpReply ok = m_client->get(QStringLiteral("/episodes"));
    QCOMPARE(ok.status, 200);
}

void TestApiServer::hostHeaderIsChecked()
{
    ApiConfig config;
    config.allowedHosts = {QStringLiteral("station.lan")};
    QVERIFY(startApi(config));
    const QByteArray port = QByteArray::number(m_client->port());
    const QList<std::pair<QByteArray, int>> cases{{"127.0.0.1:" + port, 200}, {"localhost:" + port, 200},
        {"localhost", 200}, {"[::1]:" + port, 200}, {"station.lan:" + port, 200}, {"evil.example", 403},
        {"127.0.0.1.evil.example:" + port, 403}, {"10.0.0.7:" + port, 403}};
    for (const auto &[host, expected] : cases) {
        const QByteArray request = "GET /api/v1/episodes HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
            + m_client->token() + "\r\nConnection: close\r\n\r\n";
        const HttpReply reply = m_client->raw(request);
        QVERIFY2(reply.status == expected, host.constData());
        if (expected == 403) {
            QVERIFY(reply.isJsonError());
            QCOMPARE(reply.errorCode(), QStringLiteral("forbidden_host"));
        }
    }
    // No Host at all (HTTP/1.0), and /health is guarded too.
    QCOMPARE(m_client->raw("GET /api/v1/health HTTP/1.0\r\n\r\n").status, 403);
    QCOMPARE(m_client->raw("GET /api/v1/health HTTP/1.1\r\nHost: evil.example\r\n\r\n").status, 403);
}

void TestApiServer::episodeLifecycleOverEveryRoute()
{
    QVERIFY(startApi());
    QCOMPARE(m_client->post(QStringLiteral("/sync/pause")).json().value("paused").toBool(), true);
    const QString path = m_fixture.filePath(QStringLiteral("one.bin"));
    QVERIFY(writeFile(path, randomBytes(1000, 1)));

    HttpReply created = m_client->post(QStringLiteral("/episodes"),
        json({{QStringLiteral("path"), path}, {QStringLiteral("name"), QStringLiteral("ep-1")}}));
    QCOMPARE(created.status, 201);
    const qint64 id = created.json().value("episode_id").toInteger();
    QVERIFY(id > 0);
    QCOMPARE(created.headers.value("location"), "/api/v1/episodes/" + QByteArray::number(id));
    QCOMPARE(created.json().value("name").toString(), QStringLiteral("ep-1"));
    QCOMPARE(created.json().value("total_bytes").toInteger(), 1000);
    QCOMPARE(created.json().value("status").toString(), QStringLiteral("pending"));

    // Registration errors map to 400/409 with codes.
    HttpReply bad
        = m_client->post(QStringLiteral("/episodes"), json({{QStringLiteral("path"), m_fixture.filePath("nope")}}));
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.errorCode(), QStringLiteral("invalid_input"));
    bad = m_client->post(QStringLiteral("/episodes"), json({{QStringLiteral("path"), QStringLiteral("relative/x")}}));
    QCOMPARE(bad.status, 400);
    bad = m_client->post(QStringLiteral("/episodes"),
        json({{QStringLiteral("path"), path}, {QStringLiteral("name"), QStringLiteral("ep-1")}}));
    QCOMPARE(bad.status, 409);
    QCOMPARE(bad.errorCode(), QStringLiteral("conflict"));
    bad = m_client->post(QStringLiteral("/episodes"), "{\"path\": ");
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.errorCode(), QStringLiteral("invalid_json"));

    const QString episode = QStringLiteral("/episodes/%1").arg(id);
    const QString sync = QStringLiteral("/sync/episodes/%1").arg(id);
    HttpReply reply = m_client->get(episode);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value("local_path").toString(), QFileInfo(path).absoluteFilePath());
    reply = m_client->get(sync + QStringLiteral("/status"));
    QCOMPARE(reply.status, 200);
    const QJsonObject status = reply.json();
    QCOMPARE(status.value("episode_id").toInteger(), id);
    QVERIFY(status.value("last_error").isNull() && status.value("next_retry_at").isNull()
        && status.value("cloud").isNull());
    QVERIFY(!status.contains("progress"));

    reply = m_client->post(sync); // enqueue a pending episode: due now
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value("status").toString(), QStringLiteral("pending"));
    reply = m_client->post(sync + QStringLiteral("/retry")); // pending cannot be retried
    QCOMPARE(reply.status, 409);
    QCOMPARE(reply.errorCode(), QStringLiteral("invalid_transition"));
    reply = m_client->post(sync + QStringLiteral("/cancel"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value("status").toString(), QStringLiteral("cancelled"));
    reply = m_client->post(sync + QStringLiteral("/cancel"));
    QCOMPARE(reply.status, 409);
    reply = m_client->post(sync + QStringLiteral("/retry"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value("status").toString(), QStringLiteral("pending"));

    QCOMPARE(m_client->post(QStringLiteral("/sync/resume")).json().value("paused").toBool(), false);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->get(sync + QStringLiteral("/status")).json().value("status").toString(),
        QStringLiteral("completed"), 20000);
    const QJsonObject done = m_client->get(sync + QStringLiteral("/status")).json();
    QCOMPARE(done.value("cloud").toObject().value("bucket").toString(), m_fixture.server().bucket());
    QVERIFY(done.value("cloud").toObject().value("key_prefix").toString().endsWith(QLatin1String("/ep-1")));
    QVERIFY(!done.value("cloud").toObject().value("synced_at").toString().isEmpty());
    QCOMPARE(m_client->post(sync + QStringLiteral("/cancel")).status, 409);

    reply = m_client->get(QStringLiteral("/sync/logs?episode_id=%1&limit=10").arg(id));
    QCOMPARE(reply.status, 200);
    const QJsonArray logs = reply.json().value("items").toArray();
    QVERIFY(!logs.isEmpty());
    QCOMPARE(logs.first().toObject().value("result").toString(), QStringLiteral("completed"));
    QCOMPARE(logs.first().toObject().value("bytes_committed").toInteger(), 1000);
    QCOMPARE(m_client->get(QStringLiteral("/sync/logs")).status, 200);
    QCOMPARE(m_client->get(QStringLiteral("/sync/logs?episode_id=999")).status, 404);
    QCOMPARE(m_client->get(QStringLiteral("/sync/logs?limit=0")).errorCode(), QStringLiteral("invalid_limit"));

    reply = m_client->request("DELETE", episode);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value("deleted").toBool(), true);
    QVERIFY(QFile::exists(path)); // never deletes local data
    QCOMPARE(m_client->request("DELETE", episode).status, 404);
    QCOMPARE(m_client->get(sync + QStringLiteral("/status")).status, 404);
    QCOMPARE(m_client->get(sync + QStringLiteral("/status")).errorCode(), QStringLiteral("not_found"));
    QCOMPARE(m_client->post(sync).status, 404);
    QCOMPARE(m_client->get(QStringLiteral("/sync/episodes/abc/status")).errorCode(), QStringLiteral("invalid_id"));
}

void TestApiServer::patchSetsPriorityAndRefusesBadBodies()
{
    QVERIFY(startApi());
    m_engine->pauseAll(); // stays pending: the priority is what is asserted
    const QString path = m_fixture.filePath(QStringLiteral("prio.bin"));
    QVERIFY(writeFile(path, randomBytes(1000, 7)));
    const qint64 id = registerEpisode(path, QStringLiteral("prio"));
    QVERIFY(id > 0);
    const QString target = QStringLiteral("/episodes/%1").arg(id);
    QCOMPARE(m_client->get(target).json().value(QStringLiteral("priority")).toInt(-1), 0);

    HttpReply reply = m_client->request("PATCH", target, json({{QStringLiteral("priority"), 7}}));
    QVERIFY2(reply.status == 200, qPrintable(describe(reply)));
    QCOMPARE(reply.json().value(QStringLiteral("priority")).toInt(), 7);
    QCOMPARE(reply.json().value(QStringLiteral("name")).toString(), QStringLiteral("prio")); // the episode object
    QCOMPARE(m_client->episodeStatus(id).value(QStringLiteral("priority")).toInt(), 7);

    const QList<std::pair<QByteArray, QString>> bad{
        {"{", QStringLiteral("invalid_json")},
        {"[1]", QStringLiteral("invalid_json")},
        {"{}", QStringLiteral("invalid_input")},
        {R"({"priority":"3"})", QStringLiteral("invalid_input")},
        {R"({"priority":1.5})", QStringLiteral("invalid_input")},
        {R"({"priority":null})", QStringLiteral("invalid_input")},
        {R"({"priority":1001})", QStringLiteral("invalid_input")},
        {R"({"priority":-1001})", QStringLiteral("invalid_input")},
        {R"({"priority":1e300})", QStringLiteral("invalid_input")},
        {R"({"priority":3,"name":"other"})", QStringLiteral("invalid_input")},
    };
    for (const auto &[body, code] : bad) {
        reply = m_client->request("PATCH", target, body);
        QVERIFY2(reply.status == 400 && reply.isJsonError() && reply.errorCode() == code,
            qPrintable(QString::fromLatin1(body) + QStringLiteral(" → ") + describe(reply)));
    }
    reply = m_client->request("PATCH", QStringLiteral("/episodes/%1").arg(id + 1000), json({{"priority", 1}}));
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.errorCode(), QStringLiteral("not_found"));
    reply = m_client->request("PATCH", QStringLiteral("/episodes/abc"), json({{"priority", 1}}));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.errorCode(), QStringLiteral("invalid_id"));
    QCOMPARE(m_engine->status(id)->record.priority, 7); // nothing refused changed it

    // Persisted: a new engine on the same data directory reads it from the catalog.
    m_client.reset();
    m_api.reset();
    m_engine.reset();
    auto reopened = SyncEngine::open(engineConfig());
    QVERIFY2(reopened.ok(), qPrintable(reopened.error().message));
    m_engine = std::move(reopened.value());
    QVERIFY(startApi());
    QCOMPARE(m_client->get(target).json().value(QStringLiteral("priority")).toInt(), 7);
}

void TestApiServer::episodeListIsPaged()
{
    QVERIFY(startApi());
    m_engine->pauseAll();
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i) {
        const QString path = m_fixture.filePath(QStringLiteral("list-%1.bin").arg(i));
        QVERIFY(writeFile(path, randomBytes(100, quint32(i))));
        ids << registerEpisode(path, QStringLiteral("list-%1").arg(i));
        QVERIFY(ids.last() > 0);
    }
    QCOMPARE(m_client->post(QStringLiteral("/sync/episodes/%1/cancel").arg(ids.at(1))).status, 200);

    QList<qint64> seen;
    QString cursor;
    int pages = 0;
    do {
        const HttpReply page = m_client->get(
            QStringLiteral("/episodes?limit=2") + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
        QCOMPARE(page.status, 200);
        for (const QJsonValue &item : page.json().value("items").toArray())
            seen << item.toObject().value("episode_id").toInteger();
        cursor = page.json().value("next_cursor").toString();
        ++pages;
    } while (!cursor.isEmpty() && pages < 10);
    QCOMPARE(seen, ids);
    QCOMPARE(pages, 3);
    const HttpReply all = m_client->get(QStringLiteral("/episodes"));
    QCOMPARE(all.json().value("items").toArray().size(), 5);
    QVERIFY(all.json().value("next_cursor").isNull());
    const HttpReply cancelled = m_client->get(QStringLiteral("/episodes?status=cancelled"));
    QCOMPARE(cancelled.json().value("items").toArray().size(), 1);
    QCOMPARE(cancelled.json().value("items").toArray().first().toObject().value("episode_id").toInteger(), ids.at(1));
    QCOMPARE(m_client->get(QStringLiteral("/episodes?status=pending")).json().value("items").toArray().size(), 4);
    QCOMPARE(m_client->get(QStringLiteral("/episodes?status=bogus")).errorCode(), QStringLiteral("invalid_status"));
    QCOMPARE(m_client->get(QStringLiteral("/episodes?limit=501")).errorCode(), QStringLiteral("invalid_limit"));
    QCOMPARE(m_client->get(QStringLiteral("/episodes?limit=abc")).status, 400);
    QCOMPARE(m_client->get(QStringLiteral("/episodes?cursor=x")).errorCode(), QStringLiteral("invalid_cursor"));
}

void TestApiServer::batchedStatusesInRequestOrderDuplicatesOnce()
{
    QVERIFY(startApi());
    m_engine->pauseAll();
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        const QString path = m_fixture.filePath(QStringLiteral("b-%1.bin").arg(i));
        QVERIFY(writeFile(path, randomBytes(10, quint32(i))));
        ids << registerEpisode(path, QStringLiteral("b-%1").arg(i));
    }
    const QString query = QStringLiteral("%1,%2,%1,%3,%2").arg(ids[2]).arg(ids[0]).arg(ids[1]);
    const HttpReply reply = m_client->get(QStringLiteral("/sync/episode-statuses?ids=") + query);
    QCOMPARE(reply.status, 200);
    const QJsonArray items = reply.json().value("items").toArray();
    QCOMPARE(items.size(), 3);
    QCOMPARE(items.at(0).toObject().value("episode_id").toInteger(), ids[2]);
    QCOMPARE(items.at(1).toObject().value("episode_id").toInteger(), ids[0]);
    QCOMPARE(items.at(2).toObject().value("episode_id").toInteger(), ids[1]);
    QCOMPARE(items.at(0).toObject().value("status").toString(), QStringLiteral("pending"));
    QVERIFY(reply.json().value("missing").toArray().isEmpty());
    // Percent-encoded commas decode like plain ones.
    const HttpReply encoded = m_client->get(QStringLiteral("/sync/episode-statuses?ids=") + QString::number(ids[1])
        + QStringLiteral("%2C") + QString::number(ids[0]));
    QCOMPARE(encoded.json().value("items").toArray().size(), 2);
    QCOMPARE(encoded.json().value("items").toArray().at(0).toObject().value("episode_id").toInteger(), ids[1]);
}

void TestApiServer::batchedStatusesReportMissingIds()
{
    QVERIFY(startApi());
    m_engine->pauseAll();
    const QString path = m_fixture.filePath(QStringLiteral("m.bin"));
    QVERIFY(writeFile(path, randomBytes(10, 3)));
    const qint64 id = registerEpisode(path, QStringLiteral("m"));
    const HttpReply reply
        = m_client->get(QStringLiteral("/sync/episode-statuses?ids=999,%1,9223372036854775807,999").arg(id));
    QCOMPARE(reply.status, 200);
    const QJsonArray items = reply.json().value("items").toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().toObject().value("episode_id").toInteger(), id);
    const QJsonArray missing = reply.json().value("missing").toArray();
    QCOMPARE(missing.size(), 2);
    QCOMPARE(missing.at(0).toInteger(), 999);
    QCOMPARE(missing.at(1).toInteger(), Q_INT64_C(9223372036854775807));
    const HttpReply none = m_client->get(QStringLiteral("/sync/episode-statuses?ids=5000,5001"));
    QCOMPARE(none.status, 200);
    QVERIFY(none.json().value("items").toArray().isEmpty());
    QCOMPARE(none.json().value("missing").toArray().size(), 2);
}

void TestApiServer::batchedStatusesValidateIds_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("no ids") << QString();
    QTest::newRow("empty ids") << QStringLiteral("?ids=");
    QTest::newRow("non-integer") << QStringLiteral("?ids=1,two,3");
    QTest::newRow("decimal") << QStringLiteral("?ids=1.0");
    QTest::newRow("zero") << QStringLiteral("?ids=0");
    QTest::newRow("negative") << QStringLiteral("?ids=5,-1");
    QTest::newRow("beyond 64-bit") << QStringLiteral("?ids=9223372036854775808");
    QTest::newRow("way beyond") << QStringLiteral("?ids=99999999999999999999999999999999");
    QTest::newRow("empty item") << QStringLiteral("?ids=1,,2");
    QTest::newRow("ids twice") << QStringLiteral("?ids=1&ids=2");
    QStringList many;
    for (int i = 1; i <= 1001; ++i)
        many << QString::number(i);
    QTest::newRow("1001 ids") << QStringLiteral("?ids=") + many.join(QLatin1Char(','));
}

void TestApiServer::batchedStatusesValidateIds()
{
    QFETCH(QString, query);
    if (!m_api)
        QVERIFY(startApi());
    const HttpReply reply = m_client->get(QStringLiteral("/sync/episode-statuses") + query);
    QVERIFY2(reply.status == 400, qPrintable(describe(reply)));
    QVERIFY(reply.isJsonError());
    QCOMPARE(reply.errorCode(), QStringLiteral("invalid_ids"));
    // Exactly 1000 ids are fine.
    QStringList thousand;
    for (int i = 1; i <= 1000; ++i)
        thousand << QString::number(i);
    const HttpReply ok = m_client->get(QStringLiteral("/sync/episode-statuses?ids=") + thousand.join(QLatin1Char(',')));
    QCOMPARE(ok.status, 200);
    QCOMPARE(ok.json().value("missing").toArray().size(), 1000);
}

void TestApiServer::unknownRoutesAndWrongMethods()
{
    QVERIFY(startApi());
    HttpReply reply = m_client->get(QStringLiteral("/nope"));
    QCOMPARE(reply.status, 404);
    QVERIFY(reply.isJsonError());
    QCOMPARE(m_client->get(QStringLiteral("//")).status, 404);
    QCOMPARE(m_client->get(QStringLiteral("/episodes/")).status, 404);
    reply = m_client->request("PUT", QStringLiteral("/episodes"));
    QCOMPARE(reply.status, 405);
    QVERIFY(reply.isJsonError());
    QCOMPARE(reply.headers.value("allow"), "GET, POST");
    reply = m_client->request("PUT", QStringLiteral("/episodes/3"));
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.headers.value("allow"), "GET, DELETE, PATCH");
    reply = m_client->get(QStringLiteral("/sync/pause"));
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.headers.value("allow"), "POST");
    reply = m_client->request("POST", QStringLiteral("/health"), {}, {}, QByteArray());
    QCOMPARE(reply.status, 405);
    reply = m_client->request("HEAD", QStringLiteral("/episodes"));
    QCOMPARE(reply.status, 405);
}

void TestApiServer::bodyAndHeaderLimits()
{
    QVERIFY(startApi());
    // Over 1 MiB: 413 from the headers alone, before the body is read; the connection is closed.
    const QByteArray bigHead = "POST /api/v1/episodes HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
        + m_client->token() + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(2 * kMiB)
        + "\r\n\r\n" + QByteArray(64 * 1024, 'x');
    HttpReply reply = m_client->raw(bigHead, 10000, true);
    QCOMPARE(reply.status, 413);
    QVERIFY(reply.isJsonError());
    QCOMPARE(reply.errorCode(), QStringLiteral("payload_too_large"));
    QVERIFY(reply.closed);
    // Exactly 1 MiB is accepted (and then judged by the handler).
    QByteArray exact = "{\"path\":\"" + QByteArray(kMiB - 11, 'a') + "\"}";
    QCOMPARE(exact.size(), kMiB);
    reply = m_client->post(QStringLiteral("/episodes"), exact);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.errorCode(), QStringLiteral("invalid_input"));
    reply = m_client->post(QStringLiteral("/episodes"), exact + ' ');
    QCOMPARE(reply.status, 413);
    // Header flood: many headers, one huge header, an overlong request line.
    QByteArray flood;
    for (int i = 0; i < 200; ++i)
        flood += "X-Flood-" + QByteArray::number(i) + ": " + QByteArray(50, 'f') + "\r\n";
    reply = m_client->raw(m_client->rawRequest("GET", "/api/v1/episodes", flood), 10000, true);
    QCOMPARE(reply.status, 431);
    QVERIFY(reply.isJsonError());
    QVERIFY(reply.closed);
    reply = m_client->raw(m_client->rawRequest("GET", "/api/v1/episodes", "X-Big: " + QByteArray(20000, 'b') + "\r\n"));
    QCOMPARE(reply.status, 431);
    // An endless header without a line end is cut at the limit too.
    reply = m_client->raw("GET /api/v1/health HTTP/1.1\r\nX-Endless: " + QByteArray(200000, 'e'));
    QCOMPARE(reply.status, 431);
    reply = m_client->raw(m_client->rawRequest("GET", "/api/v1/sync/episode-statuses?ids=" + QByteArray(9000, '1')));
    QCOMPARE(reply.status, 414);
    QVERIFY(reply.isJsonError());
    // Chunked bodies are refused (the guard needs a length).
    reply = m_client->raw(
        m_client->rawRequest("POST", "/api/v1/episodes", "Transfer-Encoding: chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n");
    QCOMPARE(reply.status, 411);
    QCOMPARE(m_client->get(QStringLiteral("/health")).status, 200);
}

void TestApiServer::slowAndIdleConnectionsAreClosed()
{
    ApiConfig config;
    config.requestTimeoutMs = 400;
    config.idleTimeoutMs = 600;
    QVERIFY(startApi(config));
    // A request that trickles in (slow-loris): 408 and closed, counted from its first byte.
    QTcpSocket slow;
    slow.connectToHost(QHostAddress::LocalHost, m_client->port());
    QVERIFY(QTest::qWaitFor([&] { return slow.state() == QAbstractSocket::ConnectedState; }, 5000));
    QElapsedTimer clock;
    clock.start();
    slow.write("GET /api/v1/health HTTP/1.1\r\n");
    bool closed = false;
    connect(&slow, &QAbstractSocket::disconnected, this, [&] { closed = true; });
    QByteArray received;
    int trickled = 0;
    QTRY_VERIFY_WITH_TIMEOUT((received += slow.readAll(), slow.write("X: y\r\n"), ++trickled, closed), 5000);
    received += slow.readAll();
    QVERIFY2(received.startsWith("HTTP/1.1 408"), received.constData());
    QVERIFY(received.contains("\"request_timeout\""));
    QVERIFY(clock.elapsed() >= 400);
    QVERIFY(trickled > 3);

    // An idle keep-alive connection is closed after idleTimeoutMs, after answering its request.
    QTcpSocket idle;
    idle.connectToHost(QHostAddress::LocalHost, m_client->port());
    QVERIFY(QTest::qWaitFor([&] { return idle.state() == QAbstractSocket::ConnectedState; }, 5000));
    idle.write("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += idle.readAll()).contains("\"ok\""), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(idle.state(), QAbstractSocket::UnconnectedState, 5000);
    // An /events stream is not idle.
    SseClient events;
    QVERIFY(events.open(m_client->port(), m_client->token()));
    QCOMPARE(events.status(), 200);
    QTest::qWait(1500); // longer than the idle timeout: the stream must survive it (a wait for absence)
    QVERIFY(events.isConnected());
}

void TestApiServer::pipelinedRequestsOnOneConnection()
{
    QVERIFY(startApi());
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_client->port());
    QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000));
    const QByteArray auth = "Authorization: Bearer " + m_client->token() + "\r\n";
    const QByteArray body = "{\"path\":\"relative\"}";
    socket.write(
        "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\nPOST /api/v1/episodes HTTP/1.1\r\nHost: localhost\r\n"
        + auth + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body
        + "GET /api/v1/sync/episodes/1/status HTTP/1.1\r\nHost: localhost\r\n" + auth + "\r\n");
    QByteArray buffer;
    QList<HttpReply> replies;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            buffer += socket.readAll();
            while (auto reply = ApiClient::parseResponse(&buffer, false))
                replies << *reply;
            return replies.size() >= 3;
        }(),
        5000);
    QCOMPARE(replies.at(0).status, 200);
    QCOMPARE(replies.at(1).status, 400);
    QCOMPARE(replies.at(2).status, 404);
    // Then an oversized body on the same connection is still caught.
    socket.write("POST /api/v1/episodes HTTP/1.1\r\nHost: localhost\r\n" + auth + "Content-Length: 9999999\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            buffer += socket.readAll();
            while (auto reply = ApiClient::parseResponse(&buffer, false))
                replies << *reply;
            return replies.size() >= 4;
        }(),
        5000);
    QCOMPARE(replies.at(3).status, 413);
}

void TestApiServer::threeHundredMalformedRequests()
{
    QVERIFY(startApi());
    m_engine->pauseAll();
    struct Case
    {
        QByteArray what;
        QByteArray bytes;
    };
    QList<Case> cases;
    const auto add = [&](const QByteArray &what, const QByteArray &bytes) { cases.append({what, bytes}); };
    const auto request = [&](const QByteArray &method, const QByteArray &target, const QByteArray &extra = {},
                             const QByteArray &body = {}) { return m_client->rawRequest(method, target, extra, body); };

    // Bad ids in paths.
    const QList<QByteArray> badIds{"abc", "-1", "0", "1.5", "1e3", "0x1", "99999999999999999999", "%20", "%00", "%FF",
        "%C3%28", "%D9%A1", "1%2F2", "+1", "1,2", "%E2%80%AE1"};
    const QList<QByteArray> idRoutes{"GET /api/v1/episodes/{}", "DELETE /api/v1/episodes/{}",
        "GET /api/v1/sync/episodes/{}/status", "POST /api/v1/sync/episodes/{}", "POST /api/v1/sync/episodes/{}/cancel",
        "POST /api/v1/sync/episodes/{}/retry"};
    for (const QByteArray &route : idRoutes) {
        for (const QByteArray &id : badIds) {
            QByteArray target = route.split(' ').at(1);
            target.replace("{}", id);
            add(route + " id=" + id, request(route.split(' ').at(0), target));
        }
    }
    // Bad batch ids.
    const QList<QByteArray> badLists{"", "ids", "ids=", "ids=,", "ids=1,", "ids=,1", "ids=a", "ids=1;2", "ids=1%3B2",
        "ids=1 2", "ids=1%202", "ids=-0", "ids=00", "ids=18446744073709551616", "ids=9223372036854775808",
        "ids=1&ids=2", "ids=%FF", "ids=%C3%28", "ids=1e2", "ids=1.", "ids=.1", "ids=%2B1", "ids=1,-2,3", "ids=%00",
        "IDS=1", "id=1", "ids[]=1", "ids=0x10", "ids=%EF%BC%91", "ids=" + QByteArray("1,").repeated(1000) + "1"};
    for (const QByteArray &query : badLists)
        add("batch " + query.left(40), request("GET", "/api/v1/sync/episode-statuses?" + query));
    // Wrong methods on every known route.
    const QList<QByteArray> methods{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
    for (const ApiRouter::Route &route : m_api->router().routes()) {
        const QByteArray target = route.pattern.toLatin1().replace("{id}", "1");
        QList<QByteArray> allowed;
        for (const ApiRouter::Route &other : m_api->router().routes()) {
            if (other.pattern == route.pattern)
                allowed << ApiRouter::methodName(other.method);
        }
        for (const QByteArray &method : methods) {
            if (!allowed.contains(method))
                add("method " + method + ' ' + target, request(method, target));
        }
    }
    // Bad JSON and bad fields for POST /episodes.
    QByteArray deep = QByteArray(5000, '[') + QByteArray(5000, ']');
    const QList<QByteArray> badBodies{"", "{", "}", "[]", "null", "1", "\"x\"", "{\"path\":1}", "{\"path\":null}",
        "{\"path\":\"\"}", "{\"path\":[]}", "{\"path\":{}}", "{\"name\":\"x\"}", "{\"path\":\"/x\",\"name\":5}",
        "\xff\xfe", "{\"path\":\"\xc3\x28\"}", "{\"path\":\"rel\"}", "{\"path\":\"/no/such/file\"}",
        "{\"path\":\"/tmp\"}}", "{'path':'/tmp'}", "{\"path\":NaN}", "{\"path\":\"/x\",}", deep, "\x00\x00",
        "{\"path\":\"/x\" \"name\":\"y\"}", "tru", "{\"path\":\"\\ud800\"}", "{\"path\":\"/\",\"name\":\"a/b\"}",
        "{\"path\":\"/\",\"name\":\"..\"}", "[{\"path\":\"/tmp\"}]"};
    for (const QByteArray &body : badBodies) {
        add("body " + body.left(30).toHex(),
            request("POST", "/api/v1/episodes",
                "Content-Type: application/json\r\n" + QByteArray(body.isEmpty() ? "Content-Length: 0\r\n" : ""),
                body));
    }
    // Oversized and malformed lengths.
    for (const QByteArray &length : {QByteArray("1048577"), QByteArray("2147483648"), QByteArray("9223372036854775807"),
             QByteArray("99999999999999999999"), QByteArray("abc"), QByteArray("-1"), QByteArray("1, 2"),
             QByteArray("0x10"), QByteArray(""), QByteArray("+5")}) {
        add("length " + length, request("POST", "/api/v1/episodes", "Content-Length: " + length + "\r\n") + "{}");
    }
    add("two lengths", request("POST", "/api/v1/episodes", "Content-Length: 2\r\nContent-Length: 3\r\n") + "{}x");
    add("chunked", request("POST", "/api/v1/episodes", "Transfer-Encoding: chunked\r\n") + "2\r\n{}\r\n0\r\n\r\n");
    // Header floods and overlong lines.
    for (int count : {101, 150, 400, 1000}) {
        QByteArray flood;
        for (int i = 0; i < count; ++i)
            flood += "X-H" + QByteArray::number(i) + ": v\r\n";
        add("headers x" + QByteArray::number(count), request("GET", "/api/v1/health", flood));
    }
    for (int size : {16 * 1024, 20000, 100000})
        add("header of " + QByteArray::number(size),
            request("GET", "/api/v1/health", "X-Big: " + QByteArray(size, 'b') + "\r\n"));
    for (int size : {8200, 20000, 100000})
        add("target of " + QByteArray::number(size), request("GET", "/api/v1/episodes?x=" + QByteArray(size, 'q')));
    // Broken request lines and header syntax.
    const QByteArray host = "Host: localhost\r\n";
    const QList<QByteArray> garbage{"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /api/v1/health\r\n\r\n",
        "GET /api/v1/health HTTP/1.1 extra\r\n" + host + "\r\n", "GET /api/v1/health HTTP/2.0\r\n" + host + "\r\n",
        "GET /api/v1/health HTTP/1.2\r\n" + host + "\r\n", "GET http://evil/api/v1/health HTTP/1.1\r\n" + host + "\r\n",
        "get /api/v1/health HTTP/1.1\r\n" + host + "\r\n", "\x01\x02\x03\x04\r\n\r\n", QByteArray("\x00\r\n\r\n", 5),
        "GET /api/v1/\xff HTTP/1.1\r\n" + host + "\r\n", "GET /api/v1/health\tHTTP/1.1\r\n" + host + "\r\n",
        "GET  /api/v1/health HTTP/1.1\r\n" + host + "\r\n",
        "GET /api/v1/health HTTP/1.1\r\n" + host + "Bad Header\r\n\r\n",
        "GET /api/v1/health HTTP/1.1\r\n" + host + "Bad Name: x\r\n\r\n",
        "GET /api/v1/health HTTP/1.1\r\n" + host + ": novalue\r\n\r\n",
        "GET /api/v1/health HTTP/1.1\r\n" + host + "X-Ctl: a\x01z\r\n\r\n",
        "GET /api/v1/health HTTP/1.1\r\n" + host + "X: a\r\n folded\r\n\r\n",
        "CONNECT localhost:80 HTTP/1.1\r\n" + host + "\r\n", "TRACE /api/v1/health HTTP/1.1\r\n" + host + "\r\n",
        "BREW /api/v1/health HTTP/1.1\r\n" + host + "\r\n", "PROPFIND /api/v1/health HTTP/1.1\r\n" + host + "\r\n",
        "GET /api/v1/health HTTP/1.1\r\n" + host + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        "GET /api/v1/health HTTP/1.1\r\n" + host + "Host: other\r\n\r\n",
        "GET /api/v1/health?\"<>` HTTP/1.1\r\n" + host + "\r\n",
        "GET /api/v1/episodes?status=\xc3\x28 HTTP/1.1\r\n" + host + "\r\n",
        "GET api/v1/health HTTP/1.1\r\n" + host + "\r\n", "GET * HTTP/1.1\r\n" + host + "\r\n",
        "HTTP/1.1 200 OK\r\n\r\n", "GET /api/v1/health HTTP/1.1\r\nHost : localhost\r\n\r\n"};
    for (const QByteArray &bytes : garbage)
        add("garbage " + bytes.left(30).toHex(), bytes);
    // Unknown routes, bad query parameters, bad hosts.
    for (const char *path :
        {"/", "/api", "/api/v1", "/api/v2/health", "/api/v1/health/", "/api/v1//health", "/api/v1/HEALTH",
            "/api/v1/episodes/1/2", "/api/v1/sync", "/api/v1/sync/episodes", "/api/v1/sync/episodes/1/status/x",
            "/api/v1/sync/episode-statuses/1", "/api/v1/%2e%2e/health", "/api/v1/../api/v1/nope", "/api/v1/events/x",
            "/api/v1/metrics.txt", "/favicon.ico", "/api/v1/episodes%00", "/api/v1/%C3%28", "/api/v1/openapi.yaml"}) {
        add(QByteArray("route ") + path, request("GET", QByteArray(path)));
    }
    for (const char *target : {"/api/v1/episodes?limit=0", "/api/v1/episodes?limit=-5", "/api/v1/episodes?limit=abc",
             "/api/v1/episodes?limit=501", "/api/v1/episodes?limit=99999999999", "/api/v1/episodes?status=done",
             "/api/v1/episodes?status=", "/api/v1/episodes?cursor=abc", "/api/v1/episodes?cursor=-1",
             "/api/v1/sync/logs?limit=0", "/api/v1/sync/logs?limit=1001", "/api/v1/sync/logs?episode_id=abc",
             "/api/v1/sync/logs?episode_id=0", "/api/v1/sync/logs?episode_id=424242", "/api/v1/events?since=abc",
             "/api/v1/events?since=-1", "/api/v1/events?since=%FF", "/api/v1/episodes?limit=%FF",
             "/api/v1/sync/logs?limit=1.5", "/api/v1/episodes?limit=%2B5"}) {
        add(QByteArray("query ") + target, request("GET", QByteArray(target)));
    }
    for (const char *badHost : {"evil.example", "127.0.0.1.evil.example", "localhost.evil", "10.1.2.3", "[::2]", "",
             "localhost:80:90", "[::1", "0.0.0.0", "::1"}) {
        add(QByteArray("host ") + badHost,
            QByteArray("GET /api/v1/health HTTP/1.1\r\nHost: ") + badHost + "\r\nConnection: close\r\n\r\n");
    }
    QVERIFY2(cases.size() >= 300, qPrintable(QString::number(cases.size())));

    int index = 0;
    QMap<int, int> byStatus;
    for (const Case &c : std::as_const(cases)) {
        const HttpReply reply = m_client->raw(c.bytes);
        const QByteArray label = QByteArray::number(index++) + ' ' + c.what + ": " + describe(reply).toUtf8();
        QVERIFY2(reply.status >= 400 && reply.status < 500, label.constData());
        QVERIFY2(reply.isJsonError(), label.constData());
        ++byStatus[reply.status];
    }
    qInfo() << cases.size() << "malformed requests, answers by status:" << byStatus;
    QCOMPARE(m_client->get(QStringLiteral("/health")).status, 200);
    QCOMPARE(m_client->get(QStringLiteral("/episodes")).status, 200);
    QCOMPARE(m_engine->allStatuses().size(), 0);
}

void TestApiServer::eventsShowProgressInOrderThenTerminalStatus()
{
    ApiConfig config;
    config.heartbeatMs = 200;
    QVERIFY(startApi(config));
    stallParts(150);
    SseClient events;
    QVERIFY(events.open(m_client->port(), m_client->token()));
    QCOMPARE(events.status(), 200);
    const QString path = m_fixture.filePath(QStringLiteral("sse.bin"));
    QVERIFY(writeFile(path, randomBytes(30 * kMiB, 7)));
    const qint64 id = registerEpisode(path, QStringLiteral("sse"));
    QVERIFY(id > 0);
    const auto terminalSeen = [&] {
        for (const SseClient::Event &event : events.events()) {
            if (event.type == "status" && event.data.value("episode_id").toInteger() == id
                && event.data.value("status").toString() == QLatin1String("completed"))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(terminalSeen(), 60000);

    QStringList sequence;
    qint64 previousId = 0;
    qint64 committed = -1;
    int progressEvents = 0;
    for (const SseClient::Event &event : events.events()) {
        QVERIFY2(previousId == 0 || event.id == previousId + 1, "event ids increase one by one");
        previousId = event.id;
        if (event.data.value("episode_id").toInteger() != id)
            continue;
        const QString status = event.data.value("status").toString();
        if (event.type == "progress") {
            QVERIFY(!sequence.contains(QStringLiteral("status:completed")));
            QCOMPARE(status, QStringLiteral("in_progress"));
            const qint64 now = event.data.value("progress").toObject().value("committed_bytes").toInteger();
            QVERIFY2(now >= committed, "committed_bytes never goes back");
            committed = now;
            ++progressEvents;
            if (sequence.isEmpty() || sequence.last() != QLatin1String("progress"))
                sequence << QStringLiteral("progress");
        } else {
            QCOMPARE(event.type, QByteArray("status"));
            QVERIFY(!event.data.contains("progress"));
            sequence << QStringLiteral("status:") + status;
        }
    }
    qInfo() << "events for the episode:" << sequence << progressEvents << "progress events";
    QVERIFY2(progressEvents >= 3, qPrintable(QString::number(progressEvents)));
    QCOMPARE(sequence.first(), QStringLiteral("status:scanning")); // its files being listed
    QCOMPARE(sequence.at(1), QStringLiteral("status:pending"));
    QCOMPARE(sequence.at(2), QStringLiteral("status:in_progress"));
    QCOMPARE(sequence.last(), QStringLiteral("status:completed"));
    QCOMPARE(sequence.at(sequence.size() - 2), QStringLiteral("progress"));
    QTRY_VERIFY_WITH_TIMEOUT(events.heartbeats() >= 1, 5000);
}

void TestApiServer::eventsResumeFromLastEventId()
{
    ApiConfig config;
    config.eventBufferSize = 3;
    QVERIFY(startApi(config));
    QVERIFY(m_client->post(QStringLiteral("/sync/pause")).status == 200); // event 1: paused
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) { // events 2 + 2i, 3 + 2i: status scanning, then pending
        const QString path = m_fixture.filePath(QStringLiteral("r-%1.bin").arg(i));
        QVERIFY(writeFile(path, randomBytes(10, quint32(i))));
        ids << registerEpisode(path, QStringLiteral("r-%1").arg(i));
    }
    SseClient live;
    QVERIFY(live.open(m_client->port(), m_client->token(), "?since=5"));
    QTRY_COMPARE(live.events().size(), 2);
    QCOMPARE(live.events().at(0).id, 6);
    QCOMPARE(live.events().at(0).data.value("episode_id").toInteger(), ids.at(2));
    QCOMPARE(live.events().at(0).data.value("status").toString(), QStringLiteral("scanning"));
    QCOMPARE(live.events().at(1).id, 7);
    QCOMPARE(live.events().at(1).data.value("status").toString(), QStringLiteral("pending"));

    SseClient byHeader;
    QVERIFY(byHeader.open(m_client->port(), m_client->token(), {}, "6"));
    QTRY_COMPARE(byHeader.events().size(), 1);
    QCOMPARE(byHeader.events().first().id, 7);

    // Events 1 to 4 are no longer kept (buffer of 3): the client is told to resync, then gets what is kept.
    SseClient tooOld;
    QVERIFY(tooOld.open(m_client->port(), m_client->token(), "?since=0"));
    QTRY_COMPARE(tooOld.events().size(), 4);
    QCOMPARE(tooOld.events().first().type, QByteArray("resync"));
    QCOMPARE(tooOld.events().at(1).id, 5);

    SseClient future;
    QVERIFY(future.open(m_client->port(), m_client->token(), "?since=99"));
    QTRY_COMPARE(future.events().size(), 1);
    QCOMPARE(future.events().first().type, QByteArray("resync"));

    // A change reaches every open stream with the next id.
    QCOMPARE(m_client->request("DELETE", QStringLiteral("/episodes/%1").arg(ids.at(0))).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(live.events().size(), 3, 5000);
    QCOMPARE(live.events().last().type, QByteArray("removed"));
    QCOMPARE(live.events().last().id, 8);
    QTRY_COMPARE(byHeader.events().size(), 2);
    QCOMPARE(m_client->get(QStringLiteral("/events?since=x")).status, 400);
}

void TestApiServer::liveAgreementWithTheStrictServer()
{
    QVERIFY(startApi());
    stallParts(200);
    const qint64 size = 40 * kMiB + 12345; // 9 parts, the last one short
    const QString path = m_fixture.filePath(QStringLiteral("live.bin"));
    QVERIFY(writeFile(path, randomBytes(size, 9)));
    const qint64 id = registerEpisode(path, QStringLiteral("live"));
    QVERIFY(id > 0);
    const QString key
        = m_fixture.server().bucket() + QStringLiteral("/api/liveAgreementWithTheStrictServer/live/live.bin");
    const int parts = int((size + kPartSize - 1) / kPartSize);
    // What the strict server has received and stored, per distinct part (a re-sent part counts once).
    const auto storedBytes = [&] {
        const QJsonObject uploads
            = m_fixture.server().stats().value(QStringLiteral("part_uploads")).toObject().value(key).toObject();
        qint64 bytes = 0;
        for (auto it = uploads.begin(); it != uploads.end(); ++it) {
            const int number = it.key().toInt();
            if (number >= 1 && number <= parts && it.value().toInt() > 0)
                bytes += number < parts ? kPartSize : size - kPartSize * (parts - 1);
        }
        return bytes;
    };
    qint64 previous = 0;
    int observations = 0, midway = 0;
    QString status;
    QElapsedTimer deadline;
    deadline.start();
    while (status != QLatin1String("completed") && deadline.elapsed() < 60000) {
        const HttpReply reply = m_client->get(QStringLiteral("/sync/episodes/%1/status").arg(id));
        QCOMPARE(reply.status, 200);
        status = reply.json().value("status").toString();
        QVERIFY2(status == QLatin1String("pending") || status == QLatin1String("in_progress")
                || status == QLatin1String("completed"),
            qPrintable(status));
        if (!reply.json().contains("progress"))
            continue;
        const qint64 committed = reply.json().value("progress").toObject().value("committed_bytes").toInteger();
        const qint64 acknowledged = storedBytes(); // read after the API answered: can only have grown since
        QVERIFY2(committed >= previous, qPrintable(QStringLiteral("went back: %1 → %2").arg(previous).arg(committed)));
        QVERIFY2(committed <= acknowledged,
            qPrintable(QStringLiteral("API %1 > server %2").arg(committed).arg(acknowledged)));
        QCOMPARE(reply.json().value("progress").toObject().value("total_bytes").toInteger(), size);
        previous = committed;
        ++observations;
        if (committed > 0 && committed < size)
            ++midway;
    }
    QCOMPARE(status, QStringLiteral("completed"));
    qInfo() << observations << "observations while uploading," << midway << "mid-way";
    QVERIFY(observations >= 5);
    QVERIFY(midway >= 2);
}

void TestApiServer::metricsFollowAnUpload()
{
    QVERIFY(startApi());
    stallParts(50);
    const qint64 size = 20 * kMiB; // above the single-PUT threshold (16 MiB): 4 parts
    const QString path = m_fixture.filePath(QStringLiteral("metrics.bin"));
    QVERIFY(writeFile(path, randomBytes(size, 4)));
    const qint64 id = registerEpisode(path, QStringLiteral("metrics"));
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(id)->record.state, EpisodeState::Completed, 30000);
    const auto scrape = [&] {
        const HttpReply reply = m_client->get(QStringLiteral("/metrics"));
        QMap<QByteArray, double> values;
        for (const QByteArray &line : reply.body.split('\n')) {
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            const qsizetype space = line.lastIndexOf(' ');
            values.insert(line.left(space), line.mid(space + 1).toDouble());
        }
        return values;
    };
    const HttpReply raw = m_client->get(QStringLiteral("/metrics"));
    QCOMPARE(raw.status, 200);
    QVERIFY(raw.headers.value("content-type").startsWith("text/plain"));
    QVERIFY(raw.body.contains("# TYPE keystone_bytes_committed_total counter"));
    QTRY_COMPARE(scrape().value("keystone_bytes_committed_total"), double(size));
    const auto values = scrape();
    QCOMPARE(values.value("keystone_episodes{status=\"completed\"}"), 1.0);
    QCOMPARE(values.value("keystone_episodes{status=\"pending\"}"), 0.0);
    QCOMPARE(values.value("keystone_episode_transitions_total{status=\"completed\"}"), 1.0);
    QVERIFY(values.value("keystone_episode_transitions_total{status=\"in_progress\"}") >= 1.0);
    QCOMPARE(values.value("keystone_parts_uploaded_total"), 4.0);
    // The engine's own counters: four verified parts of the file, no retries, no failures.
    QCOMPARE(values.value("keystone_engine_parts_verified_total"), 4.0);
    QCOMPARE(values.value("keystone_engine_bytes_verified_total"), double(size));
    QCOMPARE(values.value("keystone_engine_parts_retried_total"), 0.0);
    QCOMPARE(values.value("keystone_engine_parts_failed_total"), 0.0);
    QCOMPARE(values.value("keystone_active_committed_bytes"), 0.0);
    QCOMPARE(values.value("keystone_sync_paused"), 0.0);
}

void TestApiServer::openApiDocumentMatchesRoutes()
{
    QVERIFY(startApi());
    m_engine->pauseAll();
    const HttpReply reply = m_client->get(QStringLiteral("/openapi.json"));
    QCOMPARE(reply.status, 200);
    const QJsonObject document = reply.json();
    QVERIFY(document.value("openapi").toString().startsWith(QLatin1String("3.0")));

    QSet<QString> documented;
    const QJsonObject paths = document.value("paths").toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        for (const QString &method : it.value().toObject().keys()) {
            if (method != QLatin1String("parameters"))
                documented << method.toUpper() + QLatin1Char(' ') + QStringLiteral("/api/v1") + it.key();
        }
    }
    QSet<QString> routed;
    for (const ApiRouter::Route &route : m_api->router().routes())
        routed << QString::fromLatin1(ApiRouter::methodName(route.method)) + QLatin1Char(' ') + route.pattern;
    QCOMPARE(documented - routed, QSet<QString>()); // every documented route exists
    QCOMPARE(routed - documented, QSet<QString>()); // every route is documented

    const QString path = m_fixture.filePath(QStringLiteral("doc.bin"));
    QVERIFY(writeFile(path, randomBytes(10, 1)));
    const qint64 id = registerEpisode(path, QStringLiteral("doc"));
    QVERIFY(id > 0);
    QStringList operations = documented.values();
    std::sort(operations.begin(), operations.end(), [](const QString &a, const QString &b) {
        return a.startsWith(QLatin1String("DELETE")) < b.startsWith(QLatin1String("DELETE"))
            || (a.startsWith(QLatin1String("DELETE")) == b.startsWith(QLatin1String("DELETE")) && a < b);
    });
    for (const QString &operation : std::as_const(operations)) {
        const QString method = operation.section(QLatin1Char(' '), 0, 0);
        QString target = operation.section(QLatin1Char(' '), 1).mid(7);
        target.replace(QLatin1String("{id}"), QString::number(id));
        if (target == QLatin1String("/events")) {
            SseClient events;
            QVERIFY(events.open(m_client->port(), m_client->token()));
            QCOMPARE(events.status(), 200);
            continue;
        }
        if (target == QLatin1String("/sync/episode-statuses"))
            target += QStringLiteral("?ids=%1").arg(id);
        QByteArray body;
        if (operation == QLatin1String("POST /api/v1/episodes"))
            body = json({{QStringLiteral("path"), path}, {QStringLiteral("name"), QStringLiteral("doc-2")}});
        if (operation == QLatin1String("PATCH /api/v1/episodes/{id}"))
            body = json({{QStringLiteral("priority"), 1}});
        if (operation == QLatin1String("PUT /api/v1/sync/throttle"))
            body = json({{QStringLiteral("mode"), QStringLiteral("normal")}});
        const HttpReply answer = m_client->request(method.toLatin1(), target, body);
        QVERIFY2(answer.status == 200 || answer.status == 201 || answer.status == 409,
            qPrintable(operation + QLatin1Char(' ') + describe(answer)));
        QVERIFY2(document.value("paths")
                     .toObject()
                     .value(operation.section(QLatin1Char(' '), 1).mid(7))
                     .toObject()
                     .value(method.toLower())
                     .toObject()
                     .value("responses")
                     .toObject()
                     .contains(QString::number(answer.status)),
            qPrintable(operation + QStringLiteral(" answered an undocumented %1").arg(answer.status)));
    }
}

void TestApiServer::tokenFileOpenToOthersStopsStart()
{
    const QString dataDir = m_fixture.dataDir();
    QFile token(QDir(dataDir).filePath(QStringLiteral("api-token")));
    QVERIFY(token.open(QIODevice::WriteOnly));
    token.write(QByteArray(64, 'a') + '\n');
    token.close();
    QVERIFY(token.setPermissions(
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    ApiConfig config;
    config.dataDir = dataDir;
    ApiServer refused(*m_engine, config);
    const auto refusal = refused.start();
    QVERIFY(!refusal);
    const QString error = refusal.error().message;
    QVERIFY2(error.contains(QLatin1String("chmod 600")), qPrintable(error));
    QVERIFY(!error.contains(QLatin1String("aaaaaaaa"))); // never the token itself
    QVERIFY(token.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    ApiServer accepted(*m_engine, config);
    const auto started = accepted.start();
    QVERIFY2(started, qPrintable(started.error().message));
    QCOMPARE(accepted.token(), QByteArray(64, 'a'));
}

QTEST_GUILESS_MAIN(TestApiServer)
#include "tst_apiserver.moc"

// The status routes answer from StatusBytesCache: over real HTTP, with a real engine and the strict S3 server, their
// bodies are byte for byte the serialisation of the engine's snapshot at that moment - the single status, the
// episode, and the batch envelope with duplicates and unknown ids as the route built it with a QJsonDocument -
// through pause, resume, an upload to completion, a cancel and a delete. Compared only while nothing runs, so the
// snapshot read after the answer is the one the answer was made from.
#include "api/apijson.h"
#include "api/apiserver.h"
#include "apiclient.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

class TestStatusRoutes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void routesServeTheEngineSnapshotByteForByte();
    void pauseAndResumeOneEpisode();

private:
    void expectSnapshotBytes(const char *when, const QList<qint64> &ids);
    QByteArray batchAsBefore(const QList<qint64> &asked) const;

    StrictServerFixture m_fixture;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<ApiServer> m_api;
    std::unique_ptr<ApiClient> m_client;
};

void TestStatusRoutes::initTestCase()
{
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
    QVERIFY(m_fixture.makeDir());
    m_engine = TestData::openSyncEngine(m_fixture.syncConfig(QStringLiteral("api/statusroutes")));
    QVERIFY(m_engine);
    ApiConfig config;
    config.dataDir = m_fixture.dataDir();
    m_api = std::make_unique<ApiServer>(*m_engine, config);
    const auto started = m_api->start();
    QVERIFY2(started, qPrintable(started.error().message));
    m_client = std::make_unique<ApiClient>(m_api->url(), m_api->token());
}

// The batch route before it answered from bytes: the ids asked, each once, then a QJsonDocument of the statuses.
QByteArray TestStatusRoutes::batchAsBefore(const QList<qint64> &asked) const
{
    QList<qint64> unique;
    for (const qint64 id : asked) {
        if (!unique.contains(id))
            unique.append(id);
    }
    QJsonArray items;
    QSet<qint64> found;
    for (const EpisodeStatus &status : m_engine->statuses(unique)) {
        items.append(ApiJson::status(status));
        found.insert(status.record.id);
    }
    QJsonArray missing;
    for (const qint64 id : std::as_const(unique)) {
        if (!found.contains(id))
            missing.append(id);
    }
    return ApiJson::compact({{QStringLiteral("items"), items}, {QStringLiteral("missing"), missing},
        {QStringLiteral("throttle"), ApiJson::throttle(m_engine->throttle())}});
}

void TestStatusRoutes::expectSnapshotBytes(const char *when, const QList<qint64> &ids)
{
    for (const qint64 id : ids) {
        const HttpReply status = m_client->get(QStringLiteral("/sync/episodes/%1/status").arg(id));
        const HttpReply episode = m_client->get(QStringLiteral("/episodes/%1").arg(id));
        const auto snapshot = m_engine->status(id);
        if (!snapshot) {
            QVERIFY2(status.status == 404 && episode.status == 404, when);
            continue;
        }
        QVERIFY2(status.status == 200 && episode.status == 200, when);
        QCOMPARE(status.headers.value("content-type"), QByteArrayLiteral("application/json"));
        QCOMPARE(status.body, ApiJson::compact(ApiJson::status(*snapshot)));
        QCOMPARE(episode.body, ApiJson::compact(ApiJson::episode(*snapshot)));
    }
    // Request order with duplicates and unknown ids around the known ones.
    QList<qint64> asked{999999};
    for (const qint64 id : ids)
        asked << id << 999999 << id;
    asked << Q_INT64_C(9223372036854775807);
    QStringList text;
    for (const qint64 id : std::as_const(asked))
        text << QString::number(id);
    const HttpReply batch = m_client->get(QStringLiteral("/sync/episode-statuses?ids=") + text.join(QLatin1Char(',')));
    QVERIFY2(batch.status == 200, when);
    QCOMPARE(batch.headers.value("content-type"), QByteArrayLiteral("application/json"));
    QCOMPARE(batch.body, batchAsBefore(asked));
}

void TestStatusRoutes::routesServeTheEngineSnapshotByteForByte()
{
    m_engine->pauseAll();
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        const QString path = m_fixture.filePath(QStringLiteral("episodes/e-%1.bin").arg(i));
        QVERIFY(TestData::writeFile(path, TestData::randomBytes(64 * 1024, quint32(i))));
        const HttpReply created = m_client->registerEpisode(path, QStringLiteral("e-%1").arg(i));
        QCOMPARE(created.status, 201);
        // What registration answers is what the routes serve a moment later.
        ids << created.json().value("episode_id").toInteger();
        QCOMPARE(created.body, m_client->get(QStringLiteral("/episodes/%1").arg(ids.last())).body);
    }
    expectSnapshotBytes("registered, paused", ids);

    // Cancel one while paused; the others upload once resumed, and their stage leaves "paused" at once.
    QCOMPARE(m_client->post(QStringLiteral("/sync/episodes/%1/cancel").arg(ids[2])).status, 200);
    expectSnapshotBytes("one cancelled", ids);
    const QByteArray pausedBody = m_client->get(QStringLiteral("/sync/episodes/%1/status").arg(ids[0])).body;
    QVERIFY(pausedBody.contains("\"stage\":\"paused\""));
    m_engine->resumeAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(ids[0])->record.state, EpisodeState::Completed, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(ids[1])->record.state, EpisodeState::Completed, 30000);
    const QByteArray completedBody = m_client->get(QStringLiteral("/sync/episodes/%1/status").arg(ids[0])).body;
    QVERIFY(completedBody != pausedBody);
    QVERIFY(completedBody.contains("\"status\":\"completed\""));
    expectSnapshotBytes("two completed, one cancelled", ids);

    // Retry the cancelled one while paused, then delete it: it turns missing everywhere.
    m_engine->pauseAll();
    QCOMPARE(m_client->post(QStringLiteral("/sync/episodes/%1/retry").arg(ids[2])).status, 200);
    expectSnapshotBytes("retried, paused", ids);
    QCOMPARE(m_client->request("DELETE", QStringLiteral("/episodes/%1").arg(ids[2])).status, 200);
    expectSnapshotBytes("one deleted", ids);
    const HttpReply gone = m_client->get(QStringLiteral("/sync/episode-statuses?ids=%1").arg(ids[2]));
    QVERIFY2(gone.body.startsWith(QByteArray("{\"items\":[],\"missing\":[") + QByteArray::number(ids[2]) + "],"),
        gone.body.constData());
    QCOMPARE(gone.json().value(QStringLiteral("throttle")).toObject(), ApiJson::throttle(m_engine->throttle()));
}

// POST /sync/episodes/{id}/pause and /resume: 200 with the status JSON (paused in it and in every other status
// body), idempotent, 404 for an unknown id, 409 for a state that cannot be paused, 400 for an id that is none; the
// /metrics gauge counts paused episodes.
void TestStatusRoutes::pauseAndResumeOneEpisode()
{
    m_engine->pauseAll(); // nothing starts: the episode stays pending for the whole test
    const QString path = m_fixture.filePath(QStringLiteral("episodes/held.bin"));
    QVERIFY(TestData::writeFile(path, TestData::randomBytes(64 * 1024, 77)));
    const HttpReply created = m_client->registerEpisode(path, QStringLiteral("held"));
    QCOMPARE(created.status, 201);
    const qint64 id = created.json().value("episode_id").toInteger();
    QTRY_COMPARE(m_engine->status(id)->record.state, EpisodeState::Pending);
    QCOMPARE(
        m_client->get(QStringLiteral("/sync/episodes/%1/status").arg(id)).json().value("paused"), QJsonValue(false));

    const QString pauseUrl = QStringLiteral("/sync/episodes/%1/pause").arg(id);
    const QString resumeUrl = QStringLiteral("/sync/episodes/%1/resume").arg(id);
    const HttpReply paused = m_client->post(pauseUrl);
    QCOMPARE(paused.status, 200);
    QCOMPARE(paused.json().value("status").toString(), QStringLiteral("pending"));
    QCOMPARE(paused.json().value("paused"), QJsonValue(true));
    QCOMPARE(paused.json().value("stage").toString(), QStringLiteral("paused"));
    QVERIFY(m_engine->status(id)->record.paused);
    QCOMPARE(m_client->post(pauseUrl).status, 200); // again: no change
    expectSnapshotBytes("one paused", {id});
    const HttpReply batch = m_client->get(QStringLiteral("/sync/episode-statuses?ids=%1").arg(id));
    QCOMPARE(batch.json().value("items").toArray().first().toObject().value("paused"), QJsonValue(true));
    bool listed = false;
    for (const QJsonValue &item : m_client->get(QStringLiteral("/episodes")).json().value("items").toArray()) {
        if (item.toObject().value("episode_id").toInteger() == id) {
            QCOMPARE(item.toObject().value("paused"), QJsonValue(true));
            listed = true;
        }
    }
    QVERIFY(listed);
    QVERIFY2(m_client->get(QStringLiteral("/metrics")).body.contains("\nkeystone_episodes_paused 1\n"),
        m_client->get(QStringLiteral("/metrics")).body.constData());

    const HttpReply resumed = m_client->post(resumeUrl);
    QCOMPARE(resumed.status, 200);
    QCOMPARE(resumed.json().value("paused"), QJsonValue(false));
    QCOMPARE(resumed.json().value("status").toString(), QStringLiteral("pending"));
    QCOMPARE(m_client->post(resumeUrl).status, 200); // not paused: no change
    QVERIFY(m_client->get(QStringLiteral("/metrics")).body.contains("\nkeystone_episodes_paused 0\n"));
    expectSnapshotBytes("resumed", {id});

    for (const char *verb : {"pause", "resume"}) {
        const HttpReply unknown = m_client->post(QStringLiteral("/sync/episodes/999999/%1").arg(QLatin1String(verb)));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.json().value("error").toObject().value("code").toString(), QStringLiteral("not_found"));
        for (const char *bad : {"0", "-3", "12abc", "99999999999999999999"}) {
            const HttpReply invalid
                = m_client->post(QStringLiteral("/sync/episodes/%1/%2").arg(QLatin1String(bad), QLatin1String(verb)));
            QVERIFY2(invalid.status == 400, bad);
            QCOMPARE(invalid.json().value("error").toObject().value("code").toString(), QStringLiteral("invalid_id"));
        }
    }
    QCOMPARE(m_client->post(pauseUrl).status, 200);
    QCOMPARE(m_client->post(QStringLiteral("/sync/episodes/%1/cancel").arg(id)).status, 200);
    QCOMPARE(m_engine->status(id)->record.paused, false); // a cancel clears the pause
    for (const QString &url : {pauseUrl, resumeUrl}) {
        const HttpReply refused = m_client->post(url);
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.headers.value("content-type"), QByteArrayLiteral("application/json"));
        QCOMPARE(
            refused.json().value("error").toObject().value("code").toString(), QStringLiteral("invalid_transition"));
    }
}

QTEST_GUILESS_MAIN(TestStatusRoutes)
#include "tst_statusroutes.moc"

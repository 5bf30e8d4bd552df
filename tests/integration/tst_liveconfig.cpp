// Settings applied to a running sync engine (SyncEngine::applyConfig), end to end against the strict S3 server: new
// credentials and a new storage while an episode uploads, and new limits reaching the uploads already running. The
// server holds part answers back (a "stall" fault) so that an upload is mid-way when the settings change; what
// happened is read from the server's own statistics (requests per access key, part attempts per part number) and
// the engine's catalog, never from timing.
#include "strictserverfixture.h"
#include "strictservers.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {

using TestData::fault;
using TestData::kMiB;
using TestData::randomBytes;
using TestData::writeFile;

// A second key pair the server accepts (--extra-key): the credentials a live change switches to.
const QByteArray kRotatedKeyId = "AKIAKEYSTONEROTATED";
const QByteArray kRotatedSecret = "rotated-strict-secret";
// How long the server holds each part's answer: long enough for the settings to change while parts are on the wire,
// well below the client's stall timeout (a part cut off there would be sent again).
constexpr int kHoldMs = 4000;

QJsonObject stallParts(int stallMs)
{
    return fault(QStringLiteral("UploadPart"), QStringLiteral("stall"),
        {{QStringLiteral("stall_ms"), stallMs}, {QStringLiteral("times"), -1}});
}

} // namespace

class TestLiveConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void credentialsChangeResumesWithoutResending();
    void storageChangeStartsOverOnTheNewStorage();
    void limitsReachRunningUploads();

private:
    SyncConfig config(const QString &keyPrefix) const;
    // Opens an engine, registers one file of `size` bytes and returns once `inFlight` of its parts are on the wire,
    // held there by the server.
    bool startHeldUpload(const SyncConfig &config, const QString &name, qint64 size, int inFlight);
    // applyConfig, waiting (events running) for the engine's answer.
    bool apply(const SyncConfig &config);
    int inFlightParts();
    EpisodeRecord record() const { return m_engine->status(m_id)->record; }
    QList<SyncLogEntry> logs();
    QJsonObject requestsBy(const QByteArray &accessKeyId);
    QJsonObject partAttempts(const QString &key);

    StrictServerFixture m_fixture;
    std::unique_ptr<SyncEngine> m_engine;
    qint64 m_id = 0;
    QByteArray m_data;
};

void TestLiveConfig::initTestCase()
{
    QString error;
    QVERIFY2(m_fixture.startServer(
                 &error, {QStringLiteral("--extra-key"), QString::fromLatin1(kRotatedKeyId + ':' + kRotatedSecret)}),
        qPrintable(error));
}

void TestLiveConfig::init()
{
    QVERIFY(m_fixture.makeDir());
    QVERIFY(m_fixture.resetServer());
}

void TestLiveConfig::cleanup()
{
    m_fixture.server().clearFaults(); // held answers end, so the engine's destructor does not wait for them
    m_engine.reset();
    m_fixture.removeDir();
}

SyncConfig TestLiveConfig::config(const QString &keyPrefix) const
{
    SyncConfig cfg = m_fixture.syncConfig(keyPrefix);
    cfg.upload.concurrency = 2;
    return cfg;
}

bool TestLiveConfig::startHeldUpload(const SyncConfig &config, const QString &name, qint64 size, int inFlight)
{
    if (!m_fixture.server().injectFault(stallParts(kHoldMs)))
        return false;
    const QString path = m_fixture.filePath(name + QStringLiteral(".bin"));
    m_data = randomBytes(size, quint32(qHash(name)));
    if (!writeFile(path, m_data))
        return false;
    m_engine = TestData::openSyncEngine(config);
    if (!m_engine)
        return false;
    m_id = TestData::registerEpisode(*m_engine, path, name);
    return m_id > 0 && QTest::qWaitFor([&] { return inFlightParts() >= inFlight; }, 30000);
}

bool TestLiveConfig::apply(const SyncConfig &config)
{
    const auto answer = TestData::awaitAnswer<void>([&](auto done) { m_engine->applyConfig(config, done); }, 10000);
    if (!answer)
        return false;
    if (!*answer)
        qWarning() << answer->error().message;
    return answer->ok();
}

int TestLiveConfig::inFlightParts()
{
    return m_fixture.server().inFlight(QStringLiteral("UploadPart"));
}

QList<SyncLogEntry> TestLiveConfig::logs()
{
    QList<SyncLogEntry> entries;
    bool done = false;
    m_engine->logs(m_id, 0, [&](const SyncResult<QList<SyncLogEntry>> &result) {
        if (result)
            entries = result.value();
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        qWarning("no answer to logs()");
    return entries;
}

QJsonObject TestLiveConfig::requestsBy(const QByteArray &accessKeyId)
{
    return m_fixture.server()
        .stats()
        .value(QStringLiteral("requests_by_access_key"))
        .toObject()
        .value(QString::fromLatin1(accessKeyId))
        .toObject();
}

QJsonObject TestLiveConfig::partAttempts(const QString &key)
{
    return m_fixture.server().partCounts(QStringLiteral("part_attempts"), key);
}

void TestLiveConfig::credentialsChangeResumesWithoutResending()
{
    const SyncConfig cfg = config(QStringLiteral("live/credentials"));
    QVERIFY(startHeldUpload(cfg, QStringLiteral("rotated"), 30 * kMiB, 2)); // six parts, two held on the wire
    QCOMPARE(record().state, EpisodeState::InProgress);
    QCOMPARE(record().attempts, 1);

    SyncConfig rotated = m_engine->config();
    rotated.credentials = {kRotatedKeyId, kRotatedSecret, {}};
    QVERIFY(apply(rotated));
    QCOMPARE(m_engine->config().credentials.accessKeyId, kRotatedKeyId);
    // The running job drains: the two held parts may finish (once the server lets them), nothing new starts.
    QVERIFY(m_fixture.server().clearFaults());

    QTRY_COMPARE_WITH_TIMEOUT(record().state, EpisodeState::Completed, 60000);
    QCOMPARE(record().attempts, 1); // the reconfigure did not count as an attempt
    QVERIFY(record().lastErrorCode.isEmpty());
    const QString key = cfg.keyPrefix + QStringLiteral("/rotated/rotated.bin");
    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(key, &stored));
    QVERIFY(stored == m_data);

    // Every part went over the wire once: those in flight at the change finished and were kept for the resume.
    const QJsonObject attempts = partAttempts(key);
    QCOMPARE(attempts.size(), 6);
    for (auto it = attempts.constBegin(); it != attempts.constEnd(); ++it)
        QVERIFY2(it.value().toInt() == 1,
            qPrintable(QStringLiteral("part %1 sent %2 times").arg(it.key()).arg(it.value().toInt())));
    // One multipart upload, begun with the old key and resumed (ListParts) and completed with the new one.
    const QJsonObject before = requestsBy(m_fixture.server().accessKeyId());
    const QJsonObject after = requestsBy(kRotatedKeyId);
    QCOMPARE(before.value(QStringLiteral("CreateMultipartUpload")).toInt(), 1);
    QCOMPARE(before.value(QStringLiteral("CompleteMultipartUpload")).toInt(), 0);
    QCOMPARE(after.value(QStringLiteral("CreateMultipartUpload")).toInt(), 0);
    QVERIFY(after.value(QStringLiteral("ListParts")).toInt() >= 1);
    QCOMPARE(after.value(QStringLiteral("CompleteMultipartUpload")).toInt(), 1);
    QVERIFY(after.value(QStringLiteral("UploadPart")).toInt() >= 1);
    QCOMPARE(before.value(QStringLiteral("UploadPart")).toInt() + after.value(QStringLiteral("UploadPart")).toInt(), 6);

    // The attempt the change ended is logged as such, with the parts it had committed.
    const QList<SyncLogEntry> entries = logs(); // newest first
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).result, QStringLiteral("completed"));
    QCOMPARE(entries.at(1).result, QStringLiteral("reconfigured"));
    QVERIFY(entries.at(1).errorCode.isEmpty());
    QVERIFY(entries.at(1).bytesCommitted >= 2 * cfg.upload.partSize);
}

void TestLiveConfig::storageChangeStartsOverOnTheNewStorage()
{
    const SyncConfig cfg = config(QStringLiteral("live/old"));
    QVERIFY(startHeldUpload(cfg, QStringLiteral("moved"), 20 * kMiB, 2));

    SyncConfig moved = m_engine->config();
    moved.keyPrefix = QStringLiteral("live/new");
    QVERIFY(apply(moved));
    QVERIFY(m_fixture.server().clearFaults());

    QTRY_COMPARE_WITH_TIMEOUT(record().state, EpisodeState::Completed, 60000);
    QCOMPARE(record().attempts, 1);
    QCOMPARE(record().cloudKeyPrefix, QStringLiteral("live/new/moved"));
    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(QStringLiteral("live/new/moved/moved.bin"), &stored));
    QVERIFY(stored == m_data);
    QVERIFY(m_fixture.server().getObject(QStringLiteral("live/new/moved.manifest.json"), &stored));
    // Nothing stays behind on the old storage: the upload kept there is aborted, no object was completed.
    QTRY_COMPARE_WITH_TIMEOUT(
        m_fixture.server().stats().value(QStringLiteral("uploads_in_progress")).toInt(), 0, 10000);
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("AbortMultipartUpload")), 1);
    QVERIFY(!m_fixture.server().getObject(QStringLiteral("live/old/moved/moved.bin"), &stored));
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("CreateMultipartUpload")), 2);
    QCOMPARE(logs().at(1).result, QStringLiteral("reconfigured"));
}

void TestLiveConfig::limitsReachRunningUploads()
{
    SyncConfig cfg = config(QStringLiteral("live/limits"));
    cfg.maxConcurrentEpisodes = 1;
    QVERIFY(startHeldUpload(cfg, QStringLiteral("first"), 30 * kMiB, 2));
    const QString second = m_fixture.filePath(QStringLiteral("second.bin"));
    QVERIFY(writeFile(second, randomBytes(kMiB, 2)));
    const qint64 secondId = TestData::registerEpisode(*m_engine, second, QStringLiteral("second"));
    QVERIFY(secondId > 0);
    QCOMPARE(m_engine->status(secondId)->record.state, EpisodeState::Pending); // one episode at a time

    // The engine has one limiter for all its transfers, unlimited so far.
    const std::shared_ptr<BandwidthLimiter> limiter = m_engine->config().transport.bandwidth;
    QVERIFY(limiter);
    QCOMPARE(limiter->bytesPerSecond(), qint64(0));

    SyncConfig raised = m_engine->config();
    raised.bandwidthLimit = 20 * kMiB;
    raised.upload.concurrency = 3;
    raised.maxConcurrentEpisodes = 2;
    QVERIFY(apply(raised));
    // The same limiter (the one running transfers ask) now grants the new rate.
    QVERIFY(m_engine->config().transport.bandwidth == limiter);
    QCOMPARE(limiter->bytesPerSecond(), 20 * kMiB);
    // The running job takes a third request in flight, and a second episode starts beside it.
    QTRY_COMPARE_WITH_TIMEOUT(inFlightParts(), 3, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_engine->status(secondId)->record.state != EpisodeState::Pending, 10000);
    QCOMPARE(record().state, EpisodeState::InProgress); // limits do not interrupt an upload
    QCOMPARE(record().attempts, 1);

    SyncConfig unlimited = m_engine->config();
    unlimited.bandwidthLimit = 0;
    QVERIFY(apply(unlimited));
    QCOMPARE(limiter->bytesPerSecond(), qint64(0));
    QVERIFY(m_fixture.server().clearFaults());
    QTRY_COMPARE_WITH_TIMEOUT(record().state, EpisodeState::Completed, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(secondId)->record.state, EpisodeState::Completed, 30000);
    QCOMPARE(logs().size(), 1); // one attempt, never interrupted
}

QTEST_GUILESS_MAIN(TestLiveConfig)
#include "tst_liveconfig.moc"

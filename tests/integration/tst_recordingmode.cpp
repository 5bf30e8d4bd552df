// Recording mode and the bandwidth schedule with a real engine, catalog and the strict S3 server: the limit holding
// where the bytes land (the server's bytes_received), one part in flight per episode (the server's max_in_flight), a
// hold that keeps verified parts, a watched folder's growth switching the mode on and off, the schedule switching at
// a given time of an injected clock, and the API's routes for all of it. Rates are checked as upper bounds over
// measured intervals (a slow machine only passes them more easily); the steps wait for conditions, never sleep.
#include "api/apiserver.h"
#include "apiclient.h"
#include "s3serverprocess.h"
#include "storage/bandwidthlimiter.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "sync/uploadthrottle.h"
#include "testdata.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <optional>

namespace {

using TestData::kMiB;
using TestData::randomBytes;
using TestData::writeFile;

QDateTime localAt(int hour, int minute, int second = 0)
{
    return QDateTime(QDate(2026, 12, 4), QTime(hour, minute, second), Qt::LocalTime).toUTC();
}

// The last throttle state the engine's change feed told the views, from a spy on SyncEngine::changed.
std::optional<ThrottleState> lastThrottleTold(const QSignalSpy &spy)
{
    std::optional<ThrottleState> told;
    for (const QList<QVariant> &arguments : spy) {
        if (const auto throttle = arguments.at(0).value<EngineChanges>().throttle)
            told = throttle;
    }
    return told;
}

} // namespace

class TestRecordingMode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void limitHoldsAtTheServerWithOnePartInFlight();
    void holdKeepsVerifiedPartsAndNormalResumes();
    void watchedFolderGrowthEntersAndLeaves();
    void scheduleSwitchesAtTheInjectedClock();
    void commandEndsAtItsUntil();
    void apiRoutesSetAndShowTheMode();

private:
    SyncConfig config(const QString &keyPrefix) const;
    bool open(const SyncConfig &config);
    // setRecording, waiting (events running) for the engine's answer.
    std::optional<ThrottleState> command(const RecordingCommand &command);
    // Every byte the server read, our own /__keystone requests included (a few hundred bytes each).
    qint64 bytesReceived()
    {
        return qint64(m_fixture.server().stats().value(QStringLiteral("bytes_received")).toDouble());
    }
    qint64 committed(qint64 id) const
    {
        return m_engine->status(id)->progress.value_or(TransferProgress{}).committedBytes;
    }
    EpisodeState state(qint64 id) const { return m_engine->status(id)->record.state; }
    QList<SyncLogEntry> logs(qint64 id);
    qint64 registerFile(const QString &name, qint64 size);

    StrictServerFixture m_fixture;
    std::unique_ptr<SyncEngine> m_engine;
    std::atomic<qint64> m_nowMs{0}; // the injected clock (UTC ms), read on the engine thread
};

void TestRecordingMode::initTestCase()
{
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestRecordingMode::init()
{
    QVERIFY(m_fixture.makeDir());
    QVERIFY(m_fixture.resetServer());
}

void TestRecordingMode::cleanup()
{
    m_engine.reset();
    m_fixture.removeDir();
}

SyncConfig TestRecordingMode::config(const QString &keyPrefix) const
{
    SyncConfig cfg = m_fixture.syncConfig(keyPrefix);
    cfg.upload.singlePutThreshold = 0; // parts of 5 MiB, up to 4 in flight, unless recording says one
    return cfg;
}

bool TestRecordingMode::open(const SyncConfig &config)
{
    m_engine = TestData::openSyncEngine(config);
    return m_engine != nullptr;
}

std::optional<ThrottleState> TestRecordingMode::command(const RecordingCommand &command)
{
    const auto answer
        = TestData::awaitAnswer<ThrottleState>([&](auto done) { m_engine->setRecording(command, done); }, 10000);
    if (!answer || !*answer)
        return std::nullopt;
    return answer->value();
}

QList<SyncLogEntry> TestRecordingMode::logs(qint64 id)
{
    QList<SyncLogEntry> entries;
    bool done = false;
    m_engine->logs(id, 0, [&](const SyncResult<QList<SyncLogEntry>> &result) {
        if (result)
            entries = result.value();
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        qWarning("no answer to logs()");
    return entries;
}

qint64 TestRecordingMode::registerFile(const QString &name, qint64 size)
{
    const QString path = m_fixture.filePath(name + QStringLiteral(".bin"));
    if (!writeFile(path, randomBytes(size, quint32(qHash(name)))))
        return 0;
    return TestData::registerEpisode(*m_engine, path, name);
}

void TestRecordingMode::limitHoldsAtTheServerWithOnePartInFlight()
{
    QVERIFY(open(config(QStringLiteral("rec/limit"))));
    const std::shared_ptr<BandwidthLimiter> limiter = m_engine->config().transport.bandwidth;
    const auto entered = command({true, kMiB, {}});
    QVERIFY(entered);
    QVERIFY(entered->isRecording());
    QCOMPARE(entered->limitBytesPerSecond, kMiB);
    QCOMPARE(limiter->bytesPerSecond(), kMiB); // in force when the command is answered
    QCOMPARE(m_engine->throttle(), *entered);

    const qint64 id = registerFile(QStringLiteral("limited"), 12 * kMiB);
    QVERIFY(id > 0);
    const qint64 start = bytesReceived();
    QTRY_VERIFY_WITH_TIMEOUT(bytesReceived() - start >= kMiB / 2, 20000); // flowing
    QElapsedTimer interval;
    interval.start();
    const qint64 before = bytesReceived();
    QTRY_VERIFY_WITH_TIMEOUT(bytesReceived() - before >= 3 * kMiB, 30000);
    const qint64 received = bytesReceived() - before;
    const qint64 elapsedMs = interval.elapsed();
    // At most the limit over the interval, plus the limiter's burst and request heads: an upper bound.
    const qint64 allowed = kMiB * elapsedMs / 1000 + kMiB / 4;
    QVERIFY2(received <= allowed,
        qPrintable(QStringLiteral("%1 bytes in %2 ms, allowed %3").arg(received).arg(elapsedMs).arg(allowed)));
    const QJsonObject maxInFlight = m_fixture.server().stats().value(QStringLiteral("max_in_flight")).toObject();
    QCOMPARE(maxInFlight.value(QStringLiteral("UploadPart")).toInt(), 1); // the job's own budget is 4

    const auto left = command({});
    QVERIFY(left);
    QVERIFY(!left->isRecording());
    QCOMPARE(limiter->bytesPerSecond(), qint64(0)); // restored at once
    QTRY_COMPARE_WITH_TIMEOUT(state(id), EpisodeState::Completed, 30000);
    QCOMPARE(logs(id).size(), 1); // entering and leaving never interrupted the upload
}

void TestRecordingMode::holdKeepsVerifiedPartsAndNormalResumes()
{
    QVERIFY(open(config(QStringLiteral("rec/hold"))));
    QVERIFY(command({true, 2 * kMiB, {}}));
    const qint64 id = registerFile(QStringLiteral("held"), 12 * kMiB);
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT(committed(id) >= 5 * kMiB, 30000); // the first part verified

    const auto held = command({true, 0, {}});
    QVERIFY(held);
    QVERIFY(held->holding);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), EpisodeState::Pending, 10000);
    const qint64 kept = committed(id);
    QVERIFY(kept >= 5 * kMiB); // what was verified still shows
    QCOMPARE(logs(id).constFirst().result, QStringLiteral("paused"));
    QVERIFY(!m_engine->status(id)->record.paused); // not an operator's per-episode pause
    // Nothing starts while holding (the scheduler looks every 50 ms here).
    const int partsBefore = m_fixture.server().requestCount(QStringLiteral("UploadPart"));
    QVERIFY(!QTest::qWaitFor([&] { return state(id) != EpisodeState::Pending; }, 1500));
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("UploadPart")), partsBefore);

    QVERIFY(command({}));
    QTRY_COMPARE_WITH_TIMEOUT(state(id), EpisodeState::Completed, 30000);
    // The part verified before the hold was not sent again.
    const QJsonObject attempts
        = m_fixture.server().partCounts(QStringLiteral("part_attempts"), QStringLiteral("rec/hold/held/held.bin"));
    QCOMPARE(attempts.value(QStringLiteral("1")).toInt(), 1);
}

void TestRecordingMode::watchedFolderGrowthEntersAndLeaves()
{
    SyncConfig cfg = config(QStringLiteral("rec/watch"));
    cfg.watch.dir = m_fixture.filePath(QStringLiteral("watch"));
    cfg.watch.stableSeconds = 3600; // never stable here: only growth matters
    cfg.watch.scanIntervalMs = 100;
    QVERIFY(QDir().mkpath(cfg.watch.dir + QStringLiteral("/take-1")));
    QVERIFY(open(cfg));
    QVERIFY(!m_engine->throttle().isRecording());

    // A recorder: a frame appended every 50 ms.
    const QString frames = cfg.watch.dir + QStringLiteral("/take-1/camera.bin");
    QTimer recorder;
    connect(&recorder, &QTimer::timeout, this, [&frames] {
        QFile file(frames);
        if (file.open(QIODevice::Append))
            file.write(QByteArray(64 * 1024, 'f'));
    });
    QSignalSpy changed(m_engine.get(), &SyncEngine::changed);
    recorder.start(50);
    QTRY_VERIFY_WITH_TIMEOUT(m_engine->throttle().isRecording(), 10000);
    QCOMPARE(m_engine->throttle().reason, ThrottleState::Reason::FolderGrowth);
    QCOMPARE(m_engine->throttle().partsPerEpisode, 1);
    QTRY_VERIFY(lastThrottleTold(changed).has_value());
    QVERIFY(lastThrottleTold(changed)->isRecording()); // the views heard of it

    // A person asks for full speed while the recorder writes: the growth does not switch it back.
    QVERIFY(command({}));
    QSignalSpy scans(m_engine.get(), &SyncEngine::folderScanned);
    QTRY_VERIFY_WITH_TIMEOUT(scans.size() >= 5, 10000);
    QVERIFY(!m_engine->throttle().isRecording());

    // The recorder stops; once the folders settled, the next growth records again, then ends with it.
    recorder.stop();
    scans.clear();
    QTRY_VERIFY_WITH_TIMEOUT(scans.size() >= (UploadThrottle::kGrowthHoldMs / 100) + 5, 20000);
    recorder.start(50);
    QTRY_VERIFY_WITH_TIMEOUT(m_engine->throttle().isRecording(), 10000);
    recorder.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!m_engine->throttle().isRecording(), 15000);
}

void TestRecordingMode::scheduleSwitchesAtTheInjectedClock()
{
    SyncConfig cfg = config(QStringLiteral("rec/schedule"));
    m_nowMs = localAt(7, 59, 30).toMSecsSinceEpoch();
    cfg.clock = [this] { return QDateTime::fromMSecsSinceEpoch(m_nowMs.load(), Qt::UTC); };
    cfg.bandwidthLimit = 7 * kMiB; // replaced by the schedule's slots
    cfg.bandwidthSchedule = BandwidthSchedule::parse(QStringLiteral("08:00,2M 20:00,off")).value();
    QVERIFY(open(cfg));
    const std::shared_ptr<BandwidthLimiter> limiter = m_engine->config().transport.bandwidth;
    QTRY_VERIFY(m_engine->throttle().scheduleSlot.has_value());
    QCOMPARE(m_engine->throttle().scheduleSlot->text(), QStringLiteral("20:00,off")); // the night before's
    QCOMPARE(m_engine->throttle().limitBytesPerSecond, qint64(0));
    QCOMPARE(limiter->bytesPerSecond(), qint64(0));

    m_nowMs = localAt(8, 0).toMSecsSinceEpoch();
    QTRY_COMPARE(m_engine->throttle().limitBytesPerSecond, 2 * kMiB);
    QCOMPARE(m_engine->throttle().scheduleSlot->text(), QStringLiteral("08:00,2M"));
    QCOMPARE(limiter->bytesPerSecond(), 2 * kMiB);

    m_nowMs = localAt(20, 0).toMSecsSinceEpoch();
    QTRY_COMPARE(m_engine->throttle().scheduleSlot->text(), QStringLiteral("20:00,off"));
    QCOMPARE(limiter->bytesPerSecond(), qint64(0));

    // New settings reach the throttle at once: no schedule, the fixed limit again.
    SyncConfig next = m_engine->config();
    next.bandwidthSchedule = {};
    bool applied = false;
    m_engine->applyConfig(next, [&applied](const SyncResult<void> &result) { applied = result.ok(); });
    QTRY_VERIFY(applied);
    QCOMPARE(limiter->bytesPerSecond(), 7 * kMiB);
    QTRY_VERIFY(!m_engine->throttle().scheduleSlot.has_value());
}

void TestRecordingMode::commandEndsAtItsUntil()
{
    SyncConfig cfg = config(QStringLiteral("rec/until"));
    m_nowMs = localAt(10, 0).toMSecsSinceEpoch();
    cfg.clock = [this] { return QDateTime::fromMSecsSinceEpoch(m_nowMs.load(), Qt::UTC); };
    QVERIFY(open(cfg));
    // An end already past is refused, and changes nothing.
    std::optional<SyncResult<ThrottleState>> refused;
    m_engine->setRecording({true, -1, localAt(9, 0)}, [&refused](const SyncResult<ThrottleState> &r) { refused = r; });
    QTRY_VERIFY(refused.has_value());
    QVERIFY(!*refused);
    QCOMPARE(refused->error().code, SyncError::Code::InvalidInput);
    QVERIFY(!m_engine->throttle().isRecording());

    const auto entered = command({true, -1, localAt(10, 30)});
    QVERIFY(entered);
    QCOMPARE(entered->until, localAt(10, 30));
    QCOMPARE(entered->limitBytesPerSecond, UploadThrottle::kUnmeasuredRecordingLimit);
    m_nowMs = localAt(10, 29).toMSecsSinceEpoch();
    // A couple of the throttle's looks (every 250 ms) at 10:29: still recording.
    QVERIFY(!QTest::qWaitFor([&] { return !m_engine->throttle().isRecording(); }, 600));
    m_nowMs = localAt(10, 30).toMSecsSinceEpoch();
    QTRY_VERIFY(!m_engine->throttle().isRecording());
}

void TestRecordingMode::apiRoutesSetAndShowTheMode()
{
    QVERIFY(open(config(QStringLiteral("rec/api"))));
    ApiConfig apiConfig;
    apiConfig.dataDir = m_fixture.dataDir();
    ApiServer api(*m_engine, apiConfig);
    const auto started = api.start();
    QVERIFY2(started, qPrintable(started.error().message));
    ApiClient client(api.url(), api.token());

    HttpReply reply = client.get(QStringLiteral("/sync/throttle"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("mode")).toString(), QStringLiteral("normal"));
    QVERIFY(reply.json().value(QStringLiteral("limit_bytes_per_second")).isNull());

    const QDateTime before = QDateTime::currentDateTimeUtc();
    reply = client.request(
        "PUT", QStringLiteral("/sync/throttle"), R"({"mode": "recording", "limit": "3M", "for": "30m"})");
    QCOMPARE(reply.status, 200);
    QJsonObject body = reply.json();
    QCOMPARE(body.value(QStringLiteral("mode")).toString(), QStringLiteral("recording"));
    QCOMPARE(body.value(QStringLiteral("reason")).toString(), QStringLiteral("command"));
    QCOMPARE(body.value(QStringLiteral("limit_bytes_per_second")).toInteger(), 3 * kMiB);
    QCOMPARE(body.value(QStringLiteral("parts_per_episode")).toInt(), 1);
    const QDateTime until = QDateTime::fromString(body.value(QStringLiteral("until")).toString(), Qt::ISODateWithMs);
    QVERIFY(until >= before.addSecs(1800) && until <= QDateTime::currentDateTimeUtc().addSecs(1800));
    QCOMPARE(client.get(QStringLiteral("/sync/throttle")).json(), body);
    QCOMPARE(client.get(QStringLiteral("/health"))
                 .json()
                 .value(QStringLiteral("throttle"))
                 .toObject()
                 .value(QStringLiteral("mode"))
                 .toString(),
        QStringLiteral("recording"));
    QByteArray metrics = client.get(QStringLiteral("/metrics")).body;
    QVERIFY(metrics.contains("\nkeystone_recording_mode 1\n"));
    QVERIFY(metrics.contains("\nkeystone_upload_limit_bytes_per_second 3145728\n"));

    // Bad bodies: 400 with a JSON error, and the mode stays as it was.
    const QList<QByteArray> bad{"not json", R"({"mode": "fast"})", R"({"mode": "recording", "limit": "x"})",
        R"({"mode": "recording", "limit": -5})", R"({"mode": "recording", "limit": 1.5})",
        R"({"mode": "normal", "limit": "1M"})", R"({"mode": "recording", "speed": 1})",
        R"({"mode": "recording", "until": "2020-01-01T00:00:00Z"})", R"({"mode": "recording", "until": "tomorrow"})",
        R"({"mode": "recording", "until": "2030-01-01T00:00:00"})",
        R"({"mode": "recording", "until": "2030-01-01T00:00:00Z", "for": "1m"})",
        R"({"mode": "recording", "for": "0s"})", R"({"mode": "recording", "for": "9999h"})"};
    for (const QByteArray &body : bad) {
        const HttpReply refused = client.request("PUT", QStringLiteral("/sync/throttle"), body);
        QVERIFY2(refused.status == 400 && refused.isJsonError(), body.constData());
        QCOMPARE(m_engine->throttle().limitBytesPerSecond, 3 * kMiB);
    }

    reply = client.request("PUT", QStringLiteral("/sync/throttle"), R"({"mode": "normal"})");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("mode")).toString(), QStringLiteral("normal"));
    metrics = client.get(QStringLiteral("/metrics")).body;
    QVERIFY(metrics.contains("\nkeystone_recording_mode 0\n"));
    QVERIFY(metrics.contains("\nkeystone_upload_limit_bytes_per_second 0\n"));
}

QTEST_GUILESS_MAIN(TestRecordingMode)
#include "tst_recordingmode.moc"

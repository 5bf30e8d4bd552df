// Operator truth (issue 15): every state shows what is really verified, in the API, the table and the journal; the
// speed is honest under a bandwidth limit; an outage is said once and every slot works again as soon as the storage
// answers; a changed folder is rescanned instead of failing forever; a wrong secret is said once, not on every row.
// Real engine, real strict S3 server on 127.0.0.1, real catalog; `--server` as a process where the journal is read.
#include "apiclient.h"
#include "catalog/catalog.h"
#include "consoleprocess.h"
#include "consoleserverprocess.h"
#include "episodetablemodel.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/errorhint.h"
#include "sync/progresstext.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using TestData::fault;
using TestData::kMiB;

class TestOperatorTruth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void pauseAndRestartShowVerifiedBytesEverywhere();
    void throttledSpeedIsHonest();
    void outageIsSaidOnceAndEverySlotResumes();
    void rescanContinuesWithUnchangedFiles();
    void wrongSecretIsSaidOnceAndHoldsTheQueue();

private:
    SyncConfig config(const QString &prefix) const;
    // Parts the catalog holds verified for the episode, and their bytes.
    std::pair<int, qint64> recordedParts(const QString &dataDir, qint64 id) const;

    StrictServerFixture m_fixture;
};

void TestOperatorTruth::init()
{
    QVERIFY(m_fixture.makeDir());
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestOperatorTruth::cleanup()
{
    m_fixture.stopServer();
    m_fixture.removeDir();
}

SyncConfig TestOperatorTruth::config(const QString &prefix) const
{
    SyncConfig cfg = m_fixture.syncConfig(prefix);
    cfg.upload.singlePutThreshold = 5 * kMiB;
    return cfg;
}

std::pair<int, qint64> TestOperatorTruth::recordedParts(const QString &dataDir, qint64 id) const
{
    auto catalog = Catalog::open(dataDir);
    if (!catalog)
        return {-1, -1};
    auto files = catalog.value()->loadFiles(id);
    if (!files)
        return {-1, -1};
    int parts = 0;
    qint64 bytes = 0;
    for (const EpisodeFileRecord &file : files.value()) {
        for (const CompletedPart &part : file.parts) {
            ++parts;
            bytes += part.size;
        }
    }
    return {parts, bytes};
}

// Pause at about half: the API, the table and the journal show the verified bytes, not 0. A restart shows them on
// its first poll, also while the resumed upload still lists its parts.
void TestOperatorTruth::pauseAndRestartShowVerifiedBytesEverywhere()
{
    const QString source = m_fixture.filePath(QStringLiteral("truth.bin"));
    QVERIFY(TestData::writeFile(source, TestData::randomBytes(40 * kMiB, 15)));
    const QString dataDir = m_fixture.dataDir();
    QVERIFY(m_fixture.server().injectFault(fault(QStringLiteral("UploadPart"), QStringLiteral("stall"),
        {{QStringLiteral("stall_ms"), 300}, {QStringLiteral("times"), -1}})));
    const QStringList options{QStringLiteral("--part-size"), QStringLiteral("5M"), QStringLiteral("--max-parts"),
        QStringLiteral("2"), QStringLiteral("--log-level"), QStringLiteral("info")};
    ConsoleServerProcess first(m_fixture.server(), dataDir, options);
    QString error;
    QVERIFY2(first.start(&error), qPrintable(error));
    ApiClient client(first.apiBase(), first.token());
    const HttpReply registered = client.registerEpisode(source, QStringLiteral("truth"));
    QVERIFY2(registered.status == 201, registered.body.constData());
    const qint64 id = registered.json().value(QStringLiteral("episode_id")).toInteger();
    const auto progressOf
        = [&](ApiClient &api) { return api.episodeStatus(id).value(QStringLiteral("progress")).toObject(); };
    QTRY_VERIFY_WITH_TIMEOUT(progressOf(client).value(QStringLiteral("parts_completed")).toInt() >= 3, 30000);
    QCOMPARE(client.post(QStringLiteral("/sync/pause")).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(
        client.episodeStatus(id).value(QStringLiteral("stage")).toString(), QStringLiteral("paused"), 10000);

    const QJsonObject paused = client.episodeStatus(id);
    QCOMPARE(paused.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
    const QJsonObject pausedProgress = paused.value(QStringLiteral("progress")).toObject();
    const auto [recorded, recordedBytes] = recordedParts(dataDir, id);
    QVERIFY(recorded >= 3);
    QCOMPARE(pausedProgress.value(QStringLiteral("committed_bytes")).toInteger(), recordedBytes);
    QCOMPARE(pausedProgress.value(QStringLiteral("parts_completed")).toInt(), recorded);
    QCOMPARE(pausedProgress.value(QStringLiteral("inflight_bytes")).toInteger(), 0);
    QCOMPARE(pausedProgress.value(QStringLiteral("bytes_per_second")).toInteger(), 0);
    QVERIFY(pausedProgress.value(QStringLiteral("eta_seconds")).isNull());
    QCOMPARE(pausedProgress.value(QStringLiteral("percent")).toInt(), int(recordedBytes * 100 / (40 * kMiB)));
    QCOMPARE(paused.value(QStringLiteral("attempts")).toInt(), 1);
    QCOMPARE(first.terminate(), 0);
    const QString journal = QString::fromUtf8(first.output());
    QVERIFY2(journal.contains(
                 QStringLiteral("keystone.journal info: episode %1 \"truth\": registered, 40.0 MiB in 1 file").arg(id)),
        qPrintable(journal));
    QVERIFY(journal.contains(QStringLiteral("episode %1 \"truth\": uploading, attempt 1").arg(id)));
    QVERIFY2(journal.contains(QStringLiteral("episode %1 \"truth\": paused, %2 verified")
                                  .arg(id)
                                  .arg(ProgressText::amount(recordedBytes, 40 * kMiB))),
        qPrintable(journal));
    QVERIFY(!journal.contains(QLatin1String("job failed"))); // a pause is not a failure
    // At info, progress every 10 %: the pause came after at least three of eight parts.
    for (const int percent : {10, 20, 30})
        QVERIFY2(
            journal.contains(
                QStringLiteral("keystone.journal.progress info: episode %1 \"truth\": %2 %, ").arg(id).arg(percent)),
            qPrintable(journal));
    QVERIFY(!journal.contains(QString::fromLatin1(m_fixture.server().secretAccessKey())));
    QCOMPARE(journal.count(QStringLiteral("credentials:")), 1);

    // Restart in process, with ListParts slow: the first poll, and every poll while it resumes, shows the parts.
    QVERIFY(m_fixture.server().injectFault(fault(QStringLiteral("ListParts"), QStringLiteral("stall"),
        {{QStringLiteral("stall_ms"), 1500}, {QStringLiteral("times"), 1}})));
    SyncConfig cfg = config(QStringLiteral("episodes"));
    cfg.upload.partSize = 5 * kMiB;
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    EpisodeTableModel table(*engine);
    const auto firstPoll = engine->status(id);
    QVERIFY(firstPoll && firstPoll->progress);
    QCOMPARE(firstPoll->progress->committedBytes, recordedBytes);
    const int row = table.rowOf(id);
    QCOMPARE(EpisodeTableModel::progressOf(table.statusAt(row)).committed, recordedBytes);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->stage, EpisodeStage::Resuming, 10000);
    QCOMPARE(engine->status(id)->progress->committedBytes, recordedBytes); // not 0 while ListParts runs
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Completed, 60000);
    QCOMPARE(engine->status(id)->record.attemptsMade, 2); // every attempt counts, the paused one too
}

// Under a bandwidth limit the reported speed is within 10 % of the real average from two seconds on, and the ETA
// stays unknown before then.
void TestOperatorTruth::throttledSpeedIsHonest()
{
    constexpr qint64 kRate = 4 * kMiB;
    constexpr qint64 kSize = 20 * kMiB;
    SyncConfig cfg = config(QStringLiteral("speed"));
    cfg.bandwidthLimit = kRate;
    cfg.upload.partSize = 5 * kMiB;
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const QString path = m_fixture.filePath(QStringLiteral("throttled.bin"));
    QVERIFY(TestData::writeFile(path, TestData::randomBytes(kSize, 3)));
    const qint64 id = TestData::registerEpisode(*engine, path, QStringLiteral("throttled"));
    QVERIFY(id > 0);

    struct Sample
    {
        qint64 ms;
        double speed;
        qint64 eta;
    };
    QList<Sample> samples;
    QElapsedTimer clock;
    qint64 endMs = -1;
    QTimer poll;
    poll.setInterval(100);
    connect(&poll, &QTimer::timeout, this, [&] {
        const auto status = engine->status(id);
        if (!status)
            return;
        if (status->record.state == EpisodeState::InProgress && status->progress) {
            if (!clock.isValid())
                clock.start();
            samples.append({clock.elapsed(), status->progress->bytesPerSecond, status->progress->etaSeconds});
        } else if (status->record.state == EpisodeState::Completed && clock.isValid() && endMs < 0) {
            endMs = clock.elapsed();
        }
    });
    poll.start();
    QTRY_VERIFY_WITH_TIMEOUT(endMs > 0, 60000);
    const double average = double(kSize) * 1000.0 / double(endMs);
    qInfo() << "real average" << average / kMiB << "MiB/s over" << endMs << "ms," << samples.size() << "samples";
    int checked = 0;
    for (const Sample &sample : std::as_const(samples)) {
        if (sample.ms < 2000) {
            QVERIFY2(sample.eta < 0, qPrintable(QStringLiteral("ETA %1 s at %2 ms").arg(sample.eta).arg(sample.ms)));
            continue;
        }
        if (sample.ms > endMs - 300) // Complete and the manifest: nothing moves, the window empties
            continue;
        QVERIFY2(qAbs(sample.speed - average) <= 0.1 * average,
            qPrintable(QStringLiteral("%1 MiB/s at %2 ms; real average %3 MiB/s")
                           .arg(sample.speed / kMiB)
                           .arg(sample.ms)
                           .arg(average / kMiB)));
        ++checked;
    }
    QVERIFY2(checked >= 10, qPrintable(QString::number(checked)));
}

// The storage is unreachable: episodes wait with stage waiting_storage, the engine says "unreachable" once (health,
// metrics' source); once it answers, both slots are busy within one probe, and the probe's stale error is gone.
void TestOperatorTruth::outageIsSaidOnceAndEverySlotResumes()
{
    const quint16 port = TestData::closedPort(); // nobody listens there yet
    QVERIFY(port != 0);
    m_fixture.newServer().setPort(port);
    SyncConfig cfg = config(QStringLiteral("outage"));
    cfg.profile.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)); // nobody listens yet
    cfg.unreachableRetry = RetryPolicy(1, 500, 1000, RetryPolicy::Jitter::Equal);
    cfg.maxConcurrentEpisodes = 2;
    cfg.bandwidthLimit = 4 * kMiB; // each episode takes seconds: a slot waiting for the probe to end would show
    cfg.upload.partSize = 5 * kMiB;
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        const QString path = m_fixture.filePath(QStringLiteral("out-%1.bin").arg(i));
        QVERIFY(TestData::writeFile(path, TestData::randomBytes(12 * kMiB, quint32(60 + i))));
        ids.append(TestData::registerEpisode(*engine, path, QStringLiteral("out-%1").arg(i)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(engine->storageHealth().state, StorageHealth::State::Unreachable, 10000);
    QVERIFY(engine->storageHealth().since.isValid());
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(ids.cbegin(), ids.cend(),
                                 [&](qint64 id) {
                                     return engine->status(id)->stage == EpisodeStage::WaitingStorage
                                         || engine->status(id)->record.state == EpisodeState::InProgress;
                                 }),
        5000);
    const auto waiting = std::count_if(
        ids.cbegin(), ids.cend(), [&](qint64 id) { return engine->status(id)->stage == EpisodeStage::WaitingStorage; });
    QVERIFY(waiting >= 2);
    for (const qint64 id : std::as_const(ids))
        QCOMPARE(engine->status(id)->record.attemptsMade > 0 ? engine->status(id)->record.attempts : 0, 0);

    QString error;
    QVERIFY2(m_fixture.server().start(&error), qPrintable(error));
    const auto running = [&] {
        return std::count_if(ids.cbegin(), ids.cend(),
            [&](qint64 id) { return engine->status(id)->record.state == EpisodeState::InProgress; });
    };
    // One probe (≤ 1 s) after the storage is back, both slots upload: no slot waits for the probe's episode to end.
    QTRY_COMPARE_WITH_TIMEOUT(running(), 2, 4000);
    QVERIFY(std::none_of(ids.cbegin(), ids.cend(),
        [&](qint64 id) { return engine->status(id)->record.state == EpisodeState::Completed; }));
    QCOMPARE(engine->storageHealth().state, StorageHealth::State::Ok);
    for (const qint64 id : std::as_const(ids)) {
        const EpisodeStatus status = *engine->status(id);
        if (status.record.state == EpisodeState::InProgress)
            QTRY_VERIFY(!engine->status(id)->record.hasError()); // the old "Unreachable" does not stay on the row
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(ids.cbegin(), ids.cend(),
            [&](qint64 id) { return engine->status(id)->record.state == EpisodeState::Completed; }),
        60000);
}

// A file of a registered folder is deleted: the episode fails with FileMissing and a hint that says Rescan; Rescan
// continues with the files that are still there, sending none of the completed ones again.
void TestOperatorTruth::rescanContinuesWithUnchangedFiles()
{
    SyncConfig cfg = config(QStringLiteral("rescan"));
    const QString folder = m_fixture.filePath(QStringLiteral("folder"));
    QVERIFY(TestData::writeFile(folder + QStringLiteral("/a.bin"), TestData::randomBytes(300 * 1024, 1)));
    QVERIFY(TestData::writeFile(folder + QStringLiteral("/b.bin"), TestData::randomBytes(300 * 1024, 2)));
    QVERIFY(TestData::writeFile(folder + QStringLiteral("/c.bin"), TestData::randomBytes(300 * 1024, 3)));
    // One file at a time, in order: a.bin completes, then b.bin is found missing.
    cfg.upload.concurrency = 1;
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    engine->pauseAll();
    const qint64 id = TestData::registerEpisode(*engine, folder, QStringLiteral("folder"));
    QVERIFY(id > 0);
    QVERIFY(QFile::remove(folder + QStringLiteral("/b.bin")));
    engine->resumeAll();
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Failed, 30000);
    const EpisodeRecord failed = engine->status(id)->record;
    QCOMPARE(failed.lastErrorCode, QStringLiteral("FileMissing"));
    QVERIFY2(!failed.lastErrorMessage.startsWith(QLatin1String("FileMissing")), qPrintable(failed.lastErrorMessage));
    QVERIFY(ErrorHint::forCode(failed.lastErrorCode).contains(QLatin1String("Rescan")));
    const int putsBefore = m_fixture.server().requestCount(QStringLiteral("PutObject"));

    std::optional<SyncResult<EpisodeStatus>> rescanned;
    engine->rescan(id, [&](const SyncResult<EpisodeStatus> &result) { rescanned = result; });
    QTRY_VERIFY(rescanned.has_value());
    QVERIFY2(rescanned->ok(), qPrintable(rescanned->error().message));
    QCOMPARE(rescanned->value().record.fileCount, 2);
    QCOMPARE(rescanned->value().record.totalBytes, 600 * 1024);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Completed, 30000);
    // Only c.bin went out again, then the manifest: a.bin completed before b.bin was found missing.
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("PutObject")) - putsBefore, 2);
    QByteArray manifest;
    QVERIFY(m_fixture.server().getObject(cfg.keyPrefix + QStringLiteral("/folder.manifest.json"), &manifest));
    QVERIFY(!manifest.contains("b.bin"));
    QVERIFY(manifest.contains("a.bin") && manifest.contains("c.bin"));

    // A completed episode is final; an unknown one is not found.
    std::optional<SyncResult<EpisodeStatus>> again;
    engine->rescan(id, [&](const SyncResult<EpisodeStatus> &result) { again = result; });
    QTRY_VERIFY(again.has_value());
    QCOMPARE(again->error().code, SyncError::Code::InvalidTransition);
}

// A wrong secret: the first attempt fails (as before), the engine says "credentials rejected" once (journal, health,
// metrics) with what to do, and the other episodes wait instead of failing one by one. The secret is never printed.
void TestOperatorTruth::wrongSecretIsSaidOnceAndHoldsTheQueue()
{
    QProcessEnvironment environment = ConsoleProcess::cleanEnvironment();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(m_fixture.server().accessKeyId()));
    const QString wrongSecret = QStringLiteral("not-the-secret-4Kq9");
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), wrongSecret);
    ConsoleProcess console(ConsoleServerProcess::programPath(), environment);
    console.process().setProcessChannelMode(QProcess::MergedChannels); // the journal is on stderr
    const ConsoleServerProcess reference(m_fixture.server(), m_fixture.dataDir());
    QString error;
    QVERIFY2(console.start(reference.arguments(), &error), qPrintable(error));
    ApiClient client(console.apiUrl(), console.token());
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        const QString path = m_fixture.filePath(QStringLiteral("s-%1.bin").arg(i));
        QVERIFY(TestData::writeFile(path, TestData::randomBytes(100 * 1024, quint32(i))));
        const HttpReply reply = client.registerEpisode(path, QStringLiteral("s-%1").arg(i));
        QVERIFY2(reply.status == 201, reply.body.constData());
        ids.append(reply.json().value(QStringLiteral("episode_id")).toInteger());
    }
    QTRY_COMPARE_WITH_TIMEOUT(client.get(QStringLiteral("/health"))
                                  .json()
                                  .value(QStringLiteral("storage"))
                                  .toObject()
                                  .value(QStringLiteral("state"))
                                  .toString(),
        QStringLiteral("credentials_rejected"), 15000);
    const QJsonObject storage = client.get(QStringLiteral("/sync/storage")).json();
    QVERIFY(storage.value(QStringLiteral("detail")).toString().contains(QLatin1String("SignatureDoesNotMatch")));
    QVERIFY(storage.value(QStringLiteral("hint")).toString().contains(QLatin1String("Settings")));
    QVERIFY(client.get(QStringLiteral("/metrics"))
                .body.contains("keystone_storage_state{state=\"credentials_rejected\"} 1"));
    int failed = 0, waiting = 0;
    for (const qint64 id : std::as_const(ids)) {
        const QJsonObject status = client.episodeStatus(id);
        failed += status.value(QStringLiteral("status")).toString() == QLatin1String("failed");
        waiting += status.value(QStringLiteral("stage")).toString() == QLatin1String("waiting_storage");
    }
    QCOMPARE(failed, 1); // the attempt that found out; the others wait for new settings or a retry
    QCOMPARE(waiting, 2);
    QCOMPARE(console.terminate(30000), 0);
    const QString output = QString::fromUtf8(console.standardOutput());
    QVERIFY2(output.count(QStringLiteral("storage: credentials rejected since ")) == 1, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral(": failed (")), qPrintable(output));
    QVERIFY(!output.contains(wrongSecret));
}

QTEST_GUILESS_MAIN(TestOperatorTruth)
#include "tst_operatortruth.moc"

// Network (issue 8): the storage is unreachable when the engine starts (nothing listens on its port). Episodes wait
// with a capped backoff, spending no attempts and next to no CPU, and complete once a server starts on that port.
#include "s3serverprocess.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using TestData::kMiB;

namespace {

qint64 cpuTimeMs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage); // every thread of this process: the engine's and the transfer threads
    const auto ms = [](const timeval &t) { return qint64(t.tv_sec) * 1000 + t.tv_usec / 1000; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

} // namespace

class TestUnreachableServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void episodesWaitIdleAndProceedWhenServerComes();
};

void TestUnreachableServer::episodesWaitIdleAndProceedWhenServerComes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A port nothing listens on: bound once to learn a free one, then closed. Connections are refused.
    const quint16 port = TestData::closedPort(); // nobody listens there yet
    QVERIFY(port != 0);
    S3ServerProcess server(S3ServerProcess::Kind::Strict);
    server.setPort(port);

    SyncConfig config = TestData::syncConfig(server, dir.filePath(QStringLiteral("data")), QStringLiteral("offline"));
    config.profile.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)); // not started yet
    config.upload.singlePutThreshold = 5 * kMiB;
    config.upload.retry = RetryPolicy(3, 100, 400);
    config.unreachableRetry = RetryPolicy(1, 1000, 4000, RetryPolicy::Jitter::Equal); // a 4 s cap keeps the test short
    config.schedulerIntervalMs = 1000; // the product's tick, so the idle figure is the product's

    QList<std::pair<QString, QByteArray>> files;
    for (int i = 0; i < 3; ++i) {
        const QString path = dir.filePath(QStringLiteral("ep-%1.bin").arg(i));
        files.append({path, TestData::randomBytes(i == 0 ? 7 * kMiB : 200 * 1024, quint32(50 + i))});
        QVERIFY(TestData::writeFile(path, files.last().second));
    }
    auto engine = TestData::openSyncEngine(config);
    QVERIFY(engine);
    QList<qint64> ids;
    for (const auto &[path, data] : std::as_const(files))
        ids.append(TestData::registerEpisode(*engine, path, QFileInfo(path).fileName()));
    QVERIFY(!ids.contains(0));

    // The first attempt finds nobody listening: the episode waits, the attempt not counted, the reason kept.
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(ids[0])->record.lastErrorCode, QStringLiteral("Unreachable"), 20000);
    QCOMPARE(engine->status(ids[0])->record.state, EpisodeState::Pending);
    QCOMPARE(engine->status(ids[0])->record.attempts, 0);

    // A waiting window: CPU near idle, and the number of attempts bounded by the backoff (1, 2, 4, 4 … s).
    const auto unreachableAttempts = [&] {
        int count = 0;
        for (const qint64 id : std::as_const(ids)) {
            bool done = false;
            engine->logs(id, 1000, [&](const SyncResult<QList<SyncLogEntry>> &logs) {
                for (const SyncLogEntry &entry : logs.value())
                    count += entry.result == QLatin1String("unreachable") ? 1 : 0;
                done = true;
            });
            if (!QTest::qWaitFor([&] { return done; }, 5000))
                return -1; // the engine did not answer: fails the bounds below
        }
        return count;
    };
    const int attemptsBefore = unreachableAttempts();
    const qint64 cpuBefore = cpuTimeMs();
    constexpr int kWindowMs = 8000;
    QTest::qWait(kWindowMs); // the measurement window itself, not a synchronisation
    const qint64 cpuMs = cpuTimeMs() - cpuBefore;
    const int attemptsInWindow = unreachableAttempts() - attemptsBefore;
    qInfo().noquote() << QStringLiteral("FIGURES unreachable: %1 ms CPU in a %2 ms wait (%3 %), %4 attempts")
                             .arg(cpuMs)
                             .arg(kWindowMs)
                             .arg(100.0 * double(cpuMs) / kWindowMs, 0, 'f', 2)
                             .arg(attemptsInWindow);
    QVERIFY2(cpuMs < kWindowMs / 20, qPrintable(QString::number(cpuMs))); // under 5 % of one core
    // One probing episode at a time, waits of at least 0.5, 1, then 2 s (equal jitter: half the 1, 2, 4 s steps),
    // each attempt at most 3 refused connects: at most 5 attempts (15 connects) in 8 s.
    QVERIFY2(attemptsInWindow >= 1 && attemptsInWindow <= 5, qPrintable(QString::number(attemptsInWindow)));
    // Waiting, attempts not counted. One episode may be probing at this very moment (in_progress, its attempt
    // counted until the refused connects give it back): never more than one.
    int probing = 0;
    for (const qint64 id : std::as_const(ids)) {
        const EpisodeRecord record = engine->status(id)->record;
        const bool probe = record.state == EpisodeState::InProgress;
        probing += probe ? 1 : 0;
        QVERIFY(probe || record.state == EpisodeState::Pending);
        QCOMPARE(record.attempts, probe ? 1 : 0);
    }
    QVERIFY(probing <= 1);

    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QCOMPARE(server.port(), port);
    const auto allCompleted = [&] {
        return std::all_of(ids.cbegin(), ids.cend(),
            [&](qint64 id) { return engine->status(id)->record.state == EpisodeState::Completed; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(allCompleted(), 30000);
    for (const auto &[path, data] : std::as_const(files)) {
        QByteArray stored;
        const QString name = QFileInfo(path).fileName();
        QVERIFY(server.getObject(QStringLiteral("offline/%1/%1").arg(name), &stored)); // <prefix>/<episode>/<file>
        QVERIFY(stored == data);
    }
}

QTEST_GUILESS_MAIN(TestUnreachableServer)
#include "tst_unreachableserver.moc"

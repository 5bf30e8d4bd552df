// The folder watch (--watch) with a real engine: a SQLite catalog in a temporary data directory, uploads to the strict
// S3 server, folders written on disk while the watcher scans. The test steps on the engine's folderScanned signal
// (two scans after a write: at least one whole scan saw it), never on sleeps.
#include "consoleserverprocess.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/episodesynchooks.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <utility>

namespace {

using TestData::kMiB;
using TestData::randomBytes;
using TestData::writeFile;

bool appendFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::Append) && file.write(data) == data.size();
}

} // namespace

class TestFolderWatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void folderInPiecesIsRegisteredOnceWhenStable();
    void markerRegistersAtOnceAndIsNotUploaded();
    void restartDoesNotRegisterAgain();
    void removedEpisodeDoesNotComeBack();
    void hiddenFoldersAndLooseFilesAreIgnored();
    void nameClashGetsSuffix();
    void folderRegisteredByHandIsAdopted();
    void serverProcessWatches();

private:
    SyncConfig config(int stableSeconds) const;
    // Waits until the engine's watcher finished `scans` more scans.
    bool waitForScans(SyncEngine &engine, int scans = 2);
    QString watchPath(const QString &relative) const { return m_fixture.filePath(QStringLiteral("watch/") + relative); }
    bool writeMarker(const QString &folder) { return writeFile(watchPath(folder + QStringLiteral("/.done")), {}); }
    bool removeEpisode(SyncEngine &engine, qint64 id);

    StrictServerFixture m_fixture;
};

void TestFolderWatch::initTestCase()
{
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestFolderWatch::init()
{
    QVERIFY(m_fixture.makeDir());
    QVERIFY(QDir(m_fixture.path()).mkpath(QStringLiteral("watch")));
}

void TestFolderWatch::cleanup()
{
    m_fixture.removeDir();
}

SyncConfig TestFolderWatch::config(int stableSeconds) const
{
    SyncConfig config
        = m_fixture.syncConfig(QStringLiteral("watch/%1").arg(QString::fromLatin1(QTest::currentTestFunction())));
    config.watch.dir = m_fixture.filePath(QStringLiteral("watch"));
    config.watch.stableSeconds = stableSeconds;
    config.watch.scanIntervalMs = 100;
    return config;
}

bool TestFolderWatch::waitForScans(SyncEngine &engine, int scans)
{
    QSignalSpy spy(&engine, &SyncEngine::folderScanned);
    return QTest::qWaitFor([&] { return spy.count() >= scans; }, 10000);
}

bool TestFolderWatch::removeEpisode(SyncEngine &engine, qint64 id)
{
    std::optional<SyncResult<void>> removed;
    engine.remove(id, [&](const SyncResult<void> &result) { removed = result; });
    return QTest::qWaitFor([&] { return removed.has_value(); }, 10000) && removed->ok();
}

void TestFolderWatch::folderInPiecesIsRegisteredOnceWhenStable()
{
    const int stableSeconds = 2;
    const SyncConfig cfg = config(stableSeconds);
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    QVERIFY(waitForScans(*engine));

    // The way a recorder writes: a file that grows, more files arriving, each seen by the watcher in between.
    const QByteArray video = randomBytes(12 * kMiB + 7, 1);
    const QByteArray imu = randomBytes(300'000, 2);
    const QByteArray meta = randomBytes(1000, 3);
    QVERIFY(writeFile(watchPath(QStringLiteral("run-a/cam/video.bin")), video.left(3 * kMiB)));
    QVERIFY(waitForScans(*engine));
    QVERIFY(engine->allStatuses().isEmpty());
    QVERIFY(appendFile(watchPath(QStringLiteral("run-a/cam/video.bin")), video.mid(3 * kMiB, 6 * kMiB)));
    QVERIFY(waitForScans(*engine));
    QVERIFY(engine->allStatuses().isEmpty());
    QVERIFY(writeFile(watchPath(QStringLiteral("run-a/imu.bin")), imu));
    QVERIFY(waitForScans(*engine));
    QVERIFY(engine->allStatuses().isEmpty());
    QVERIFY(appendFile(watchPath(QStringLiteral("run-a/cam/video.bin")), video.mid(9 * kMiB)));
    QVERIFY(writeFile(watchPath(QStringLiteral("run-a/meta.json")), meta));
    QElapsedTimer sinceLastWrite;
    sinceLastWrite.start();
    QVERIFY(waitForScans(*engine));
    QVERIFY2(engine->allStatuses().isEmpty(), "registered before it was stable");

    QTRY_COMPARE_WITH_TIMEOUT(engine->allStatuses().size(), 1, 15000);
    QVERIFY2(sinceLastWrite.elapsed() >= stableSeconds * 1000,
        qPrintable(QStringLiteral("registered %1 ms after the last write").arg(sinceLastWrite.elapsed())));
    QTRY_VERIFY(engine->allStatuses().first().record.state != EpisodeState::Scanning); // its files listed
    const EpisodeRecord record = engine->allStatuses().first().record;
    QCOMPARE(record.name, QStringLiteral("run-a"));
    QCOMPARE(record.localPath, QFileInfo(watchPath(QStringLiteral("run-a"))).absoluteFilePath());
    QCOMPARE(record.fileCount, 3);
    QCOMPARE(record.totalBytes, video.size() + imu.size() + meta.size());

    QTRY_COMPARE_WITH_TIMEOUT(engine->status(record.id)->record.state, EpisodeState::Completed, 60000);
    const QString prefix = cfg.keyPrefix + QStringLiteral("/run-a/");
    for (const auto &[relative, data] : {std::pair{QStringLiteral("cam/video.bin"), video},
             std::pair{QStringLiteral("imu.bin"), imu}, std::pair{QStringLiteral("meta.json"), meta}}) {
        QByteArray stored;
        QVERIFY2(m_fixture.server().getObject(prefix + relative, &stored), qPrintable(relative));
        QVERIFY2(stored == data, qPrintable(relative));
    }
    QVERIFY(waitForScans(*engine, 5));
    QCOMPARE(engine->allStatuses().size(), 1); // once
}

void TestFolderWatch::markerRegistersAtOnceAndIsNotUploaded()
{
    const SyncConfig cfg = config(3600); // only the marker can make it ready within this test
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const QByteArray data = randomBytes(70'000, 4);
    QVERIFY(writeFile(watchPath(QStringLiteral("run-m/data.bin")), data));
    QVERIFY(waitForScans(*engine));
    QVERIFY(engine->allStatuses().isEmpty());
    QVERIFY(writeMarker(QStringLiteral("run-m")));
    QVERIFY(waitForScans(*engine));
    QCOMPARE(engine->allStatuses().size(), 1);
    QTRY_VERIFY(engine->allStatuses().first().record.state != EpisodeState::Scanning); // its files listed
    const EpisodeRecord record = engine->allStatuses().first().record;
    QCOMPARE(record.fileCount, 1);
    QCOMPARE(record.totalBytes, data.size());

    QTRY_COMPARE_WITH_TIMEOUT(engine->status(record.id)->record.state, EpisodeState::Completed, 30000);
    const QString prefix = cfg.keyPrefix + QStringLiteral("/run-m");
    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(prefix + QStringLiteral("/data.bin"), &stored));
    QVERIFY(stored == data);
    QVERIFY(!m_fixture.server().getObject(prefix + QStringLiteral("/.done"), &stored));
    QByteArray manifest;
    QVERIFY(m_fixture.server().getObject(EpisodeSyncHooks::manifestKey(prefix), &manifest));
    QCOMPARE(QJsonDocument::fromJson(manifest).object().value(QStringLiteral("files")).toArray().size(), 1);
}

void TestFolderWatch::restartDoesNotRegisterAgain()
{
    const SyncConfig cfg = config(1);
    qint64 id = 0;
    {
        auto engine = TestData::openSyncEngine(cfg);
        QVERIFY(engine);
        QVERIFY(writeFile(watchPath(QStringLiteral("run-r/a.bin")), randomBytes(5000, 5)));
        QVERIFY(writeMarker(QStringLiteral("run-r")));
        QTRY_COMPARE_WITH_TIMEOUT(engine->allStatuses().size(), 1, 10000);
        id = engine->allStatuses().first().record.id;
        QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Completed, 30000);
    }
    // Same data directory, same folder (still marked, long stable): known from the catalog, not new.
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    QVERIFY(waitForScans(*engine, 15)); // well past the stable period
    QCOMPARE(engine->allStatuses().size(), 1);
    QCOMPARE(engine->allStatuses().first().record.id, id);
    QCOMPARE(engine->allStatuses().first().record.state, EpisodeState::Completed);
}

void TestFolderWatch::removedEpisodeDoesNotComeBack()
{
    const SyncConfig cfg = config(1);
    {
        auto engine = TestData::openSyncEngine(cfg);
        QVERIFY(engine);
        engine->pauseAll(); // nothing needs to upload here
        QVERIFY(writeFile(watchPath(QStringLiteral("run-d/a.bin")), randomBytes(5000, 6)));
        QVERIFY(writeMarker(QStringLiteral("run-d")));
        QTRY_COMPARE_WITH_TIMEOUT(engine->allStatuses().size(), 1, 10000);
        QTRY_VERIFY(engine->allStatuses().first().record.state != EpisodeState::Scanning); // removable
        QVERIFY(removeEpisode(*engine, engine->allStatuses().first().record.id));
        QVERIFY(engine->allStatuses().isEmpty());
        QVERIFY(waitForScans(*engine, 15));
        QVERIFY(engine->allStatuses().isEmpty());
    }
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    QVERIFY(waitForScans(*engine, 15));
    QVERIFY(engine->allStatuses().isEmpty());
}

void TestFolderWatch::hiddenFoldersAndLooseFilesAreIgnored()
{
    auto engine = TestData::openSyncEngine(config(1));
    QVERIFY(engine);
    engine->pauseAll();
    QVERIFY(writeFile(watchPath(QStringLiteral(".partial/a.bin")), randomBytes(100, 7)));
    QVERIFY(writeMarker(QStringLiteral(".partial")));
    QVERIFY(writeFile(watchPath(QStringLiteral("loose.bin")), randomBytes(100, 8)));
    QVERIFY(QDir().mkpath(watchPath(QStringLiteral("empty/nested"))));
    // A folder that does count, so that the watcher is known to be at work.
    QVERIFY(writeFile(watchPath(QStringLiteral("visible/a.bin")), randomBytes(100, 9)));
    QTRY_COMPARE_WITH_TIMEOUT(engine->allStatuses().size(), 1, 10000);
    QVERIFY(waitForScans(*engine, 15));
    const QList<EpisodeStatus> all = engine->allStatuses();
    QCOMPARE(all.size(), 1);
    QCOMPARE(all.first().record.name, QStringLiteral("visible"));
}

void TestFolderWatch::nameClashGetsSuffix()
{
    auto engine = TestData::openSyncEngine(config(3600));
    QVERIFY(engine);
    engine->pauseAll();
    QVERIFY(writeFile(m_fixture.filePath(QStringLiteral("elsewhere.bin")), "x"));
    QVERIFY(
        TestData::registerEpisode(*engine, m_fixture.filePath(QStringLiteral("elsewhere.bin")), QStringLiteral("clash"))
        > 0);
    QVERIFY(writeFile(watchPath(QStringLiteral("clash/a.bin")), randomBytes(100, 10)));
    QVERIFY(writeMarker(QStringLiteral("clash")));
    QTRY_COMPARE_WITH_TIMEOUT(engine->allStatuses().size(), 2, 10000);
    QCOMPARE(engine->allStatuses().last().record.name, QStringLiteral("clash-2"));
}

void TestFolderWatch::folderRegisteredByHandIsAdopted()
{
    const SyncConfig cfg = config(1);
    {
        auto engine = TestData::openSyncEngine(cfg);
        QVERIFY(engine);
        engine->pauseAll();
        QVERIFY(writeFile(watchPath(QStringLiteral("by-hand/a.bin")), randomBytes(100, 11)));
        QVERIFY(TestData::registerEpisode(*engine, watchPath(QStringLiteral("by-hand")), QStringLiteral("manual")) > 0);
        QVERIFY(waitForScans(*engine, 15));
        QCOMPARE(engine->allStatuses().size(), 1);
        QCOMPARE(engine->allStatuses().first().record.name, QStringLiteral("manual"));
        // Adopted, so the folder stays known even once its episode is removed.
        QVERIFY(removeEpisode(*engine, engine->allStatuses().first().record.id));
    }
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    QVERIFY(waitForScans(*engine, 15));
    QVERIFY(engine->allStatuses().isEmpty());
}

void TestFolderWatch::serverProcessWatches()
{
    const QString watch = m_fixture.filePath(QStringLiteral("watch"));
    const QString dataDir = m_fixture.dataDir();
    const QStringList prefix{QStringLiteral("--key-prefix"), QStringLiteral("e2e")};
    QString error;

    ConsoleServerProcess refused(m_fixture.server(), dataDir,
        prefix + QStringList{QStringLiteral("--watch"), m_fixture.filePath(QStringLiteral("missing"))});
    QVERIFY(!refused.start(&error));
    QCOMPARE(refused.process().state(), QProcess::NotRunning);
    QCOMPARE(refused.process().exitCode(), 2);
    QVERIFY2(refused.output().contains("--watch"), refused.output().constData());

    ConsoleServerProcess server(m_fixture.server(), dataDir,
        prefix
            + QStringList{QStringLiteral("--watch"), watch, QStringLiteral("--watch-stable-seconds"),
                QStringLiteral("1"), QStringLiteral("--watch-marker"), QStringLiteral("READY")});
    QVERIFY2(server.start(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(server.output().contains("Watching"), 10000);
    QVERIFY2(server.output().contains("READY"), server.output().constData());

    const QByteArray data = randomBytes(40'000, 12);
    QVERIFY(writeFile(watch + QStringLiteral("/from-server/data.bin"), data));
    QVERIFY(writeFile(watch + QStringLiteral("/from-server/READY"), {}));
    QByteArray stored;
    QTRY_VERIFY_WITH_TIMEOUT(
        m_fixture.server().getObject(QStringLiteral("e2e/from-server.manifest.json"), &stored), 30000);
    QVERIFY(m_fixture.server().getObject(QStringLiteral("e2e/from-server/data.bin"), &stored));
    QVERIFY(stored == data);
    QVERIFY(!m_fixture.server().getObject(QStringLiteral("e2e/from-server/READY"), &stored));

    QCOMPARE(server.terminate(15000), 0); // SIGTERM: a normal exit
}

QTEST_GUILESS_MAIN(TestFolderWatch)
#include "tst_folderwatch.moc"

// Never lags (issue 16), the engine's part: a registration lists its files on a worker, so commands answer while a
// 50,000-file tree is scanned; the scan shows as `scanning`, can be cancelled, is refused over the file limit, and
// survives a stop; transfer threads run at a lower CPU and I/O priority than the threads people see.
// Real engine, real catalog, real strict S3 server on 127.0.0.1, real files.
#include "catalog/catalog.h"
#include "core/backgroundpriority.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <optional>

using TestData::kMiB;

class TestNeverLags : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void commandsAnswerWhileALargeTreeIsScanned();
    void cancelWithdrawsARegistration();
    void treeOverTheLimitIsRefused();
    void rescanOverTheLimitLeavesTheEpisodeAsItWas();
    void registrationInterruptedByAStopIsScannedAgain();
    void backgroundThreadsRunLowered();
    void transferThreadsRunLowered();

private:
    SyncConfig config() const;
    // Registers path and waits for the answer (the end of its scan).
    SyncResult<EpisodeStatus> registerAndWait(SyncEngine &engine, const QString &path, const QString &name);
    static std::optional<qint64> scanningEpisode(const SyncEngine &engine);

    QTemporaryDir m_trees; // shared by the tests: writing 50,000 files takes a while
    QString m_bigTree;
    StrictServerFixture m_fixture;
};

namespace {

constexpr int kBigTreeFiles = 50'000;

bool writeTree(const QString &root, int files, int perFolder)
{
    for (int i = 0; i < files; ++i) {
        const QString folder = QStringLiteral("%1/d%2").arg(root).arg(i / perFolder, 4, 10, QLatin1Char('0'));
        if (i % perFolder == 0 && !QDir().mkpath(folder))
            return false;
        QFile file(QStringLiteral("%1/f%2").arg(folder).arg(i));
        if (!file.open(QIODevice::WriteOnly) || file.write("x") != 1)
            return false;
    }
    return true;
}

} // namespace

void TestNeverLags::initTestCase()
{
    QVERIFY(m_trees.isValid());
    m_bigTree = m_trees.filePath(QStringLiteral("big"));
    QVERIFY(writeTree(m_bigTree, kBigTreeFiles, 1000));
}

void TestNeverLags::init()
{
    QVERIFY(m_fixture.makeDir());
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestNeverLags::cleanup()
{
    m_fixture.stopServer();
    m_fixture.removeDir();
}

SyncConfig TestNeverLags::config() const
{
    return m_fixture.syncConfig(QStringLiteral("lags"));
}

SyncResult<EpisodeStatus> TestNeverLags::registerAndWait(SyncEngine &engine, const QString &path, const QString &name)
{
    std::optional<SyncResult<EpisodeStatus>> answer;
    engine.registerEpisode(path, name, [&answer](const SyncResult<EpisodeStatus> &result) { answer = result; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 60'000))
        return SyncError{SyncError::Code::None, QStringLiteral("no answer")};
    return *answer;
}

std::optional<qint64> TestNeverLags::scanningEpisode(const SyncEngine &engine)
{
    for (const EpisodeStatus &status : engine.allStatuses()) {
        if (status.record.state == EpisodeState::Scanning)
            return status.record.id;
    }
    return std::nullopt;
}

void TestNeverLags::commandsAnswerWhileALargeTreeIsScanned()
{
    auto engine = TestData::openSyncEngine(config());
    QVERIFY(engine);
    engine->pauseAll(); // nothing uploads: the test is about the engine thread's answers
    const QString small = m_fixture.filePath(QStringLiteral("small.bin"));
    QVERIFY(TestData::writeFile(small, TestData::randomBytes(1000, 1)));
    const qint64 smallId = TestData::registerEpisode(*engine, small, QStringLiteral("small"));
    QVERIFY(smallId > 0);

    // Both commands are queued to the engine thread one after the other. Had the scan run there, the second would
    // wait for all 50,000 stats; now it answers while the first is still scanning.
    std::optional<SyncResult<EpisodeStatus>> registered;
    std::optional<SyncResult<EpisodeStatus>> cancelled;
    std::optional<qint64> scanningWhenCancelAnswered;
    engine->registerEpisode(m_bigTree, QStringLiteral("big"),
        [&registered](const SyncResult<EpisodeStatus> &result) { registered = result; });
    engine->cancel(smallId, [&](const SyncResult<EpisodeStatus> &result) {
        cancelled = result;
        scanningWhenCancelAnswered = scanningEpisode(*engine);
    });
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.has_value(), 30'000);
    QVERIFY2(cancelled->ok(), qPrintable(cancelled->error().message));
    QCOMPARE(cancelled->value().record.state, EpisodeState::Cancelled);
    QVERIFY2(!registered.has_value(), "the registration answered before the command queued after it");
    QVERIFY2(scanningWhenCancelAnswered.has_value(), "the big episode was not shown as scanning meanwhile");
    const qint64 bigId = *scanningWhenCancelAnswered;
    QCOMPARE(engine->status(bigId)->stage, EpisodeStage::Scanning);

    QTRY_VERIFY_WITH_TIMEOUT(registered.has_value(), 60'000);
    QVERIFY2(registered->ok(), qPrintable(registered->error().message));
    QCOMPARE(registered->value().record.id, bigId);
    QCOMPARE(registered->value().record.state, EpisodeState::Pending);
    QCOMPARE(registered->value().record.fileCount, kBigTreeFiles);
    QCOMPARE(registered->value().record.totalBytes, qint64(kBigTreeFiles));
}

void TestNeverLags::cancelWithdrawsARegistration()
{
    auto engine = TestData::openSyncEngine(config());
    QVERIFY(engine);
    engine->pauseAll();
    // Cancel the moment the engine says the episode is scanning (its first batch of changes after the scan began,
    // so the scan of 50,000 files has only just begun).
    QList<qint64> cancelledIds;
    connect(engine.get(), &SyncEngine::changed, this, [&](const EngineChanges &changes) {
        for (const EngineChanges::Event &event : changes.events) {
            if (event.kind == EngineChanges::Event::Kind::Status && event.state == EpisodeState::Scanning
                && !cancelledIds.contains(event.id)) {
                cancelledIds.append(event.id);
                engine->cancel(event.id);
            }
        }
    });
    const SyncResult<EpisodeStatus> answer = registerAndWait(*engine, m_bigTree, QStringLiteral("withdrawn"));
    QCOMPARE(cancelledIds.size(), 1);
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().code, SyncError::Code::Cancelled);
    QTRY_VERIFY(!engine->status(cancelledIds.first()).has_value());
    engine.reset();

    // Withdrawn from the catalog too: a restart does not bring it back, and the name is free.
    auto catalog = Catalog::open(config().dataDir);
    QVERIFY(catalog);
    QCOMPARE(catalog.value()->loadEpisodes().valueOr({}).size(), 0);
    catalog.value().reset();
    engine = TestData::openSyncEngine(config());
    QVERIFY(engine);
    QVERIFY(engine->allStatuses().isEmpty());
}

void TestNeverLags::treeOverTheLimitIsRefused()
{
    SyncConfig cfg = config();
    cfg.maxFilesPerEpisode = 100;
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const QString tree = m_fixture.filePath(QStringLiteral("tree-101"));
    QVERIFY(writeTree(tree, 101, 50));
    const SyncResult<EpisodeStatus> refused = registerAndWait(*engine, tree, QStringLiteral("over"));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, SyncError::Code::TooManyFiles);
    QVERIFY2(
        refused.error().message.contains(QStringLiteral("more than 100 files")), qPrintable(refused.error().message));
    QTRY_VERIFY(engine->allStatuses().isEmpty());

    // At the limit it is accepted.
    QVERIFY(QFile::remove(tree + QStringLiteral("/d0000/f0")));
    const SyncResult<EpisodeStatus> accepted = registerAndWait(*engine, tree, QStringLiteral("at-limit"));
    QVERIFY2(accepted.ok(), qPrintable(accepted.error().message));
    QCOMPARE(accepted.value().record.fileCount, 100);
}

void TestNeverLags::rescanOverTheLimitLeavesTheEpisodeAsItWas()
{
    SyncConfig cfg = config();
    cfg.maxFilesPerEpisode = 10;
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    engine->pauseAll();
    const QString tree = m_fixture.filePath(QStringLiteral("grows"));
    QVERIFY(writeTree(tree, 10, 10));
    const SyncResult<EpisodeStatus> registered = registerAndWait(*engine, tree, QStringLiteral("grows"));
    QVERIFY2(registered.ok(), qPrintable(registered.error().message));
    const qint64 id = registered.value().record.id;
    QVERIFY(TestData::writeFile(tree + QStringLiteral("/d0000/extra"), "y"));

    std::optional<SyncResult<EpisodeStatus>> rescanned;
    engine->rescan(id, [&rescanned](const SyncResult<EpisodeStatus> &result) { rescanned = result; });
    QTRY_VERIFY(rescanned.has_value());
    QVERIFY(!rescanned->ok());
    QCOMPARE(rescanned->error().code, SyncError::Code::TooManyFiles);
    const EpisodeRecord after = engine->status(id)->record;
    QCOMPARE(after.state, EpisodeState::Pending);
    QCOMPARE(after.fileCount, 10);
    QCOMPARE(after.totalBytes, qint64(10));
}

void TestNeverLags::registrationInterruptedByAStopIsScannedAgain()
{
    auto engine = TestData::openSyncEngine(config());
    QVERIFY(engine);
    engine->pauseAll();
    std::optional<qint64> scanning;
    connect(engine.get(), &SyncEngine::changed, this, [&scanning](const EngineChanges &changes) {
        for (const EngineChanges::Event &event : changes.events) {
            if (event.kind == EngineChanges::Event::Kind::Status && event.state == EpisodeState::Scanning)
                scanning = event.id;
        }
    });
    bool answered = false;
    engine->registerEpisode(
        m_bigTree, QStringLiteral("interrupted"), [&answered](const SyncResult<EpisodeStatus> &) { answered = true; });
    QTRY_VERIFY(scanning.has_value());
    engine.reset(); // stops the scan; the registration stays in the catalog as scanning
    QVERIFY2(!answered, "the scan ended before the stop: the tree is too small for this machine");
    {
        auto catalog = Catalog::open(config().dataDir);
        QVERIFY(catalog);
        auto stored = catalog.value()->loadEpisode(*scanning);
        QVERIFY(stored);
        QCOMPARE(stored.value().state, EpisodeState::Scanning);
    }
    engine = TestData::openSyncEngine(config());
    QVERIFY(engine);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(*scanning)->record.state, EpisodeState::Pending, 60'000);
    QCOMPARE(engine->status(*scanning)->record.fileCount, kBigTreeFiles);
}

void TestNeverLags::backgroundThreadsRunLowered()
{
    const int before = BackgroundPriority::currentNice();
    int nice = -100;
    int ioClass = -100;
    QThread *thread = QThread::create([&] {
        QVERIFY(BackgroundPriority::lowerCurrentThread());
        nice = BackgroundPriority::currentNice();
        ioClass = BackgroundPriority::currentIoClass();
    });
    thread->start();
    QVERIFY(thread->wait(10'000));
    delete thread;
    QCOMPARE(nice, std::min(19, before + BackgroundPriority::kNiceIncrement));
    QCOMPARE(ioClass, 3); // idle
    QCOMPARE(BackgroundPriority::currentNice(), before); // per thread: the caller's own is untouched
}

void TestNeverLags::transferThreadsRunLowered()
{
    // A running upload's worker thread ("upload-job") has the lowered nice value, while the main thread has not.
    QVERIFY(m_fixture.server().injectFault(
        {{QStringLiteral("op"), QStringLiteral("UploadPart")}, {QStringLiteral("action"), QStringLiteral("stall")},
            {QStringLiteral("stall_ms"), 300}, {QStringLiteral("times"), -1}}));
    SyncConfig cfg = config();
    cfg.upload.singlePutThreshold = 5 * kMiB;
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const QString path = m_fixture.filePath(QStringLiteral("lowered.bin"));
    QVERIFY(TestData::writeFile(path, TestData::randomBytes(12 * kMiB, 7)));
    const qint64 id = TestData::registerEpisode(*engine, path, QStringLiteral("lowered"));
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::InProgress, 30'000);

    // /proc/self/task/<tid>/stat: field 19 is the nice value; comm is the thread's name.
    const auto niceOfThreadsNamed = [](const QByteArray &name) {
        QList<int> values;
        const QStringList tasks = QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &tid : tasks) {
            QFile comm(QStringLiteral("/proc/self/task/%1/comm").arg(tid));
            QFile stat(QStringLiteral("/proc/self/task/%1/stat").arg(tid));
            if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != name || !stat.open(QIODevice::ReadOnly))
                continue;
            const QByteArray text = stat.readAll();
            const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' '); // from field 3 on
            values.append(fields.value(19 - 3).toInt());
        }
        return values;
    };
    QList<int> workers;
    QTRY_VERIFY_WITH_TIMEOUT(!(workers = niceOfThreadsNamed("upload-job")).isEmpty(), 10'000);
    const int mainNice = BackgroundPriority::currentNice();
    for (const int nice : std::as_const(workers))
        QCOMPARE(nice, std::min(19, mainNice + BackgroundPriority::kNiceIncrement));
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Completed, 60'000);
}

QTEST_GUILESS_MAIN(TestNeverLags)
#include "tst_neverlags.moc"

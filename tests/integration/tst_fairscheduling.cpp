// Fair scheduling (issue 16): per-episode priority and the small lane, end to end against the strict S3 server with
// a real SQLite catalog. Orders are asserted from the engine's own signals (which episode went in progress first),
// never from timing.
#include "strictservers.h"
#include "sync/episodepriority.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

using TestData::fault;
using TestData::kMiB;
using TestData::randomBytes;
using TestData::writeFile;

// The ids in the order they entered `state`, from a spy on SyncEngine::changed.
QList<qint64> idsEntering(const QSignalSpy &spy, EpisodeState state)
{
    QList<qint64> ids;
    for (const QList<QVariant> &arguments : spy) {
        for (const EngineChanges::Event &event : arguments.at(0).value<EngineChanges>().events) {
            if (event.kind == EngineChanges::Event::Kind::Status && event.state == state && !ids.contains(event.id))
                ids.append(event.id);
        }
    }
    return ids;
}

// Runs an engine command that answers with a status and waits for the answer.
template <typename Command>
SyncResult<EpisodeStatus> await(Command command)
{
    const auto answer = TestData::awaitAnswer<EpisodeStatus>(command, 10000);
    if (!answer)
        return SyncError{SyncError::Code::CatalogFailed, QStringLiteral("no answer")};
    return *answer;
}

} // namespace

class TestFairScheduling : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void higherPriorityStartsFirst();
    void priorityIsValidatedAndPersisted();
    void smallEpisodeCompletesWhileLargeOnesHoldEverySlot();
    void smallLaneRunsUpToFourAtOnce();

private:
    SyncConfig config() const;
    qint64 registerFile(SyncEngine &engine, const QString &name, qint64 size);

    StrictServers m_servers;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestFairScheduling::initTestCase()
{
    QString error;
    QVERIFY2(m_servers.start(&error), qPrintable(error));
}

void TestFairScheduling::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(m_servers.resetAll());
}

void TestFairScheduling::cleanup()
{
    m_dir.reset();
}

SyncConfig TestFairScheduling::config() const
{
    return TestData::syncConfig(m_servers.s3(), m_dir->filePath(QStringLiteral("data")),
        QStringLiteral("fair/%1").arg(QString::fromLatin1(QTest::currentTestFunction())));
}

qint64 TestFairScheduling::registerFile(SyncEngine &engine, const QString &name, qint64 size)
{
    const QString path = m_dir->filePath(name + QStringLiteral(".bin"));
    if (!writeFile(path, randomBytes(size, quint32(qHash(name)))))
        return 0;
    return TestData::registerEpisode(engine, path, name);
}

void TestFairScheduling::higherPriorityStartsFirst()
{
    SyncConfig cfg = config();
    cfg.maxConcurrentEpisodes = 1;
    cfg.smallEpisodeBytes = 0; // no small lane: the order is priority, then registration
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    QSignalSpy spy(engine.get(), &SyncEngine::changed);
    engine->pauseAll(); // all three are pending when the priority changes
    const qint64 first = registerFile(*engine, QStringLiteral("first"), 64 * 1024);
    const qint64 second = registerFile(*engine, QStringLiteral("second"), 64 * 1024);
    const qint64 third = registerFile(*engine, QStringLiteral("third"), 64 * 1024);
    QVERIFY(first > 0 && second > 0 && third > 0);

    const auto raised = await([&](auto done) { engine->setPriority(third, 5, done); });
    QVERIFY2(raised, qPrintable(raised ? QString() : raised.error().message));
    QCOMPARE(raised.value().record.priority, 5);
    QCOMPARE(raised.value().record.state, EpisodeState::Pending);

    engine->resumeAll();
    QTRY_VERIFY_WITH_TIMEOUT(idsEntering(spy, EpisodeState::Completed).size() == 3, 30000);
    QCOMPARE(idsEntering(spy, EpisodeState::InProgress), (QList<qint64>{third, first, second}));
    QCOMPARE(idsEntering(spy, EpisodeState::Completed), (QList<qint64>{third, first, second}));
}

void TestFairScheduling::priorityIsValidatedAndPersisted()
{
    SyncConfig cfg = config();
    {
        auto engine = TestData::openSyncEngine(cfg);
        QVERIFY(engine);
        engine->pauseAll();
        const qint64 id = registerFile(*engine, QStringLiteral("kept"), 4096);
        QVERIFY(id > 0);

        const auto tooHigh = await([&](auto done) { engine->setPriority(id, EpisodePriority::kMax + 1, done); });
        QVERIFY(!tooHigh);
        QCOMPARE(tooHigh.error().code, SyncError::Code::InvalidInput);
        const auto tooLow = await([&](auto done) { engine->setPriority(id, EpisodePriority::kMin - 1, done); });
        QVERIFY(!tooLow);
        QCOMPARE(tooLow.error().code, SyncError::Code::InvalidInput);
        const auto unknown = await([&](auto done) { engine->setPriority(id + 100, 1, done); });
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, SyncError::Code::NotFound);

        const auto lowered = await([&](auto done) { engine->setPriority(id, EpisodePriority::kMin, done); });
        QVERIFY(lowered);
        QCOMPARE(engine->status(id)->record.priority, EpisodePriority::kMin);
    }
    auto reopened = TestData::openSyncEngine(cfg);
    QVERIFY(reopened);
    const QList<EpisodeStatus> all = reopened->allStatuses();
    QCOMPARE(all.size(), 1);
    QCOMPARE(all.first().record.priority, EpisodePriority::kMin);
}

void TestFairScheduling::smallEpisodeCompletesWhileLargeOnesHoldEverySlot()
{
    // Every part of the large episodes is held on the server for a minute: they hold both episode slots and every
    // request of the engine's budget (2 requests, each large one wants 4) for far longer than the test runs.
    QVERIFY(m_servers.s3().injectFault(fault(QStringLiteral("UploadPart"), QStringLiteral("stall"),
        {{QStringLiteral("stall_ms"), 60000}, {QStringLiteral("times"), -1}})));
    SyncConfig cfg = config();
    cfg.maxConcurrentEpisodes = 2;
    cfg.upload.adaptive.reset();
    cfg.maxPartsInFlight = 2;
    cfg.upload.singlePutThreshold = 5 * kMiB;
    cfg.smallEpisodeBytes = 1 * kMiB;
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const qint64 large1 = registerFile(*engine, QStringLiteral("large-1"), 12 * kMiB);
    const qint64 large2 = registerFile(*engine, QStringLiteral("large-2"), 12 * kMiB);
    QVERIFY(large1 > 0 && large2 > 0);
    const auto uploading = [&](qint64 id) {
        const auto status = engine->status(id);
        return status && status->record.state == EpisodeState::InProgress;
    };
    QTRY_VERIFY_WITH_TIMEOUT(uploading(large1) && uploading(large2), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_servers.s3().inFlight(QStringLiteral("UploadPart")), 2, 20000); // every request of the budget is held

    const qint64 small = registerFile(*engine, QStringLiteral("small"), 64 * 1024);
    QVERIFY(small > 0);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(small)->record.state, EpisodeState::Completed, 30000);
    QVERIFY(uploading(large1));
    QVERIFY(uploading(large2));

    // A large episode registered now waits: the lane is for small ones only.
    const qint64 large3 = registerFile(*engine, QStringLiteral("large-3"), 12 * kMiB);
    QVERIFY(large3 > 0);
    const qint64 small2 = registerFile(*engine, QStringLiteral("small-2"), 64 * 1024);
    QVERIFY(small2 > 0);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(small2)->record.state, EpisodeState::Completed, 30000);
    QCOMPARE(engine->status(large3)->record.state, EpisodeState::Pending);
}

void TestFairScheduling::smallLaneRunsUpToFourAtOnce()
{
    // Large ones hold both slots (their parts held); small ones are held too (their PutObject), so the lane fills.
    QVERIFY(m_servers.s3().injectFault(fault(QStringLiteral("UploadPart"), QStringLiteral("stall"),
        {{QStringLiteral("stall_ms"), 60000}, {QStringLiteral("times"), -1}})));
    QVERIFY(m_servers.s3().injectFault(fault(QStringLiteral("PutObject"), QStringLiteral("stall"),
        {{QStringLiteral("stall_ms"), 60000}, {QStringLiteral("times"), -1}})));
    SyncConfig cfg = config();
    cfg.maxConcurrentEpisodes = 2;
    cfg.upload.singlePutThreshold = 5 * kMiB;
    cfg.smallEpisodeBytes = 1 * kMiB;
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const auto state = [&](qint64 id) { return engine->status(id)->record.state; };
    const qint64 large1 = registerFile(*engine, QStringLiteral("large-1"), 12 * kMiB);
    const qint64 large2 = registerFile(*engine, QStringLiteral("large-2"), 12 * kMiB);
    QTRY_VERIFY_WITH_TIMEOUT(
        state(large1) == EpisodeState::InProgress && state(large2) == EpisodeState::InProgress, 20000);
    QList<qint64> small;
    for (int i = 0; i < 5; ++i)
        small.append(registerFile(*engine, QStringLiteral("small-%1").arg(i), 64 * 1024));
    const auto inProgress = [&] {
        return std::count_if(
            small.cbegin(), small.cend(), [&](qint64 id) { return state(id) == EpisodeState::InProgress; });
    };
    QTRY_COMPARE_WITH_TIMEOUT(inProgress(), 4, 20000);
    QCOMPARE(state(small.last()), EpisodeState::Pending); // the fifth waits for a place in the lane
    QCOMPARE(state(large1), EpisodeState::InProgress);
}

QTEST_GUILESS_MAIN(TestFairScheduling)
#include "tst_fairscheduling.moc"

// Per-episode pause and resume end to end: a real engine, a real SQLite catalog and the strict S3 server (every part
// stalls on the server, so the episode is seen mid-upload). What the server received is counted on its side
// (part_attempts, part_uploads), what the catalog holds is read from its file, and the journal lines are caught
// from the logging handler.
#include "catalog/catalog.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMutex>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <optional>

using TestData::fault;
using TestData::kMiB;

namespace {

// The engine's journal lines (keystone.journal info), caught from any thread while installed; passed on as well.
class JournalCapture
{
public:
    JournalCapture()
    {
        s_instance = this;
        m_previous = qInstallMessageHandler(&JournalCapture::handle);
    }
    ~JournalCapture()
    {
        qInstallMessageHandler(m_previous);
        s_instance = nullptr;
    }
    JournalCapture(const JournalCapture &) = delete;
    JournalCapture &operator=(const JournalCapture &) = delete;

    int count(const QRegularExpression &pattern) const
    {
        QMutexLocker lock(&m_mutex);
        int matches = 0;
        for (const QString &line : m_lines)
            matches += pattern.match(line).hasMatch() ? 1 : 0;
        return matches;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (s_instance && context.category && QLatin1String(context.category) == QLatin1String("keystone.journal")) {
            QMutexLocker lock(&s_instance->m_mutex);
            s_instance->m_lines.append(message);
        }
        if (s_instance && s_instance->m_previous)
            s_instance->m_previous(type, context, message);
    }

    static inline JournalCapture *s_instance = nullptr;
    QtMessageHandler m_previous = nullptr;
    mutable QMutex m_mutex;
    QStringList m_lines;
};

} // namespace

class TestEpisodePause : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void pauseMidUploadKeepsPartsAcrossRestartAndResumes();
    void pendingPauseHoldsAndCommandsClearIt();
    void crashMidAttemptKeepsThePause();

private:
    SyncConfig config() const;
    std::optional<SyncResult<EpisodeStatus>> await(
        const std::function<void(SyncEngine::Callback<EpisodeStatus>)> &command) const;
    QJsonObject serverParts(const char *kind, const QString &key) const; // part_attempts or part_uploads of a key
    QList<CompletedPart> verifiedParts(qint64 id) const; // what the catalog file holds, read on its own connection
    QString dataDir() const { return m_fixture.dataDir(); }

    StrictServerFixture m_fixture;
};

void TestEpisodePause::init()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("stalled parts and the per-part counts");
    QVERIFY(m_fixture.makeDir());
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestEpisodePause::cleanup()
{
    m_fixture.stopServer();
    m_fixture.removeDir();
}

SyncConfig TestEpisodePause::config() const
{
    SyncConfig cfg = TestData::syncConfig(m_fixture.server(), dataDir(), QStringLiteral("pause"));
    cfg.maxConcurrentEpisodes = 1; // an episode that runs while another is paused proves the slot was given back
    cfg.upload.concurrency = 2;
    return cfg;
}

std::optional<SyncResult<EpisodeStatus>> TestEpisodePause::await(
    const std::function<void(SyncEngine::Callback<EpisodeStatus>)> &command) const
{
    return TestData::awaitAnswer<EpisodeStatus>(command, 15000);
}

QJsonObject TestEpisodePause::serverParts(const char *kind, const QString &key) const
{
    return m_fixture.server().partCounts(QLatin1String(kind), key);
}

QList<CompletedPart> TestEpisodePause::verifiedParts(qint64 id) const
{
    auto catalog = Catalog::open(dataDir());
    if (!catalog)
        return {};
    auto files = catalog.value()->loadFiles(id);
    return files && !files.value().isEmpty() ? files.value().first().parts : QList<CompletedPart>{};
}

// Paused mid-upload: pending and paused at once, the verified parts kept, no request for it while a second episode
// uploads to completion, still paused after a restart (and passed over by the scheduler), then resumed: it completes
// without sending a part verified before the pause again.
void TestEpisodePause::pauseMidUploadKeepsPartsAcrossRestartAndResumes()
{
    JournalCapture journal;
    const SyncConfig cfg = config();
    QVERIFY(m_fixture.server().injectFault(fault(QStringLiteral("UploadPart"), QStringLiteral("stall"),
        {{QStringLiteral("stall_ms"), 200}, {QStringLiteral("times"), -1}})));
    const QByteArray data = TestData::randomBytes(40 * kMiB, 41);
    QVERIFY(TestData::writeFile(m_fixture.filePath(QStringLiteral("slow.bin")), data));
    QVERIFY(TestData::writeFile(m_fixture.filePath(QStringLiteral("next.bin")), TestData::randomBytes(12 * kMiB, 42)));
    QVERIFY(TestData::writeFile(m_fixture.filePath(QStringLiteral("later.bin")), TestData::randomBytes(64 * 1024, 43)));
    const QString key = cfg.keyPrefix + QStringLiteral("/slow/slow.bin");

    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const qint64 id
        = TestData::registerEpisode(*engine, m_fixture.filePath(QStringLiteral("slow.bin")), QStringLiteral("slow"));
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT(engine->status(id)->progress && engine->status(id)->progress->partsCompleted >= 2, 30000);
    const qint64 next
        = TestData::registerEpisode(*engine, m_fixture.filePath(QStringLiteral("next.bin")), QStringLiteral("next"));
    QVERIFY(next > 0);
    QCOMPARE(engine->status(next)->record.state, EpisodeState::Pending); // behind the running one: one slot

    const auto paused = await([&](auto done) { engine->pauseEpisode(id, done); });
    QVERIFY(paused && paused->ok());
    // The answer comes once the attempt stopped: pending and paused, with what was verified.
    const EpisodeStatus atPause = paused->value();
    QCOMPARE(atPause.record.state, EpisodeState::Pending);
    QVERIFY(atPause.record.paused);
    QCOMPARE(atPause.stage, EpisodeStage::Paused);
    QVERIFY(atPause.progress && atPause.progress->committedBytes > 0);
    QCOMPARE(atPause.progress->inflightBytes, 0);
    QCOMPARE(atPause.record.attempts, 0); // the stopped attempt does not count against the retry budget
    QCOMPARE(atPause.record.attemptsMade, 1);
    const QList<CompletedPart> kept = verifiedParts(id);
    qint64 keptBytes = 0;
    for (const CompletedPart &part : kept)
        keptBytes += part.size;
    QVERIFY(kept.size() >= 2);
    QCOMPARE(atPause.progress->committedBytes, keptBytes);
    QCOMPARE(m_fixture.server().stats().value(QStringLiteral("uploads_in_progress")).toInt(), 1); // kept, not aborted
    std::optional<QList<SyncLogEntry>> logs;
    engine->logs(id, 1, [&logs](const SyncResult<QList<SyncLogEntry>> &result) { logs = result.valueOr({}); });
    QTRY_VERIFY(logs.has_value());
    QCOMPARE(logs->size(), 1);
    QCOMPARE(logs->first().result, QStringLiteral("paused"));
    QCOMPARE(journal.count(QRegularExpression(
                 QStringLiteral("^episode %1 \"slow\": paused by the operator, .* verified and kept").arg(id))),
        1);
    QCOMPARE(journal.count(QRegularExpression(QStringLiteral("^episode %1 \"slow\": paused, ").arg(id))), 0);

    // Nothing of it reaches the server while the other episode uploads to completion.
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server().inFlight(QStringLiteral("UploadPart")), 0, 5000);
    const QJsonObject attemptsAtPause = serverParts("part_attempts", key);
    QVERIFY(!attemptsAtPause.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(next)->record.state, EpisodeState::Completed, 30000);
    QCOMPARE(serverParts("part_attempts", key), attemptsAtPause);
    QCOMPARE(engine->status(id)->record.state, EpisodeState::Pending);
    QVERIFY(engine->status(id)->record.paused);
    QCOMPARE(engine->status(id)->progress->committedBytes, keptBytes);

    // A restart on the same catalog: still paused, still passed over (a later episode takes the one slot).
    engine.reset();
    engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    QCOMPARE(engine->status(id)->record.state, EpisodeState::Pending);
    QVERIFY(engine->status(id)->record.paused);
    QCOMPARE(engine->status(id)->stage, EpisodeStage::Paused);
    QCOMPARE(engine->status(id)->progress->committedBytes, keptBytes);
    const qint64 later
        = TestData::registerEpisode(*engine, m_fixture.filePath(QStringLiteral("later.bin")), QStringLiteral("later"));
    QVERIFY(later > 0);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(later)->record.state, EpisodeState::Completed, 30000);
    QCOMPARE(engine->status(id)->record.attemptsMade, 1);
    QCOMPARE(serverParts("part_attempts", key), attemptsAtPause);

    const auto resumed = await([&](auto done) { engine->resumeEpisode(id, done); });
    QVERIFY(resumed && resumed->ok());
    QVERIFY(!resumed->value().record.paused);
    QCOMPARE(journal.count(QRegularExpression(
                 QStringLiteral("^episode %1 \"slow\": resumed by the operator, .* verified kept").arg(id))),
        1);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Completed, 60000);
    QVERIFY(!engine->status(id)->record.paused);
    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(key, &stored));
    QVERIFY(stored == data);
    const QJsonObject uploads = serverParts("part_uploads", key);
    QCOMPARE(uploads.size(), 8);
    for (const CompletedPart &part : kept)
        QVERIFY2(uploads.value(QString::number(part.partNumber)).toInt() == 1,
            qPrintable(QStringLiteral("part %1, verified before the pause, was sent again").arg(part.partNumber)));
}

// A pending episode paused is never started (pause-all and resume-all leave it paused); enqueue, cancel, retry and
// rescan clear the pause; terminal states are refused; an unknown id is not found.
void TestEpisodePause::pendingPauseHoldsAndCommandsClearIt()
{
    const SyncConfig cfg = config();
    for (const char *name : {"held", "free", "gone"})
        QVERIFY(TestData::writeFile(m_fixture.filePath(QLatin1String(name) + QStringLiteral(".bin")),
            TestData::randomBytes(64 * 1024, quint32(qHash(QLatin1String(name))))));
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    engine->pauseAll();
    const qint64 held
        = TestData::registerEpisode(*engine, m_fixture.filePath(QStringLiteral("held.bin")), QStringLiteral("held"));
    const qint64 free
        = TestData::registerEpisode(*engine, m_fixture.filePath(QStringLiteral("free.bin")), QStringLiteral("free"));
    QVERIFY(held > 0 && free > 0);
    QTRY_COMPARE(engine->status(held)->record.state, EpisodeState::Pending);

    for (int i = 0; i < 2; ++i) { // the second time: no change, still fine
        const auto paused = await([&](auto done) { engine->pauseEpisode(held, done); });
        QVERIFY(paused && paused->ok());
        QCOMPARE(paused->value().record.state, EpisodeState::Pending);
        QVERIFY(paused->value().record.paused);
    }
    engine->resumeAll(); // the global switch; the episode's own pause stays
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(free)->record.state, EpisodeState::Completed, 30000);
    QCOMPARE(engine->status(held)->record.state, EpisodeState::Pending);
    QVERIFY(engine->status(held)->record.paused);
    QCOMPARE(engine->status(held)->record.attemptsMade, 0);

    // "Sync now" of a paused episode: no longer paused, and it uploads.
    const auto enqueued = await([&](auto done) { engine->enqueue(held, done); });
    QVERIFY(enqueued && enqueued->ok());
    QVERIFY(!enqueued->value().record.paused);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(held)->record.state, EpisodeState::Completed, 30000);

    const auto refusedCode = [&](bool pause, qint64 id) {
        const auto answer = await([&](auto done) {
            if (pause)
                engine->pauseEpisode(id, done);
            else
                engine->resumeEpisode(id, done);
        });
        return answer && !answer->ok() ? std::make_optional(answer->error().code) : std::nullopt;
    };
    QCOMPARE(refusedCode(true, held), SyncError::Code::InvalidTransition); // completed
    QCOMPARE(refusedCode(false, held), SyncError::Code::InvalidTransition);
    QCOMPARE(refusedCode(true, 999999), SyncError::Code::NotFound);
    QCOMPARE(refusedCode(false, 999999), SyncError::Code::NotFound);

    // Cancel of a paused episode cancels it and clears the pause; retry and rescan clear a pause as well.
    engine->pauseAll();
    const qint64 gone
        = TestData::registerEpisode(*engine, m_fixture.filePath(QStringLiteral("gone.bin")), QStringLiteral("gone"));
    QVERIFY(gone > 0);
    QTRY_COMPARE(engine->status(gone)->record.state, EpisodeState::Pending);
    QVERIFY(await([&](auto done) { engine->pauseEpisode(gone, done); })->ok());
    const auto cancelled = await([&](auto done) { engine->cancel(gone, done); });
    QVERIFY(cancelled && cancelled->ok());
    QCOMPARE(cancelled->value().record.state, EpisodeState::Cancelled);
    QVERIFY(!cancelled->value().record.paused);
    QCOMPARE(refusedCode(true, gone), SyncError::Code::InvalidTransition); // cancelled
    QCOMPARE(refusedCode(false, gone), SyncError::Code::InvalidTransition);
    const auto retried = await([&](auto done) { engine->retry(gone, done); });
    QVERIFY(retried && retried->ok());
    QCOMPARE(retried->value().record.state, EpisodeState::Pending);
    QVERIFY(await([&](auto done) { engine->pauseEpisode(gone, done); })->value().record.paused);
    const auto rescanned = await([&](auto done) { engine->rescan(gone, done); });
    QVERIFY(rescanned && rescanned->ok());
    QCOMPARE(rescanned->value().record.state, EpisodeState::Pending);
    QVERIFY(!rescanned->value().record.paused);

    // Every one of those reached the catalog: a restart shows the same.
    engine.reset();
    auto catalog = Catalog::open(dataDir());
    QVERIFY(catalog);
    QVERIFY(!catalog.value()->loadEpisode(gone).value().paused);
    QVERIFY(!catalog.value()->loadEpisode(held).value().paused);
}

// What a crash right after a pause of a running episode leaves (the flag written, the attempt still open in the
// catalog): the next start closes the attempt as interrupted and the episode stays pending and paused, not started.
void TestEpisodePause::crashMidAttemptKeepsThePause()
{
    const SyncConfig cfg = config();
    for (const char *name : {"crashed", "other"})
        QVERIFY(TestData::writeFile(m_fixture.filePath(QLatin1String(name) + QStringLiteral(".bin")),
            TestData::randomBytes(64 * 1024, quint32(qHash(QLatin1String(name))))));
    qint64 id = 0;
    {
        auto engine = TestData::openSyncEngine(cfg);
        QVERIFY(engine);
        engine->pauseAll();
        id = TestData::registerEpisode(
            *engine, m_fixture.filePath(QStringLiteral("crashed.bin")), QStringLiteral("crashed"));
        QVERIFY(id > 0);
        QTRY_COMPARE(engine->status(id)->record.state, EpisodeState::Pending);
    }
    {
        auto catalog = Catalog::open(dataDir());
        QVERIFY(catalog);
        EpisodeRecord running = catalog.value()->loadEpisode(id).value();
        running.state = EpisodeState::InProgress;
        running.attempts = 1;
        running.paused = true;
        QVERIFY(catalog.value()->startAttempt(running, QDateTime::currentDateTimeUtc()).ok());
    }
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    QCOMPARE(engine->status(id)->record.state, EpisodeState::Pending);
    QVERIFY(engine->status(id)->record.paused);
    QCOMPARE(engine->status(id)->record.attempts, 0);
    const qint64 other
        = TestData::registerEpisode(*engine, m_fixture.filePath(QStringLiteral("other.bin")), QStringLiteral("other"));
    QVERIFY(other > 0);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(other)->record.state, EpisodeState::Completed, 30000);
    QCOMPARE(engine->status(id)->record.state, EpisodeState::Pending);
    QCOMPARE(engine->status(id)->record.attemptsMade, 1); // the crashed attempt only
    std::optional<QList<SyncLogEntry>> logs;
    engine->logs(id, 5, [&logs](const SyncResult<QList<SyncLogEntry>> &result) { logs = result.valueOr({}); });
    QTRY_VERIFY(logs.has_value());
    QCOMPARE(logs->size(), 1);
    QCOMPARE(logs->first().result, QStringLiteral("interrupted"));
}

QTEST_GUILESS_MAIN(TestEpisodePause)
#include "tst_episodepause.moc"

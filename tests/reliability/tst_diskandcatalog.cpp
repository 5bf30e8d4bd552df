// Disk and catalog faults with a real engine, a real SQLite catalog and the strict S3 server:
// - the source file deleted or truncated mid-upload → the episode fails, naming the file, and no object appears;
// - the catalog cannot be written (the data directory's disk "full": RLIMIT_FSIZE 0 makes every write to a file
//   fail with EFBIG, without privileges) → a clear error, uploads pause, the catalog stays sound, and the upload
//   continues once writes work again;
// - two real `keystone-console --server` processes on one data directory → the second refuses to start.
#include "consoleserverprocess.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

namespace {

using TestData::kMiB;

// Lowers or restores this process's file-size limit (the soft limit only, so it can be raised again).
class FileSizeLimit
{
public:
    FileSizeLimit() { getrlimit(RLIMIT_FSIZE, &m_saved); }
    ~FileSizeLimit() { restore(); }
    bool limitTo(rlim_t bytes)
    {
        rlimit limit = m_saved;
        limit.rlim_cur = bytes;
        return setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    bool restore() { return setrlimit(RLIMIT_FSIZE, &m_saved) == 0; }

private:
    rlimit m_saved{};
};

QString integrityOf(const QString &dataDir)
{
    QString result;
    const QString connection = QStringLiteral("integrity-check");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(QDir(dataDir).filePath(QStringLiteral("catalog.sqlite")));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        QSqlQuery query(db);
        if (db.open() && query.exec(QStringLiteral("PRAGMA integrity_check")) && query.next())
            result = query.value(0).toString();
    }
    QSqlDatabase::removeDatabase(connection);
    return result;
}

int partAttempts(S3ServerProcess &s3)
{
    int total = 0;
    const QJsonObject keys = s3.stats().value(QStringLiteral("part_attempts")).toObject();
    for (const QJsonValue &parts : keys) {
        for (const QJsonValue &count : parts.toObject())
            total += count.toInt();
    }
    return total;
}

} // namespace

class TestDiskAndCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void sourceGoneMidUploadFails_data();
    void sourceGoneMidUploadFails();
    void catalogUnwritablePausesThenRecovers();
    void secondInstanceProcessIsRefused();

private:
    SyncConfig config() const;
    // Registers a file of `size` bytes with every part answered slowly, and returns once `parts` are verified.
    qint64 startSlowUpload(SyncEngine &engine, const QString &path, qint64 size, int parts, QByteArray *data);

    StrictServerFixture m_fixture;
};

void TestDiskAndCatalog::initTestCase()
{
    std::signal(SIGXFSZ, SIG_IGN); // a write beyond RLIMIT_FSIZE fails with EFBIG instead of killing us
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestDiskAndCatalog::init()
{
    QVERIFY(m_fixture.makeDir());
    QVERIFY(m_fixture.resetServer());
}

void TestDiskAndCatalog::cleanup()
{
    m_fixture.removeDir();
}

SyncConfig TestDiskAndCatalog::config() const
{
    SyncConfig config
        = m_fixture.syncConfig(QStringLiteral("disk/%1").arg(QString::fromLatin1(QTest::currentTestFunction())));
    config.upload.concurrency = 2;
    config.catalogRetryMs = 300;
    return config;
}

qint64 TestDiskAndCatalog::startSlowUpload(
    SyncEngine &engine, const QString &path, qint64 size, int parts, QByteArray *data)
{
    if (!m_fixture.server().injectFault(
            {{QStringLiteral("op"), QStringLiteral("UploadPart")}, {QStringLiteral("action"), QStringLiteral("stall")},
                {QStringLiteral("stall_ms"), 250}, {QStringLiteral("times"), -1}}))
        return 0;
    *data = TestData::randomBytes(size, quint32(size));
    if (!TestData::writeFile(path, *data))
        return 0;
    const qint64 id = TestData::registerEpisode(engine, path, QFileInfo(path).baseName());
    if (id == 0)
        return 0;
    const bool started = QTest::qWaitFor(
        [&] {
            const auto status = engine.status(id);
            return status && status->progress && status->progress->partsCompleted >= parts;
        },
        30000);
    return started ? id : 0;
}

void TestDiskAndCatalog::sourceGoneMidUploadFails_data()
{
    QTest::addColumn<bool>("deleted");
    QTest::newRow("deleted") << true;
    QTest::newRow("truncated") << false;
}

void TestDiskAndCatalog::sourceGoneMidUploadFails()
{
    QFETCH(bool, deleted);
    const SyncConfig cfg = config();
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const QString path = m_fixture.filePath(QStringLiteral("vanishing.bin"));
    QByteArray data;
    const qint64 id = startSlowUpload(*engine, path, 40 * kMiB, 2, &data);
    QVERIFY(id);
    if (deleted)
        QVERIFY(QFile::remove(path));
    else
        QVERIFY(QFile::resize(path, 12 * kMiB));

    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Failed, 30000);
    const EpisodeRecord failed = engine->status(id)->record;
    qInfo() << "failed with:" << failed.lastErrorMessage;
    QVERIFY2(failed.lastErrorMessage.contains(path), qPrintable(failed.lastErrorMessage));
    QVERIFY(!failed.nextRetryAt.isValid()); // not retried: the bytes are gone
    QByteArray nothing;
    QVERIFY(!m_fixture.server().getObject(cfg.keyPrefix + QStringLiteral("/vanishing/vanishing.bin"), &nothing));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server().stats().value(QStringLiteral("uploads_in_progress")).toInt(), 0, 5000);
}

void TestDiskAndCatalog::catalogUnwritablePausesThenRecovers()
{
    const SyncConfig cfg = config();
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const QString path = m_fixture.filePath(QStringLiteral("diskfull.bin"));
    QByteArray data;
    const qint64 id = startSlowUpload(*engine, path, 60 * kMiB, 2, &data);
    QVERIFY(id);

    FileSizeLimit limit;
    QVERIFY(limit.limitTo(0)); // from now on every write to a file fails (EFBIG): the data directory is "full"
    // The job stops at the first part it cannot record; the episode shows the catalog error and waits.
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.lastErrorCode, QStringLiteral("catalog_unwritable"), 15000);
    const EpisodeStatus paused = engine->status(id).value();
    qInfo() << "paused with:" << paused.record.lastErrorMessage;
    QCOMPARE(paused.record.state, EpisodeState::Pending);
    QVERIFY(paused.record.lastErrorMessage.contains(cfg.dataDir));
    // No progress claimed that the catalog does not hold: only parts recorded before the disk filled.
    QVERIFY(!paused.progress || paused.progress->committedBytes <= engine->counters().bytesVerified);
    QVERIFY(!paused.progress || paused.progress->inflightBytes == 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server().inFlight(QStringLiteral("UploadPart")), 0, 5000);
    const int attemptsWhilePaused = partAttempts(m_fixture.server());
    QCOMPARE(integrityOf(cfg.dataDir), QStringLiteral("ok"));
    // Several catalog retry periods: nothing may go over the wire while the catalog cannot record it (a wait for
    // absence, so a fixed wait).
    QTest::qWait(4 * cfg.catalogRetryMs);
    QCOMPARE(partAttempts(m_fixture.server()), attemptsWhilePaused);
    QCOMPARE(engine->status(id)->record.state, EpisodeState::Pending);

    QVERIFY(limit.restore()); // space is back
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Completed, 60000);
    QVERIFY(engine->status(id)->record.lastErrorCode.isEmpty());
    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(cfg.keyPrefix + QStringLiteral("/diskfull/diskfull.bin"), &stored));
    QVERIFY(stored == data);
    engine.reset();
    QCOMPARE(integrityOf(cfg.dataDir), QStringLiteral("ok"));
    // Re-sent: at most the parts in flight when the limit hit (their verification could not be recorded).
    const int parts = int(60 * kMiB / cfg.upload.partSize);
    const int resent = partAttempts(m_fixture.server()) - parts;
    qInfo("catalog unwritable: %d of %d parts re-sent after recovery (attempts per part: %s)", resent, parts,
        QJsonDocument(m_fixture.server().stats().value(QStringLiteral("part_attempts")).toObject())
            .toJson(QJsonDocument::Compact)
            .constData());
    QVERIFY2(resent <= cfg.upload.concurrency, qPrintable(QString::number(resent)));
}

void TestDiskAndCatalog::secondInstanceProcessIsRefused()
{
    const QString dataDir = m_fixture.filePath(QStringLiteral("shared-data"));
    ConsoleServerProcess first(m_fixture.server(), dataDir);
    QString error;
    QVERIFY2(first.start(&error), qPrintable(error));

    ConsoleServerProcess second(m_fixture.server(), dataDir);
    QVERIFY(!second.start(&error)); // it must not announce an API
    QVERIFY(second.process().state() == QProcess::NotRunning || second.process().waitForFinished(10000));
    QCOMPARE(second.process().exitStatus(), QProcess::NormalExit);
    QVERIFY(second.process().exitCode() != 0);
    const QString message = QString::fromUtf8(second.output());
    qInfo() << "second instance said:" << message.trimmed();
    QVERIFY2(message.contains(dataDir) && message.contains(QString::number(first.pid())), qPrintable(message));
    // The first one is unaffected.
    QVERIFY(first.process().state() == QProcess::Running);
    QCOMPARE(first.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestDiskAndCatalog)
#include "tst_diskandcatalog.moc"

// The upload is gone (issue 18): a lifecycle rule (AbortIncompleteMultipartUpload) or an admin removed a multipart
// upload the catalog still names. Ceph radosgw 16.2 then answers ListParts with 404 NoSuchKey instead of NoSuchUpload
// (--quirk rgw-nosuchkey-listparts); the episode must start that one file over, never fail for good, and never send
// the stale upload id more than once. Every test runs against a server with and without the quirk. Against a real
// server (KEYSTONE_TEST_S3_ENDPOINT, scripts/realserver/radosgw.sh) the resume after a server-side abort runs too,
// the upload removed with AbortMultipartUpload as an admin would; the other two need our server's fault injection.
#include "catalog/catalog.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QFileInfo>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>

using TestData::kMiB;

namespace {

// The operator's journal (category keystone.journal), as written by any thread.
QMutex journalMutex;
QStringList journalLines;
QtMessageHandler previousHandler = nullptr;

void captureJournal(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && qstrcmp(context.category, "keystone.journal") == 0) {
        QMutexLocker lock(&journalMutex);
        journalLines.append(message);
    }
    previousHandler(type, context, message);
}

QStringList journalContaining(const QString &text)
{
    QMutexLocker lock(&journalMutex);
    return journalLines.filter(text);
}

} // namespace

class TestGoneUpload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void resumeAfterServerSideAbort_data();
    void resumeAfterServerSideAbort();
    void retryAfterFailureNeverReusesTheGoneUpload_data();
    void retryAfterFailureNeverReusesTheGoneUpload();
    void failureAbortsAndForgetsTheUpload();
    void goneWhilePartsAreSentIsRetried_data();
    void goneWhilePartsAreSentIsRetried();

private:
    void addQuirkRows();
    // The strict server of this row: plain, or answering a gone upload as radosgw 16.2 does.
    bool startServer(const QString &quirk);
    void checkRequestsAfterAbort(const QString &bigKey);
    struct RefusedEpisode
    {
        QByteArray data;
        QString key;
        SyncConfig config;
        std::unique_ptr<SyncEngine> engine;
        qint64 id = 0;
    };
    void failOnPart2(const QString &prefix, RefusedEpisode *episode);
    void retryToCompletion(RefusedEpisode &episode);
    // The episode's one file as the catalog holds it (a fresh connection); nullopt when it cannot be read.
    static std::optional<EpisodeFileRecord> onlyFile(const RefusedEpisode &episode);
    StrictServerFixture m_fixture;
};

void TestGoneUpload::initTestCase()
{
    previousHandler = qInstallMessageHandler(captureJournal);
}

void TestGoneUpload::cleanupTestCase()
{
    qInstallMessageHandler(previousHandler);
}

void TestGoneUpload::init()
{
    QVERIFY(m_fixture.makeDir());
    QMutexLocker lock(&journalMutex);
    journalLines.clear();
}

void TestGoneUpload::addQuirkRows()
{
    QTest::addColumn<QString>("quirk");
    if (S3ServerProcess::externalMode()) { // the real server answers as it does: one row
        QTest::newRow("external server") << QString();
        return;
    }
    QTest::newRow("NoSuchUpload") << QString();
    QTest::newRow("radosgw NoSuchKey") << QStringLiteral("rgw-nosuchkey-listparts");
}

bool TestGoneUpload::startServer(const QString &quirk)
{
    const QStringList arguments = quirk.isEmpty() ? QStringList() : QStringList{QStringLiteral("--quirk"), quirk};
    QString error;
    if (!m_fixture.startServer(&error, arguments)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    return true;
}

void TestGoneUpload::resumeAfterServerSideAbort_data()
{
    addQuirkRows();
}

// A folder of two small files (one PutObject each) and a 30 MiB file in six parts. The station stops once the small
// files and five parts are verified (part 4 held by the server); the server then removes the multipart upload. A new
// engine on the same catalog completes the episode: the small files are not sent again, the large one starts over
// once, with every part sent once more, and the journal says so.
void TestGoneUpload::resumeAfterServerSideAbort()
{
    QFETCH(QString, quirk);
    QVERIFY(startServer(quirk));
    const QString folder = m_fixture.filePath(QStringLiteral("episode"));
    const QByteArray smallA = TestData::randomBytes(64 * 1024, 1);
    const QByteArray smallB = TestData::randomBytes(300 * 1024, 2);
    const QByteArray big = TestData::randomBytes(30 * kMiB, 3);
    QVERIFY(TestData::writeFile(folder + QStringLiteral("/a.bin"), smallA));
    QVERIFY(TestData::writeFile(folder + QStringLiteral("/b.bin"), smallB));
    QVERIFY(TestData::writeFile(folder + QStringLiteral("/c-big.bin"), big));
    const QString bigKey = QStringLiteral("gone/ep/c-big.bin");

    SyncConfig config = m_fixture.syncConfig(QStringLiteral("gone"));
    config.upload.singlePutThreshold = 5 * kMiB;
    const bool external = m_fixture.server().isExternal();
    if (external) // a real server cannot hold a part: the engine's own limit keeps the upload mid-way for the stop
        config.bandwidthLimit = 5 * kMiB;
    else // part 4 is answered only when the client hangs up: the stop finds five parts verified and one on the wire
        QVERIFY(m_fixture.server().injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
            {QStringLiteral("part_number"), 4}, {QStringLiteral("action"), QStringLiteral("stall")},
            {QStringLiteral("stall_ms"), 600000}, {QStringLiteral("times"), -1}}));
    const int partsAtStop = external ? 2 : 5;
    qint64 id = 0;
    {
        auto engine = TestData::openSyncEngine(config);
        QVERIFY(engine);
        id = TestData::registerEpisode(*engine, folder, QStringLiteral("ep"));
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(engine->status(id)->progress && engine->status(id)->progress->filesCompleted == 2
                && engine->status(id)->progress->partsCompleted >= 2 + partsAtStop,
            30000);
    } // stopped at once, the multipart upload kept for a resume

    QString staleUploadId;
    {
        auto catalog = Catalog::open(config.dataDir);
        QVERIFY(catalog);
        const auto files = catalog.value()->loadFiles(id);
        QVERIFY(files);
        QCOMPARE(files.value().size(), 3);
        QVERIFY(!files.value().at(0).etag.isEmpty()); // a.bin verified
        QVERIFY(!files.value().at(1).etag.isEmpty()); // b.bin verified
        QVERIFY(files.value().at(2).etag.isEmpty());
        staleUploadId = files.value().at(2).uploadId;
        QVERIFY(!staleUploadId.isEmpty());
        if (external) // parts on the wire at the stop may still have been verified
            QVERIFY(files.value().at(2).parts.size() >= partsAtStop && files.value().at(2).parts.size() < 6);
        else
            QCOMPARE(files.value().at(2).parts.size(), partsAtStop);
    }

    // The lifecycle rule runs while the station is down.
    QVERIFY(external || m_fixture.server().clearFaults());
    QString error;
    QVERIFY2(m_fixture.server().abortUploads(QStringLiteral("gone/"), &error) == 1, qPrintable(error));
    QVERIFY(external || m_fixture.server().resetStats());

    auto engine = TestData::openSyncEngine(config);
    QVERIFY(engine);
    QTRY_VERIFY_WITH_TIMEOUT(isTerminal(engine->status(id)->record.state), 30000);
    const EpisodeRecord record = engine->status(id)->record;
    QVERIFY2(record.state == EpisodeState::Completed, qPrintable(record.lastErrorMessage));
    QCOMPARE(record.attempts, 1); // started over within the resumed attempt, not failed and retried
    checkRequestsAfterAbort(bigKey);
    if (QTest::currentTestFailed())
        return;

    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(bigKey, &stored));
    QVERIFY(stored == big);
    QVERIFY(m_fixture.server().getObject(QStringLiteral("gone/ep/b.bin"), &stored));
    QVERIFY(stored == smallB);

    const QStringList said = journalContaining(QStringLiteral("starting this file over"));
    QCOMPARE(said.size(), 1);
    QVERIFY2(said.constFirst().contains(
                 QStringLiteral("the server no longer has the multipart upload %1 of c-big.bin").arg(staleUploadId)),
        qPrintable(said.constFirst()));
    if (external) // whatever the real server said, as long as it meant "gone"; the journal shows which
        qInfo("the real server's answer: %s", qPrintable(said.constFirst()));
    else
        QVERIFY2(
            said.constFirst().contains(quirk.isEmpty() ? QStringLiteral("NoSuchUpload") : QStringLiteral("NoSuchKey")),
            qPrintable(said.constFirst()));
}

// Counted by our server only: no small file sent again, one new upload, each part of the large file sent once after
// the abort, the stale id in the resume's ListParts only.
void TestGoneUpload::checkRequestsAfterAbort(const QString &bigKey)
{
    if (m_fixture.server().isExternal())
        return;
    const QJsonObject stats = m_fixture.server().stats();
    const QJsonObject requests = stats.value(QStringLiteral("requests")).toObject();
    QCOMPARE(requests.value(QStringLiteral("PutObject")).toInt(), 1); // the manifest only: no small file again
    QCOMPARE(requests.value(QStringLiteral("CreateMultipartUpload")).toInt(), 1); // started over once
    const QJsonObject bigAttempts = m_fixture.server().partCounts(stats, QStringLiteral("part_attempts"), bigKey);
    QCOMPARE(bigAttempts.size(), 6);
    for (const QJsonValue &attempts : bigAttempts)
        QCOMPARE(attempts.toInt(), 1);
    // The stale id went to the server once (the resume's ListParts), never with a part.
    QCOMPARE(m_fixture.server().unknownUploadRequests(QStringLiteral("ListParts")), 1);
    QCOMPARE(m_fixture.server().unknownUploadRequests(QStringLiteral("UploadPart")), 0);
}

void TestGoneUpload::retryAfterFailureNeverReusesTheGoneUpload_data()
{
    addQuirkRows();
}

// An episode failed for good (403 on a part) and its upload could not be aborted (500 on the Abort), so the id stays
// recorded; the server's cleanup then removes the upload. Retry must complete it with a new upload: the stale id is
// sent at most once (the resume's ListParts), never with a part, and the catalog no longer holds it.
void TestGoneUpload::retryAfterFailureNeverReusesTheGoneUpload()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("fault injection (a 403 on a part)");
    QFETCH(QString, quirk);
    QVERIFY(startServer(quirk));
    QVERIFY(m_fixture.server().injectFault({{QStringLiteral("op"), QStringLiteral("AbortMultipartUpload")},
        {QStringLiteral("action"), QStringLiteral("status")}, {QStringLiteral("status"), 500},
        {QStringLiteral("code"), QStringLiteral("InternalError")}, {QStringLiteral("times"), -1}}));
    RefusedEpisode episode;
    failOnPart2(QStringLiteral("retry"), &episode);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("AbortMultipartUpload")), 1); // tried, refused
    const auto failed = onlyFile(episode);
    QVERIFY(failed);
    const QString staleUploadId = failed->uploadId;
    QVERIFY2(!staleUploadId.isEmpty(), "the failed episode keeps the id of the upload it could not abort");

    QCOMPARE(m_fixture.server().abortUploads(), 1); // as a lifecycle rule would
    retryToCompletion(episode);
    if (QTest::currentTestFailed())
        return;
    // The resume's one ListParts finds it gone.
    QCOMPARE(m_fixture.server().unknownUploadRequests(QStringLiteral("ListParts")), 1);
    QCOMPARE(m_fixture.server().unknownUploadRequests(QStringLiteral("UploadPart")), 0);
    QCOMPARE(m_fixture.server().unknownUploadRequests(QStringLiteral("CompleteMultipartUpload")), 0);
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("CreateMultipartUpload")), 1);
    const auto completed = onlyFile(episode);
    QVERIFY(completed);
    QVERIFY(completed->uploadId != staleUploadId);
}

// An episode fails for good (403 on part 2) and the engine aborts its upload: the verified part went with it. The
// failure says nothing is kept, the catalog forgets the id and the part, and Retry starts a new upload without asking
// the server about the aborted one (which it would answer as gone: the journal would then say the server removed
// it).
void TestGoneUpload::failureAbortsAndForgetsTheUpload()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("fault injection (a 403 on a part)");
    QVERIFY(startServer({}));
    RefusedEpisode episode;
    failOnPart2(QStringLiteral("aborted"), &episode);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("AbortMultipartUpload")), 1);
    QCOMPARE(m_fixture.server().abortUploads(), 0); // the engine's Abort removed it
    const QJsonObject sent = m_fixture.server().partCounts(QStringLiteral("part_uploads"), episode.key);
    QCOMPARE(sent.value(QStringLiteral("1")).toInt(), 1); // part 1 was verified, then went with the upload
    const QStringList said = journalContaining(QStringLiteral(": failed ("));
    QCOMPARE(said.size(), 1);
    QVERIFY2(said.constFirst().contains(QStringLiteral("(0 B of 15.0 MiB kept)")), qPrintable(said.constFirst()));
    const EpisodeStatus status = *episode.engine->status(episode.id);
    QVERIFY(!status.progress || status.progress->committedBytes == 0);
    const auto failed = onlyFile(episode);
    QVERIFY(failed);
    QVERIFY(failed->uploadId.isEmpty());
    QVERIFY(failed->parts.isEmpty());

    retryToCompletion(episode);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("ListParts")), 0); // nothing to resume
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("CreateMultipartUpload")), 1);
    QCOMPARE(m_fixture.server().unknownUploadRequests(QStringLiteral("ListParts")), 0);
    QVERIFY(journalContaining(QStringLiteral("no longer has")).isEmpty());
}

// A 15 MiB file (three parts, one at a time) whose part 2 the server refuses for good (403 AccessDenied): waits until
// the episode has failed with that error, part 1 verified before it.
void TestGoneUpload::failOnPart2(const QString &prefix, RefusedEpisode *episode)
{
    const QString path = m_fixture.filePath(prefix + QStringLiteral(".bin"));
    episode->data = TestData::randomBytes(15 * kMiB, 9);
    QVERIFY(TestData::writeFile(path, episode->data));
    episode->key = prefix + QStringLiteral("/ep/") + QFileInfo(path).fileName();
    episode->config = m_fixture.syncConfig(prefix);
    episode->config.upload.singlePutThreshold = 5 * kMiB;
    episode->config.upload.concurrency = 1;
    QVERIFY(m_fixture.server().injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
        {QStringLiteral("part_number"), 2}, {QStringLiteral("action"), QStringLiteral("status")},
        {QStringLiteral("status"), 403}, {QStringLiteral("code"), QStringLiteral("AccessDenied")},
        {QStringLiteral("message"), QStringLiteral("Access Denied")}, {QStringLiteral("times"), -1}}));
    episode->engine = TestData::openSyncEngine(episode->config);
    QVERIFY(episode->engine);
    episode->id = TestData::registerEpisode(*episode->engine, path, QStringLiteral("ep"));
    QVERIFY(episode->id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(episode->engine->status(episode->id)->record.state, EpisodeState::Failed, 30000);
    QCOMPARE(episode->engine->status(episode->id)->record.lastErrorCode, QStringLiteral("AccessDenied"));
}

// The server accepts everything again (faults and counters cleared); Retry must complete the episode with the file's
// bytes.
void TestGoneUpload::retryToCompletion(RefusedEpisode &episode)
{
    QVERIFY(m_fixture.resetServer());
    episode.engine->retry(episode.id);
    QTRY_VERIFY_WITH_TIMEOUT(isTerminal(episode.engine->status(episode.id)->record.state)
            && episode.engine->status(episode.id)->record.attemptsMade == 2,
        30000);
    const EpisodeRecord record = episode.engine->status(episode.id)->record;
    QVERIFY2(record.state == EpisodeState::Completed, qPrintable(record.lastErrorMessage));
    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(episode.key, &stored));
    QVERIFY(stored == episode.data);
}

std::optional<EpisodeFileRecord> TestGoneUpload::onlyFile(const RefusedEpisode &episode)
{
    auto catalog = Catalog::open(episode.config.dataDir);
    if (!catalog)
        return std::nullopt;
    const auto files = catalog.value()->loadFiles(episode.id);
    if (!files || files.value().size() != 1)
        return std::nullopt;
    return files.value().constFirst();
}

void TestGoneUpload::goneWhilePartsAreSentIsRetried_data()
{
    addQuirkRows();
}

// The server removes the upload while its parts are being sent: the next UploadPart meets the gone upload (radosgw:
// NoSuchKey). The file ends with a retryable error, the catalog forgets the id, and the episode's next attempt starts
// the file with a new upload without asking the server about the old one again.
void TestGoneUpload::goneWhilePartsAreSentIsRetried()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("fault injection (a held part)");
    QFETCH(QString, quirk);
    QVERIFY(startServer(quirk));
    const QString path = m_fixture.filePath(QStringLiteral("ep.bin"));
    const QByteArray data = TestData::randomBytes(20 * kMiB, 11);
    QVERIFY(TestData::writeFile(path, data));
    SyncConfig config = m_fixture.syncConfig(QStringLiteral("midway"));
    config.upload.singlePutThreshold = 5 * kMiB;
    config.upload.concurrency = 1; // one part at a time: the part after the removal is the only one to meet it
    // Part 2's answer is held, so the removal surely comes while the upload is mid-way.
    QVERIFY(m_fixture.server().injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
        {QStringLiteral("part_number"), 2}, {QStringLiteral("action"), QStringLiteral("stall")},
        {QStringLiteral("stall_ms"), 1500}, {QStringLiteral("times"), 1}}));

    auto engine = TestData::openSyncEngine(config);
    QVERIFY(engine);
    const qint64 id = TestData::registerEpisode(*engine, path, QStringLiteral("ep"));
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT(engine->status(id)->progress && engine->status(id)->progress->partsCompleted >= 1, 30000);
    QCOMPARE(m_fixture.server().abortUploads(QStringLiteral("midway/")), 1);
    QTRY_VERIFY_WITH_TIMEOUT(isTerminal(engine->status(id)->record.state), 30000);
    const EpisodeRecord record = engine->status(id)->record;
    QVERIFY2(record.state == EpisodeState::Completed, qPrintable(record.lastErrorMessage));
    QCOMPARE(record.attemptsMade, 2);

    QCOMPARE(m_fixture.server().unknownUploadRequests(QStringLiteral("UploadPart")), 1);
    QCOMPARE(m_fixture.server().unknownUploadRequests(QStringLiteral("ListParts")), 0); // the catalog had forgotten it
    QCOMPARE(
        m_fixture.server().unknownUploadRequests(QStringLiteral("AbortMultipartUpload")), 0); // nothing to clean up
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("CreateMultipartUpload")), 2);
    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(QStringLiteral("midway/ep/ep.bin"), &stored));
    QVERIFY(stored == data);
    QCOMPARE(journalContaining(QStringLiteral("starting this file over")).size(), 1);
}

QTEST_GUILESS_MAIN(TestGoneUpload)
#include "tst_goneupload.moc"

// Quirks of named real servers (issue 18), each driven through the sync engine: the strict server runs with one
// `--quirk` (or a server option that mimics a real server) and the engine must upload a folder episode (a single-PUT
// file and a multipart file), resume a stopped upload without re-sending verified parts, and retry a part that fails
// once, and keep a permanent error permanent. What would break without the engine's handling is asserted: e.g. with
// `etag-uppercase` the old code refused the completed object (its ETag "is not" the lower-case one our parts make),
// with `empty-complete-etag` it stored an empty ETag in the manifest, with `complete-error-in-200` it failed the file
// instead of asking Complete again. The quirks' own cases (a gone upload, every Complete answer) have their suites:
// tst_goneupload, tst_completeanswers, tst_permanentfaults.
#include "core/completedpart.h"
#include "s3serverprocess.h"
#include "storage/curltransport.h"
#include "storage/hashing.h"
#include "storage/memorybody.h"
#include "storage/s3client.h"
#include "strictserverfixture.h"
#include "sync/episodesynchooks.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using TestData::fault;
using TestData::kMiB;

namespace {

constexpr qint64 kPartSize = 5 * kMiB;

bool isLowerHexEtag(const QByteArray &etag)
{
    return !etag.isEmpty() && !etag.contains('"') && etag == etag.toLower();
}

bool rowHasQuirk(const QStringList &arguments, const char *quirk)
{
    return arguments.value(0) == QLatin1String("--quirk") && arguments.value(1) == QLatin1String(quirk);
}

} // namespace

class TestServerQuirks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void serverShowsTheQuirk_data() { quirkRows(); }
    void serverShowsTheQuirk();
    void folderUploads_data() { quirkRows(); }
    void folderUploads();
    void stoppedUploadResumes_data() { quirkRows(); }
    void stoppedUploadResumes();
    void failedPartIsRetried_data() { quirkRows(); }
    void failedPartIsRetried();
    void permanentErrorStaysPermanent_data() { quirkRows(); }
    void permanentErrorStaysPermanent();

private:
    static void quirkRows();
    // Starts the fixture's server with the row's arguments; false (with a failure recorded) when it cannot.
    bool startServer();
    SyncConfig config(const QString &prefix) const;
    // A folder of a 64 KiB file (one PutObject) and a 12 MiB file (three parts); contents by relative path.
    QMap<QString, QByteArray> writeFolder(const QString &folder);
    // The episode's objects read back byte-identical, and the manifest lists every file with its ETag in normal
    // form (lower-case hex, no quotes): the MD5 for the single PUT, the multipart ETag for the other (unless the
    // server makes opaque multipart ETags: then the manifest says "etag_checked": false).
    void verifyEpisode(
        const SyncEngine &engine, qint64 id, const QString &prefix, const QMap<QString, QByteArray> &contents);
    // Uploads writeFolder()'s folder as the episode name with cfg into *engine; it must complete in one attempt and
    // pass verifyEpisode().
    void uploadFolder(const QString &name, const SyncConfig &cfg, std::unique_ptr<SyncEngine> *engine);

    StrictServerFixture m_fixture;
};

void TestServerQuirks::quirkRows()
{
    QTest::addColumn<QStringList>("arguments"); // extra strict-s3-server arguments
    const auto quirk = [](const char *name) {
        QTest::newRow(name) << QStringList{QStringLiteral("--quirk"), QLatin1String(name)};
    };
    quirk("etag-unquoted");
    quirk("etag-uppercase");
    quirk("checksum-headers");
    quirk("error-no-content-length");
    quirk("empty-error-message");
    quirk("rgw-nosuchkey-listparts");
    quirk("empty-complete-etag");
    quirk("opaque-multipart-etag");
    quirk("complete-error-in-200");
    // Not a quirk of its own: radosgw and others answer ListParts in pages shorter than max-parts asks for. One part
    // per page makes resume page through every recorded part.
    QTest::newRow("list-parts-page-size-1")
        << QStringList{QStringLiteral("--list-parts-page-size"), QStringLiteral("1")};
}

void TestServerQuirks::init()
{
    QVERIFY(m_fixture.makeDir());
}

void TestServerQuirks::cleanup()
{
    m_fixture.stopServer();
}

bool TestServerQuirks::startServer()
{
    QFETCH(QStringList, arguments);
    QString error;
    if (!m_fixture.startServer(&error, arguments)) {
        QTest::qFail(qPrintable(error), __FILE__, __LINE__);
        return false;
    }
    return true;
}

SyncConfig TestServerQuirks::config(const QString &prefix) const
{
    SyncConfig config = m_fixture.syncConfig(prefix);
    config.upload.singlePutThreshold = kPartSize; // 64 KiB: one PutObject; 12 MiB: three parts
    return config;
}

QMap<QString, QByteArray> TestServerQuirks::writeFolder(const QString &folder)
{
    const QMap<QString, QByteArray> contents{{QStringLiteral("imu/small.bin"), TestData::randomBytes(64 * 1024, 31)},
        {QStringLiteral("cam/big.bin"), TestData::randomBytes(12 * kMiB + 7, 32)}};
    for (auto it = contents.cbegin(); it != contents.cend(); ++it) {
        if (!TestData::writeFile(folder + QLatin1Char('/') + it.key(), it.value()))
            return {};
    }
    return contents;
}

void TestServerQuirks::verifyEpisode(
    const SyncEngine &engine, qint64 id, const QString &prefix, const QMap<QString, QByteArray> &contents)
{
    QFETCH(QStringList, arguments);
    const bool opaqueMultipartEtags = rowHasQuirk(arguments, "opaque-multipart-etag");
    const EpisodeStatus done = *engine.status(id);
    QByteArray manifestBytes;
    QVERIFY(m_fixture.server().getObject(EpisodeSyncHooks::manifestKey(prefix), &manifestBytes));
    QCOMPARE(done.record.manifestEtag, Hashing::md5(manifestBytes).toHex());
    const QJsonArray files = QJsonDocument::fromJson(manifestBytes).object().value(QStringLiteral("files")).toArray();
    QCOMPARE(files.size(), contents.size());
    for (const QJsonValue &value : files) {
        const QJsonObject file = value.toObject();
        const QString relative = file.value(QStringLiteral("path")).toString();
        const QByteArray data = contents.value(relative);
        QByteArray stored;
        QVERIFY(m_fixture.server().getObject(file.value(QStringLiteral("key")).toString(), &stored));
        QVERIFY2(stored == data, qPrintable(relative));
        const QByteArray etag = file.value(QStringLiteral("etag")).toString().toLatin1();
        QVERIFY2(isLowerHexEtag(etag), etag.constData());
        const bool multipart = data.size() > kPartSize;
        if (multipart && opaqueMultipartEtags) {
            // Not md5-of-md5s-N, so nothing to check it against: kept as the server's, and said so.
            QCOMPARE(file.value(QStringLiteral("etag_checked")), QJsonValue(false));
            QCOMPARE(etag.size(), 32);
            QVERIFY(etag != TestData::multipartEtag(data, kPartSize));
        } else {
            QVERIFY2(!file.contains(QStringLiteral("etag_checked")), qPrintable(relative));
            QCOMPARE(etag, multipart ? TestData::multipartEtag(data, kPartSize) : Hashing::md5(data).toHex());
        }
    }
    QCOMPARE(done.record.etagsUnchecked, opaqueMultipartEtags ? 1 : 0);
}

// The rows below would pass against a server that ignored the quirk: first make sure each one is on the wire.
void TestServerQuirks::serverShowsTheQuirk()
{
    if (!startServer())
        return;
    QFETCH(QStringList, arguments);
    EndpointProfile profile;
    profile.endpoint = m_fixture.server().endpoint();
    profile.region = QString::fromLatin1(m_fixture.server().region());
    profile.pathStyle = true;
    CurlTransport transport;
    const QByteArray body = "hello\n";
    S3Client client(profile, {m_fixture.server().accessKeyId(), m_fixture.server().secretAccessKey(), {}}, transport);
    const auto put = transport.perform(client.putObjectRequest(m_fixture.server().bucket(), QStringLiteral("hello.txt"),
        std::make_shared<MemoryBody>(body), Hashing::md5(body)));
    QVERIFY2(put.ok() && put.value().status == 200, qPrintable(put.ok() ? put.value().body : put.error().toString()));
    const QByteArray etag = put.value().header("etag");
    const QByteArray md5 = Hashing::md5(body).toHex();
    const QString quirk = arguments.value(1);
    if (quirk == QLatin1String("etag-unquoted")) {
        QCOMPARE(etag, md5);
    } else if (quirk == QLatin1String("etag-uppercase")) {
        QCOMPARE(etag, '"' + md5.toUpper() + '"');
    } else {
        QCOMPARE(etag, '"' + md5 + '"');
    }
    // CRC-32 of "hello\n" is 0x363a3020: base64 of its big-endian bytes, as AWS sends it.
    QCOMPARE(put.value().header("x-amz-checksum-crc32"),
        quirk == QLatin1String("checksum-headers") ? QByteArray("NjowIA==") : QByteArray());

    S3Client wrongSecret(profile, {m_fixture.server().accessKeyId(), "not-the-secret", {}}, transport);
    const auto refused = transport.perform(wrongSecret.listPartsRequest(
        m_fixture.server().bucket(), QStringLiteral("hello.txt"), QStringLiteral("no-such-upload"), 0, 1000));
    QVERIFY(refused.ok());
    QCOMPARE(refused.value().status, 403);
    QVERIFY2(refused.value().body.contains("<Code>SignatureDoesNotMatch</Code>")
            && refused.value().body.trimmed().endsWith("</Error>"),
        refused.value().body.constData()); // the whole document, also when the close ends it
    const bool noLength = quirk == QLatin1String("error-no-content-length");
    QCOMPARE(refused.value().header("content-length").isEmpty(), noLength);
    QCOMPARE(refused.value().header("connection").toLower() == "close", noLength);
    QCOMPARE(refused.value().body.contains("<Message></Message>"), quirk == QLatin1String("empty-error-message"));

    // An upload id the server never had: how it says so.
    const auto unknown
        = client.listParts(m_fixture.server().bucket(), QStringLiteral("hello.txt"), QStringLiteral("no-such"));
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().httpStatus, 404);
    QCOMPARE(unknown.error().s3Code,
        quirk == QLatin1String("rgw-nosuchkey-listparts") ? QStringLiteral("NoSuchKey")
                                                          : QStringLiteral("NoSuchUpload"));

    // A one-part multipart upload: what Complete answers, read by the engine's parser.
    const QString key = QStringLiteral("probe.bin");
    const auto uploadId = client.createMultipartUpload(m_fixture.server().bucket(), key);
    QVERIFY2(uploadId.ok(), qPrintable(uploadId.ok() ? QString() : uploadId.error().toString()));
    const auto part = transport.perform(client.uploadPartRequest(
        m_fixture.server().bucket(), key, uploadId.value(), 1, std::make_shared<MemoryBody>(body)));
    QVERIFY(part.ok() && part.value().status == 200);
    const QList<CompletedPart> parts{{1, body.size(), md5, std::nullopt}};
    const QByteArray wholeEtag = Hashing::md5(Hashing::md5(body)).toHex() + "-1";
    const auto complete = S3Client::parseCompleteMultipartUpload(transport.perform(
        client.completeMultipartUploadRequest(m_fixture.server().bucket(), key, uploadId.value(), parts)));
    if (quirk == QLatin1String("complete-error-in-200")) {
        QVERIFY(!complete.ok()); // a 200 whose body is an <Error>: nothing was completed
        QCOMPARE(complete.error().httpStatus, 200);
        QCOMPARE(complete.error().s3Code, QStringLiteral("InternalError"));
        QVERIFY(complete.error().retryable);
        return;
    }
    QVERIFY2(complete.ok(), qPrintable(complete.ok() ? QString() : complete.error().toString()));
    if (quirk == QLatin1String("empty-complete-etag"))
        QCOMPARE(complete.value().etag, QByteArray());
    else if (quirk == QLatin1String("opaque-multipart-etag"))
        QVERIFY(complete.value().etag.size() == 32 && complete.value().etag != wholeEtag);
    else
        QCOMPARE(complete.value().etag, wholeEtag);
}

void TestServerQuirks::uploadFolder(const QString &name, const SyncConfig &cfg, std::unique_ptr<SyncEngine> *engine)
{
    const QString folder = m_fixture.filePath(name);
    const QMap<QString, QByteArray> contents = writeFolder(folder);
    QVERIFY(!contents.isEmpty());
    *engine = TestData::openSyncEngine(cfg);
    QVERIFY(*engine);
    const qint64 id = TestData::registerEpisode(**engine, folder, name);
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT((*engine)->status(id)->record.state == EpisodeState::Completed
            || (*engine)->status(id)->record.state == EpisodeState::Failed,
        30000);
    const EpisodeRecord record = (*engine)->status(id)->record;
    QVERIFY2(record.state == EpisodeState::Completed,
        qPrintable(record.lastErrorCode + QStringLiteral(": ") + record.lastErrorMessage));
    QCOMPARE(record.attempts, 1); // nothing about the quirk made an attempt fail
    verifyEpisode(**engine, id, cfg.keyPrefix + QLatin1Char('/') + name, contents);
}

void TestServerQuirks::folderUploads()
{
    if (!startServer())
        return;
    std::unique_ptr<SyncEngine> engine;
    uploadFolder(QStringLiteral("run-001"), config(QStringLiteral("quirks/upload")), &engine);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("UploadPart")), 3);
    QFETCH(QStringList, arguments);
    // The 200 with an error body completed nothing: Complete was asked again, the parts were not sent again.
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("CompleteMultipartUpload")),
        rowHasQuirk(arguments, "complete-error-in-200") ? 2 : 1);
}

void TestServerQuirks::stoppedUploadResumes()
{
    if (!startServer())
        return;
    // Every part waits on the server, so the stop comes while parts are on the wire; each is recorded when it ends.
    QVERIFY(m_fixture.server().injectFault(fault(QStringLiteral("UploadPart"), QStringLiteral("stall"),
        {{QStringLiteral("stall_ms"), 200}, {QStringLiteral("times"), -1}})));
    const QString path = m_fixture.filePath(QStringLiteral("resume.bin"));
    const QByteArray data = TestData::randomBytes(30 * kMiB, 33); // six parts
    QVERIFY(TestData::writeFile(path, data));
    SyncConfig cfg = config(QStringLiteral("quirks/resume"));
    cfg.upload.concurrency = 2;
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const qint64 id = TestData::registerEpisode(*engine, path, QStringLiteral("resume"));
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT(engine->status(id)->progress && engine->status(id)->progress->partsCompleted >= 2, 30000);
    engine->shutdown(10000); // parts on the wire finish and are recorded; nothing new starts
    engine.reset();
    QVERIFY(m_fixture.server().clearFaults());
    const int listPartsBefore = m_fixture.server().requestCount(QStringLiteral("ListParts"));
    const QString key = cfg.keyPrefix + QStringLiteral("/resume/resume.bin");
    const int sentBefore = m_fixture.server().partCounts(QStringLiteral("part_uploads"), key).size();
    QVERIFY(sentBefore >= 2 && sentBefore < 6);

    engine = TestData::openSyncEngine(cfg); // the same catalog: the restart resumes the kept upload
    QVERIFY(engine);
    QTRY_VERIFY_WITH_TIMEOUT(engine->status(id)->record.state == EpisodeState::Completed
            || engine->status(id)->record.state == EpisodeState::Failed,
        30000);
    const EpisodeRecord record = engine->status(id)->record;
    QVERIFY2(record.state == EpisodeState::Completed,
        qPrintable(record.lastErrorCode + QStringLiteral(": ") + record.lastErrorMessage));
    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(key, &stored));
    QVERIFY(stored == data);
    // Verified parts were adopted from ListParts, not sent again: every part reached the server exactly once.
    const QJsonObject parts = m_fixture.server().partCounts(QStringLiteral("part_uploads"), key);
    QCOMPARE(parts.size(), 6);
    for (auto it = parts.constBegin(); it != parts.constEnd(); ++it)
        QVERIFY2(it.value().toInt() == 1,
            qPrintable(QStringLiteral("part %1 sent %2 times").arg(it.key()).arg(it.value().toInt())));
    const int listParts = m_fixture.server().requestCount(QStringLiteral("ListParts")) - listPartsBefore;
    QFETCH(QStringList, arguments);
    if (arguments.contains(QStringLiteral("--list-parts-page-size")))
        QCOMPARE(listParts, sentBefore); // one page per recorded part: resume followed every NextPartNumberMarker
    else
        QCOMPARE(listParts, 1);
}

void TestServerQuirks::failedPartIsRetried()
{
    if (!startServer())
        return;
    // One 503 SlowDown on part 2 and one 500 InternalError on the first PutObject: both retried on their own.
    QVERIFY(m_fixture.server().injectFault(fault(QStringLiteral("UploadPart"), QStringLiteral("status"),
        {{QStringLiteral("part_number"), 2}, {QStringLiteral("status"), 503},
            {QStringLiteral("code"), QStringLiteral("SlowDown")},
            {QStringLiteral("message"), QStringLiteral("Slow")}})));
    QVERIFY(m_fixture.server().injectFault(fault(QStringLiteral("PutObject"), QStringLiteral("status"),
        {{QStringLiteral("status"), 500}, {QStringLiteral("code"), QStringLiteral("InternalError")}})));
    const SyncConfig cfg = config(QStringLiteral("quirks/retry"));
    std::unique_ptr<SyncEngine> engine;
    uploadFolder(QStringLiteral("run-002"), cfg, &engine); // in one attempt: the parts were retried, not the episode
    if (QTest::currentTestFailed())
        return;
    const QJsonObject stats = m_fixture.server().stats();
    const QJsonObject fired = stats.value(QStringLiteral("faults_fired_by_kind")).toObject();
    QCOMPARE(fired.value(QStringLiteral("status_503")).toInteger(), 1);
    QCOMPARE(fired.value(QStringLiteral("status_500")).toInteger(), 1);
    const QJsonObject attempts = m_fixture.server().partCounts(
        stats, QStringLiteral("part_attempts"), cfg.keyPrefix + QStringLiteral("/run-002/cam/big.bin"));
    QCOMPARE(attempts.value(QStringLiteral("1")).toInt(), 1);
    QCOMPARE(attempts.value(QStringLiteral("2")).toInt(), 2);
    QCOMPARE(attempts.value(QStringLiteral("3")).toInt(), 1);
    QCOMPARE(engine->counters().partsRetried, 2);
}

void TestServerQuirks::permanentErrorStaysPermanent()
{
    if (!startServer())
        return;
    // The code is only in the error document: classifying it as AccessDenied needs the whole body (to EOF when the
    // server sends no Content-Length).
    QVERIFY(m_fixture.server().injectFault(fault(QStringLiteral("*"), QStringLiteral("status"),
        {{QStringLiteral("status"), 403}, {QStringLiteral("code"), QStringLiteral("AccessDenied")},
            {QStringLiteral("message"), QStringLiteral("Access Denied by the bucket policy")},
            {QStringLiteral("times"), -1}})));
    const QString path = m_fixture.filePath(QStringLiteral("denied.bin"));
    QVERIFY(TestData::writeFile(path, TestData::randomBytes(6 * kMiB, 34)));
    SyncConfig cfg = config(QStringLiteral("quirks/denied"));
    cfg.upload.retry = RetryPolicy(5, 10, 50); // a retryable error would be repeated: this one must not be
    cfg.episodeRetry = RetryPolicy(5, 50, 100, RetryPolicy::Jitter::Equal);
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const qint64 id = TestData::registerEpisode(*engine, path, QStringLiteral("denied"));
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Failed, 20000);
    const EpisodeRecord record = engine->status(id)->record;
    QCOMPARE(record.lastErrorCode, QStringLiteral("AccessDenied"));
    QFETCH(QStringList, arguments);
    if (rowHasQuirk(arguments, "empty-error-message")) // the server says nothing: our sentence for the code
        QVERIFY2(record.lastErrorMessage.startsWith(QLatin1String("The storage denied access")),
            qPrintable(record.lastErrorMessage));
    else
        QVERIFY2(record.lastErrorMessage.contains(QLatin1String("Access Denied by the bucket policy")),
            qPrintable(record.lastErrorMessage));
    QCOMPARE(record.attempts, 1);
    QVERIFY(!record.nextRetryAt.isValid());
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("CreateMultipartUpload")), 1);
}

QTEST_GUILESS_MAIN(TestServerQuirks)
#include "tst_serverquirks.moc"

// What CompleteMultipartUpload answers (issue 18): a strict server with the quirks real servers have. An empty
// <ETag></ETag> (Ceph radosgw 16.2) is checked through HEAD; an ETag not made from the parts' MD5s (encrypted buckets)
// completes with "etag_checked": false in the manifest and the status, never an empty ETag stored silently; a 200
// whose body is an <Error> (AWS documents it) is that error and is retried, without sending a part again.
#include "api/apiserver.h"
#include "apiclient.h"
#include "s3serverprocess.h"
#include "storage/hashing.h"
#include "storage/s3client.h"
#include "sync/episodesynchooks.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using TestData::kMiB;

namespace {

constexpr qint64 kPartSize = 5 * kMiB;

} // namespace

class TestCompleteAnswers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void emptyCompleteEtagIsCheckedByHead();
    void opaqueEtagIsSaidUnchecked();
    void errorIn200IsRetried();

private:
    struct Run
    {
        EpisodeRecord record;
        QJsonObject status; // GET /sync/episodes/<id>/status
        QJsonObject manifestFile; // the manifest's entry for ep.bin
        QString key; // of the file's object
    };
    // Starts a strict server with quirk, uploads a 14 MiB file (parts of 5, 5 and 4 MiB) as one episode and waits
    // for it to end. manifestFaults: PutObject answers 500 that often (the manifest is the episode's only PutObject),
    // so the attempts that find every file complete end before the manifest and a later one writes it.
    void runEpisode(S3ServerProcess &server, const QString &quirk, int manifestFaults, Run *run);

    std::unique_ptr<QTemporaryDir> m_dir;
    QByteArray m_data;
};

void TestCompleteAnswers::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_data = TestData::randomBytes(14 * kMiB + 5, 18);
}

void TestCompleteAnswers::runEpisode(S3ServerProcess &server, const QString &quirk, int manifestFaults, Run *run)
{
    server.setExtraArguments({QStringLiteral("--quirk"), quirk});
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    if (manifestFaults > 0) {
        QVERIFY2(server.injectFault(
                     TestData::fault(QStringLiteral("PutObject"), QStringLiteral("status"),
                         {{QStringLiteral("status"), 500}, {QStringLiteral("code"), QStringLiteral("InternalError")},
                             {QStringLiteral("times"), manifestFaults}}),
                     &error),
            qPrintable(error));
    }

    const QString prefix = QStringLiteral("reliability/answers/") + quirk;
    SyncConfig config = TestData::syncConfig(server, m_dir->filePath(QStringLiteral("data")), prefix);
    config.upload.singlePutThreshold = 5 * kMiB;
    if (manifestFaults > 0)
        config.upload.retry = RetryPolicy(1, 10, 50); // a failed manifest ends the attempt at once
    config.episodeRetry = RetryPolicy(5, 50, 100, RetryPolicy::Jitter::Equal);
    const QString path = m_dir->filePath(QStringLiteral("ep.bin"));
    QVERIFY(TestData::writeFile(path, m_data));

    auto engine = TestData::openSyncEngine(config);
    QVERIFY(engine);
    ApiConfig apiConfig;
    apiConfig.dataDir = config.dataDir;
    ApiServer api(*engine, apiConfig);
    const auto started = api.start();
    QVERIFY2(started, qPrintable(started.error().message));
    ApiClient client(api.url(), api.token());

    const qint64 id = TestData::registerEpisode(*engine, path, QStringLiteral("ep.bin"));
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT(engine->status(id)->record.state == EpisodeState::Completed
            || engine->status(id)->record.state == EpisodeState::Failed,
        30000);
    run->record = engine->status(id)->record;
    QVERIFY2(run->record.state == EpisodeState::Completed, qPrintable(run->record.lastErrorMessage));

    const HttpReply reply = client.get(QStringLiteral("/sync/episodes/%1/status").arg(id));
    QCOMPARE(reply.status, 200);
    run->status = reply.json();

    const QString episodePrefix = prefix + QStringLiteral("/ep.bin");
    run->key = episodePrefix + QStringLiteral("/ep.bin");
    QByteArray stored;
    QVERIFY2(server.getObject(run->key, &stored, &error), qPrintable(error));
    QVERIFY(stored == m_data);
    QByteArray manifest;
    QVERIFY2(server.getObject(EpisodeSyncHooks::manifestKey(episodePrefix), &manifest, &error), qPrintable(error));
    const QJsonArray files = QJsonDocument::fromJson(manifest).object().value(QStringLiteral("files")).toArray();
    QCOMPARE(files.size(), 1);
    run->manifestFile = files.first().toObject();
}

// radosgw 16.2: Complete answers <ETag></ETag>. One HEAD gets the object's ETag, which is checked as usual.
void TestCompleteAnswers::emptyCompleteEtagIsCheckedByHead()
{
    S3ServerProcess server(S3ServerProcess::Kind::Strict);
    Run run;
    runEpisode(server, QStringLiteral("empty-complete-etag"), 0, &run);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(run.record.attempts, 1);
    const QJsonObject requests = server.stats().value(QStringLiteral("requests")).toObject();
    QCOMPARE(requests.value(QStringLiteral("CompleteMultipartUpload")).toInteger(), 1);
    QCOMPARE(requests.value(QStringLiteral("HeadObject")).toInteger(), 1);

    QCOMPARE(run.manifestFile.value(QStringLiteral("etag")).toString().toLatin1(),
        TestData::multipartEtag(m_data, kPartSize));
    QVERIFY(!run.manifestFile.contains(QStringLiteral("etag_checked")));
    QCOMPARE(run.record.etagsUnchecked, 0);
    const QJsonObject cloud = run.status.value(QStringLiteral("cloud")).toObject();
    QCOMPARE(cloud.value(QStringLiteral("etags_unchecked")).toInt(-1), 0);
}

// An ETag that is not md5-of-md5s-N (SSE-KMS, SSE-C, a server's own scheme) cannot be checked: the episode completes,
// and the status and the manifest say so, the manifest with the ETag the server gave. The first attempt ends before
// its manifest: the second writes it from what the catalog kept, etag_checked included.
void TestCompleteAnswers::opaqueEtagIsSaidUnchecked()
{
    S3ServerProcess server(S3ServerProcess::Kind::Strict);
    Run run;
    runEpisode(server, QStringLiteral("opaque-multipart-etag"), 1, &run);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(run.record.attempts, 2); // the first ended at its manifest
    const QJsonObject stats = server.stats();
    const QJsonObject requests = stats.value(QStringLiteral("requests")).toObject();
    QCOMPARE(requests.value(QStringLiteral("CompleteMultipartUpload")).toInteger(), 1); // not uploaded again
    QCOMPARE(requests.value(QStringLiteral("HeadObject")).toInteger(), 1); // HEAD's ETag was no better
    QCOMPARE(requests.value(QStringLiteral("PutObject")).toInteger(), 2); // the manifest, twice

    CurlTransport transport;
    S3Client client(
        TestData::syncConfig(server, {}, {}).profile, {server.accessKeyId(), server.secretAccessKey(), {}}, transport);
    const auto head = client.headObject(server.bucket(), run.key);
    QVERIFY2(head, qPrintable(head ? QString() : head.error().toString()));
    QVERIFY(
        QRegularExpression(QStringLiteral("^[0-9a-f]{32}$")).match(QString::fromLatin1(head.value().etag)).hasMatch());

    QCOMPARE(run.manifestFile.value(QStringLiteral("etag")).toString().toLatin1(), head.value().etag);
    QCOMPARE(run.manifestFile.value(QStringLiteral("etag_checked")), QJsonValue(false));
    QCOMPARE(run.record.etagsUnchecked, 1);
    const QJsonObject cloud = run.status.value(QStringLiteral("cloud")).toObject();
    QCOMPARE(cloud.value(QStringLiteral("etags_unchecked")).toInt(-1), 1);
}

// AWS: "a 200 OK response can contain either a success or an error". The first Complete answers 200, whitespace and
// an InternalError document, and completes nothing: the engine retries it within the attempt; no part is sent again.
void TestCompleteAnswers::errorIn200IsRetried()
{
    S3ServerProcess server(S3ServerProcess::Kind::Strict);
    Run run;
    runEpisode(server, QStringLiteral("complete-error-in-200"), 0, &run);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(run.record.attempts, 1); // retried as a request, not as an episode
    const QJsonObject stats = server.stats();
    const QJsonObject requests = stats.value(QStringLiteral("requests")).toObject();
    QCOMPARE(requests.value(QStringLiteral("CompleteMultipartUpload")).toInteger(), 2);
    QCOMPARE(requests.value(QStringLiteral("CreateMultipartUpload")).toInteger(), 1);
    QCOMPARE(requests.value(QStringLiteral("ListParts")).toInteger(), 0);
    QCOMPARE(stats.value(QStringLiteral("uploads_in_progress")).toInteger(), 0);
    const QJsonObject parts = server.partCounts(stats, QStringLiteral("part_uploads"), run.key);
    QCOMPARE(parts.size(), 3);
    for (int part = 1; part <= 3; ++part)
        QCOMPARE(parts.value(QString::number(part)).toInteger(), 1);

    QCOMPARE(run.manifestFile.value(QStringLiteral("etag")).toString().toLatin1(),
        TestData::multipartEtag(m_data, kPartSize));
    QVERIFY(!run.manifestFile.contains(QStringLiteral("etag_checked")));
    QCOMPARE(run.record.etagsUnchecked, 0);
}

QTEST_GUILESS_MAIN(TestCompleteAnswers)
#include "tst_completeanswers.moc"

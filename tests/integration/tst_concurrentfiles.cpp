// The files of a job in flight together, over real sockets against the strict server (S3 and OSS dialects, and S3
// over TLS with a test CA the server made): a
// folder keeps several requests on the wire at once, small files and parts of large ones share one budget (and the
// engine's budget above it), connections are reused, and a failure or a cancel stops every file. The server holds
// each answer back (a "stall" fault) so that what is in flight at once can be seen from its side; nothing here
// measures time.
#include "storage/hashing.h"
#include "storage/uploadjob.h"
#include "strictservers.h"
#include "testdata.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

using TestData::kMiB;
using TestData::randomBytes;

struct Folder
{
    QString path;
    QMap<QString, QByteArray> files; // relative path → bytes
    qint64 totalBytes = 0;
};

int inFlightMaximum(const QJsonObject &stats, const QString &op)
{
    return stats.value(QStringLiteral("max_in_flight")).toObject().value(op).toInt();
}

} // namespace

class TestConcurrentFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void folderFilesAreInFlightTogether_data();
    void folderFilesAreInFlightTogether();
    void smallFilesAndPartsShareOneBudget();
    void engineBudgetCapsEveryJob();
    void failedFileStopsTheOthers();
    void cancelStopsEveryFile();
    void adaptiveLimitGrowsThenBacksOff();

private:
    S3ServerProcess &server();
    Folder makeFolder(const QString &name, int smallFiles, qint64 smallSize, QList<qint64> largeSizes = {});
    UploadJobSpec specFor(S3ServerProcess &server, const Folder &folder, const QString &key, int concurrency);
    void stallEveryAnswer(S3ServerProcess &server, int stallMs);
    // Reads every object back and compares it with the file it came from.
    void verifyStored(S3ServerProcess &server, const Folder &folder, const QString &key);

    StrictServers m_servers;
    QTemporaryDir m_dir;
};

void TestConcurrentFiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_servers.start(&error), qPrintable(error));
}

void TestConcurrentFiles::cleanupTestCase()
{
    m_servers.stop();
}

void TestConcurrentFiles::init()
{
    QVERIFY(m_servers.resetAll());
}

S3ServerProcess &TestConcurrentFiles::server()
{
    return m_servers.current();
}

Folder TestConcurrentFiles::makeFolder(const QString &name, int smallFiles, qint64 smallSize, QList<qint64> largeSizes)
{
    Folder folder;
    folder.path = m_dir.filePath(name);
    quint32 seed = quint32(qHash(name));
    const auto add = [&](const QString &relative, qint64 size) {
        const QByteArray data = randomBytes(size, ++seed);
        if (TestData::writeFile(folder.path + QLatin1Char('/') + relative, data)) {
            folder.files.insert(relative, data);
            folder.totalBytes += size;
        }
    };
    for (int i = 0; i < largeSizes.size(); ++i)
        add(QStringLiteral("big/large-%1.bin").arg(i), largeSizes.at(i)); // before frames/ in the job's order
    for (int i = 0; i < smallFiles; ++i)
        add(QStringLiteral("frames/f-%1.bin").arg(i, 4, 10, QLatin1Char('0')), smallSize + i);
    return folder;
}

UploadJobSpec TestConcurrentFiles::specFor(
    S3ServerProcess &server, const Folder &folder, const QString &key, int concurrency)
{
    UploadJobSpec spec;
    spec.profile = server.clientProfile();
    spec.credentials = {server.accessKeyId(), server.secretAccessKey(), {}};
    spec.transport = server.transportOptions();
    spec.options.partSize = 5 * kMiB;
    spec.options.minPartSize = spec.profile.minPartSize();
    spec.options.singlePutThreshold = 8 * kMiB;
    spec.options.concurrency = concurrency;
    spec.options.retry = RetryPolicy(3, 10, 50);
    spec.bucket = server.bucket();
    const auto items = UploadJob::itemsForPath(folder.path, key);
    if (items)
        spec.items = items.value();
    return spec;
}

void TestConcurrentFiles::stallEveryAnswer(S3ServerProcess &server, int stallMs)
{
    for (const QString &op : {QStringLiteral("PutObject"), QStringLiteral("UploadPart")}) {
        QVERIFY(server.injectFault(TestData::fault(
            op, QStringLiteral("stall"), {{QStringLiteral("stall_ms"), stallMs}, {QStringLiteral("times"), -1}})));
    }
}

void TestConcurrentFiles::verifyStored(S3ServerProcess &server, const Folder &folder, const QString &key)
{
    for (auto it = folder.files.constBegin(); it != folder.files.constEnd(); ++it) {
        QByteArray stored;
        QString error;
        QVERIFY2(server.getObject(key + QLatin1Char('/') + it.key(), &stored, &error), qPrintable(error));
        QVERIFY2(stored == it.value(), qPrintable(it.key()));
    }
}

void TestConcurrentFiles::folderFilesAreInFlightTogether_data()
{
    QTest::addColumn<QString>("server"); // server() picks it by the row's tag
    for (const char *name : {"strict", "oss", "https"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestConcurrentFiles::folderFilesAreInFlightTogether()
{
    S3ServerProcess &server = this->server();
    const Folder folder = makeFolder(QStringLiteral("fifty-%1").arg(QTest::currentDataTag()), 50, 64 * 1024);
    QCOMPARE(folder.files.size(), 50);
    stallEveryAnswer(server, 150);
    const int connectionsBefore = server.stats().value(QStringLiteral("connections")).toInt();

    UploadJob job(specFor(server, folder, QStringLiteral("fifty"), 8));
    QSignalSpy completed(&job, &UploadJob::fileCompleted);
    QSignalSpy finished(&job, &UploadJob::finished);
    qint64 lastCommitted = 0;
    QStringList violations;
    connect(
        &job, &UploadJob::progressChanged, &job,
        [&](const TransferProgress &progress) {
            if (progress.committedBytes < lastCommitted)
                violations << QStringLiteral("committed went backwards");
            if (progress.committedBytes + progress.inflightBytes > progress.totalBytes)
                violations << QStringLiteral("committed + in flight above total");
            lastCommitted = progress.committedBytes;
        },
        Qt::DirectConnection);
    job.start();
    QVERIFY(finished.wait(60000));
    const auto error = finished.first().first().value<StorageError>();
    QVERIFY2(!error.isError(), qPrintable(error.toString()));
    QCOMPARE(completed.size(), 50);
    QCOMPARE(job.progress().committedBytes, folder.totalBytes);
    QCOMPARE(job.progress().filesCompleted, 50);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(QLatin1String("; "))));

    const QJsonObject stats = server.stats();
    const int peakPuts = inFlightMaximum(stats, QStringLiteral("PutObject"));
    const int peakUploads = inFlightMaximum(stats, QStringLiteral("uploads"));
    QVERIFY2(peakPuts >= 4, qPrintable(QStringLiteral("at most %1 files in flight at once").arg(peakPuts)));
    QVERIFY2(peakUploads <= 8, qPrintable(QStringLiteral("%1 requests in flight, budget 8").arg(peakUploads)));
    // No connection per file: at most one per request that was ever in flight at once, plus one. A stats request
    // opens a connection of its own: measure that and leave it out.
    const int connectionsAfter = stats.value(QStringLiteral("connections")).toInt();
    const int perStatsCall = server.stats().value(QStringLiteral("connections")).toInt() - connectionsAfter;
    const int opened = connectionsAfter - connectionsBefore - perStatsCall;
    QVERIFY2(opened <= peakUploads + 1,
        qPrintable(QStringLiteral("%1 connections for a peak of %2 in flight").arg(opened).arg(peakUploads)));
    verifyStored(server, folder, QStringLiteral("fifty"));
}

void TestConcurrentFiles::smallFilesAndPartsShareOneBudget()
{
    S3ServerProcess &server = m_servers.s3();
    // One multipart file (5 parts) first, then 20 small ones: small files fill what its parts leave of the budget.
    const Folder folder = makeFolder(QStringLiteral("mixed"), 20, 32 * 1024, {23 * kMiB});
    stallEveryAnswer(server, 150);
    UploadJob job(specFor(server, folder, QStringLiteral("mixed"), 4));
    QSignalSpy finished(&job, &UploadJob::finished);
    job.start();
    QVERIFY(finished.wait(60000));
    const auto error = finished.first().first().value<StorageError>();
    QVERIFY2(!error.isError(), qPrintable(error.toString()));

    const QJsonObject stats = server.stats();
    // The budget holds parts and whole files; the large file's Create or Complete (one at a time) comes on top.
    const int peak = inFlightMaximum(stats, QStringLiteral("uploads"));
    QVERIFY2(peak <= 4 + 1, qPrintable(QStringLiteral("%1 in flight, budget 4 + 1 control request").arg(peak)));
    QVERIFY(inFlightMaximum(stats, QStringLiteral("PutObject")) <= 4);
    QVERIFY(inFlightMaximum(stats, QStringLiteral("UploadPart")) <= 4);
    // Keys mixed/big/large-0.bin and mixed/frames/…: two distinct prefixes of depth 2 in flight at once means parts of
    // the large file and small files were on the wire together.
    QCOMPARE(stats.value(QStringLiteral("max_in_flight_prefixes")).toObject().value(QStringLiteral("2")).toInt(), 2);
    QCOMPARE(stats.value(QStringLiteral("part_uploads"))
                 .toObject()
                 .value(server.bucket() + QStringLiteral("/mixed/big/large-0.bin"))
                 .toObject()
                 .size(),
        5);
    verifyStored(server, folder, QStringLiteral("mixed"));
}

void TestConcurrentFiles::engineBudgetCapsEveryJob()
{
    S3ServerProcess &server = m_servers.s3();
    const Folder first = makeFolder(QStringLiteral("budget-a"), 12, 16 * 1024);
    const Folder second = makeFolder(QStringLiteral("budget-b"), 12, 16 * 1024);
    stallEveryAnswer(server, 100);
    auto engineSlots = std::make_shared<PartSlots>(3);
    UploadJobSpec specA = specFor(server, first, QStringLiteral("budget-a"), 8);
    UploadJobSpec specB = specFor(server, second, QStringLiteral("budget-b"), 8);
    specA.options.partSlots = engineSlots;
    specB.options.partSlots = engineSlots;
    UploadJob jobA(specA);
    UploadJob jobB(specB);
    QSignalSpy finishedA(&jobA, &UploadJob::finished);
    QSignalSpy finishedB(&jobB, &UploadJob::finished);
    jobA.start();
    jobB.start();
    QVERIFY(finishedA.wait(60000));
    QVERIFY(finishedB.count() == 1 || finishedB.wait(60000));
    QVERIFY(!finishedA.first().first().value<StorageError>().isError());
    QVERIFY(!finishedB.first().first().value<StorageError>().isError());
    const int peak = inFlightMaximum(server.stats(), QStringLiteral("uploads"));
    QVERIFY2(peak <= 3, qPrintable(QStringLiteral("%1 in flight across two jobs, engine budget 3").arg(peak)));
    QVERIFY(peak >= 2);
    QCOMPARE(engineSlots->available(), 3); // every slot came back
    verifyStored(server, first, QStringLiteral("budget-a"));
    verifyStored(server, second, QStringLiteral("budget-b"));
}

void TestConcurrentFiles::failedFileStopsTheOthers()
{
    S3ServerProcess &server = m_servers.s3();
    const Folder folder = makeFolder(QStringLiteral("broken"), 30, 16 * 1024, {12 * kMiB, 12 * kMiB});
    UploadJobSpec spec = specFor(server, folder, QStringLiteral("broken"), 4);
    // A frame vanishes after the job was planned: it cannot be opened when its turn comes, right after the two large
    // files have started their multipart uploads.
    const QString vanished = folder.path + QStringLiteral("/frames/f-0000.bin");
    QVERIFY(QFile::remove(vanished));
    stallEveryAnswer(server, 100);
    UploadJob job(spec);
    QSignalSpy finished(&job, &UploadJob::finished);
    QSignalSpy completed(&job, &UploadJob::fileCompleted);
    job.start();
    QVERIFY(finished.wait(60000));
    const auto error = finished.first().first().value<StorageError>();
    QCOMPARE(error.kind, StorageError::Kind::LocalIo);
    QVERIFY2(error.message.contains(vanished), qPrintable(error.message));
    QVERIFY(completed.size() < folder.files.size());
    // Not retryable: the multipart uploads of the large files still open were aborted, none left behind.
    QTRY_COMPARE(server.stats().value(QStringLiteral("uploads_in_progress")).toInt(), 0);
}

void TestConcurrentFiles::cancelStopsEveryFile()
{
    S3ServerProcess &server = m_servers.s3();
    const Folder folder = makeFolder(QStringLiteral("cancelled"), 20, 16 * 1024, {12 * kMiB, 12 * kMiB, 12 * kMiB});
    // Every answer is held far longer than the test waits: only a cancel that stops them ends the job in time.
    stallEveryAnswer(server, 60000);
    UploadJob job(specFor(server, folder, QStringLiteral("cancelled"), 8));
    QSignalSpy finished(&job, &UploadJob::finished);
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(inFlightMaximum(server.stats(), QStringLiteral("uploads")) >= 4, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(server.stats().value(QStringLiteral("uploads_in_progress")).toInt(), 3, 20000);
    job.kill();
    // Well under the 60 s the answers are held: only a cancel that stops them ends the job before. (10 s was once
    // too short on a machine also building a clean clone.)
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().value<StorageError>().kind, StorageError::Kind::Cancelled);
    QCOMPARE(job.progress().inflightBytes, 0);
    // Cancelled by the user: every multipart upload aborted, none of the files committed.
    QCOMPARE(server.stats().value(QStringLiteral("uploads_in_progress")).toInt(), 0);
    QCOMPARE(job.progress().committedBytes, 0);
}

void TestConcurrentFiles::adaptiveLimitGrowsThenBacksOff()
{
    S3ServerProcess &server = m_servers.s3();
    auto adaptive = std::make_shared<AdaptiveConcurrency>();
    const auto adaptiveSpec = [&](const Folder &folder, const QString &key) {
        UploadJobSpec spec = specFor(server, folder, key, AdaptiveConcurrency::kDefaultCeiling);
        spec.options.adaptive = adaptive;
        spec.options.partSlots = adaptive->slots();
        return spec;
    };
    // Every answer takes 100 ms (a long round trip): more in flight means more goodput, so the limit grows.
    const Folder frames = makeFolder(QStringLiteral("adaptive"), 120, 16 * 1024);
    stallEveryAnswer(server, 100);
    int reportedParallel = 0;
    {
        UploadJob job(adaptiveSpec(frames, QStringLiteral("adaptive")));
        connect(
            &job, &UploadJob::progressChanged, &job,
            [&](const TransferProgress &p) { reportedParallel = std::max(reportedParallel, p.parallel); },
            Qt::DirectConnection);
        QSignalSpy finished(&job, &UploadJob::finished);
        job.start();
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.first().first().value<StorageError>().isError());
    }
    const int grown = adaptive->limit();
    QVERIFY2(grown > AdaptiveConcurrency::kInitial, qPrintable(QStringLiteral("limit %1").arg(grown)));
    QVERIFY(inFlightMaximum(server.stats(), QStringLiteral("PutObject")) > AdaptiveConcurrency::kInitial);
    QVERIFY2(reportedParallel > AdaptiveConcurrency::kInitial, qPrintable(QString::number(reportedParallel)));
    QCOMPARE(adaptive->backoffs(), 0);

    // A burst of SlowDown (every request then in flight refused at once) halves it once, for every upload.
    QVERIFY(server.clearFaults()); // the first matching fault wins: no stall before the SlowDown
    QVERIFY(server.resetStats());
    QVERIFY(server.injectFault(TestData::fault(QStringLiteral("PutObject"), QStringLiteral("status"),
        {{QStringLiteral("status"), 503}, {QStringLiteral("code"), QStringLiteral("SlowDown")},
            {QStringLiteral("times"), 5}})));
    const Folder more = makeFolder(QStringLiteral("adaptive-slowdown"), 20, 16 * 1024);
    UploadJobSpec spec = adaptiveSpec(more, QStringLiteral("adaptive-slowdown"));
    spec.options.retry = RetryPolicy(6, 10, 50); // more attempts than SlowDowns: no file can run out of them
    UploadJob job(spec);
    QSignalSpy finished(&job, &UploadJob::finished);
    job.start();
    QVERIFY(finished.wait(60000));
    const auto error = finished.first().first().value<StorageError>();
    QVERIFY2(!error.isError(), qPrintable(error.toString())); // the refused files were retried
    QCOMPARE(adaptive->backoffs(), 1);
    QCOMPARE(server.stats().value(QStringLiteral("faults_fired")).toInt(), 5);
    verifyStored(server, more, QStringLiteral("adaptive-slowdown"));
}

QTEST_GUILESS_MAIN(TestConcurrentFiles)
#include "tst_concurrentfiles.moc"

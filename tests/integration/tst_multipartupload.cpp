// MultipartUploader end to end over real sockets: against our strict S3 server (SigV4 checked, S3 multipart rules,
// fault injection) and against s3rver (third-party wire compatibility). Every upload is read back and compared.
#include "s3serverprocess.h"
#include "storage/fileregionbody.h"
#include "storage/hashing.h"
#include "storage/multipartuploader.h"
#include "storage/uploadjob.h"
#include "testdata.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

constexpr qint64 kMiB = 1024 * 1024;

// Records what the uploader reported, and checks the progress invariants on every report.
class RecordingObserver : public UploadObserver
{
public:
    void uploadStarted(const QString &id, const PartPlan &plan) override
    {
        uploadId = id;
        partCount = plan.partCount();
    }
    StorageResult<void> partVerified(const CompletedPart &part) override
    {
        verified.append(part);
        verifiedBytes += part.size;
        return {};
    }
    void partFailed(int partNumber, int, const StorageError &error, bool willRetry) override
    {
        failures.append({partNumber, error});
        justFailed = true;
        Q_UNUSED(willRetry)
    }
    void progressChanged(const UploadProgress &progress) override
    {
        if (progress.committedBytes < last.committedBytes)
            violations << QStringLiteral("committed went backwards");
        if (progress.committedBytes != verifiedBytes)
            violations << QStringLiteral("committed %1 != verified %2").arg(progress.committedBytes).arg(verifiedBytes);
        if (progress.committedBytes + progress.inflightBytes > progress.totalBytes)
            violations << QStringLiteral("committed + inflight above total");
        if (justFailed && checkInflightDropsToZero && progress.inflightBytes != 0)
            violations << QStringLiteral("a failed part's bytes stayed in flight");
        justFailed = false;
        last = progress;
        ++reports;
        if (onProgress)
            onProgress(progress);
    }

    QString uploadId;
    int partCount = 0;
    QList<CompletedPart> verified;
    qint64 verifiedBytes = 0;
    QList<std::pair<int, StorageError>> failures;
    UploadProgress last;
    int reports = 0;
    bool justFailed = false;
    bool checkInflightDropsToZero = false;
    QStringList violations;
    std::function<void(const UploadProgress &)> onProgress;
};

using TestData::randomBytes;

QByteArray expectedMultipartEtag(const QByteArray &data, qint64 partSize)
{
    QByteArray digests;
    int parts = 0;
    for (qint64 offset = 0; offset < data.size() || parts == 0; offset += partSize, ++parts)
        digests += Hashing::md5(QByteArrayView(data).sliced(offset, std::min(partSize, data.size() - offset)));
    return Hashing::md5(digests).toHex() + '-' + QByteArray::number(parts);
}

} // namespace

class TestMultipartUpload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void roundTrip_data();
    void roundTrip();
    void wrongSecretIsNotRetried();
    void failedPartNeverAdvancesCommitted();
    void wrongEtagIsRetried();
    void cancelAbortsWithinOneSecond();
    void resumeSendsOnlyMissingParts();
    void listPartsPages();
    void connectionsAreReused();
    void bandwidthLimitThrottles();

private:
    QString writeFile(const QByteArray &data);
    std::unique_ptr<S3Client> clientFor(S3ServerProcess &server, const QByteArray &secret = {});

    std::unique_ptr<S3ServerProcess> m_strict;
    std::unique_ptr<S3ServerProcess> m_s3rver;
    std::unique_ptr<CurlTransport> m_transport;
    QTemporaryDir m_files;
    int m_fileCounter = 0;
};

void TestMultipartUpload::initTestCase()
{
    QVERIFY(m_files.isValid());
    QString error;
    m_strict = std::make_unique<S3ServerProcess>(S3ServerProcess::Kind::Strict);
    QVERIFY2(m_strict->start(&error), qPrintable(error));
    m_s3rver = std::make_unique<S3ServerProcess>(S3ServerProcess::Kind::S3rver);
    QVERIFY2(m_s3rver->start(&error), qPrintable(error));
}

void TestMultipartUpload::cleanupTestCase()
{
    m_transport.reset();
    m_strict.reset();
    m_s3rver.reset();
}

void TestMultipartUpload::init()
{
    m_transport = std::make_unique<CurlTransport>();
    QVERIFY(m_strict->clearFaults());
}

QString TestMultipartUpload::writeFile(const QByteArray &data)
{
    const QString path = m_files.filePath(QStringLiteral("file-%1.bin").arg(++m_fileCounter));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        return {};
    return path;
}

std::unique_ptr<S3Client> TestMultipartUpload::clientFor(S3ServerProcess &server, const QByteArray &secret)
{
    EndpointProfile profile;
    profile.endpoint = server.endpoint();
    profile.region = QString::fromLatin1(server.region());
    profile.pathStyle = true;
    const AwsCredentials credentials{server.accessKeyId(), secret.isEmpty() ? server.secretAccessKey() : secret, {}};
    return std::make_unique<S3Client>(profile, credentials, *m_transport);
}

void TestMultipartUpload::roundTrip_data()
{
    QTest::addColumn<int>("serverKind");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<bool>("forceMultipart");
    const QList<std::pair<const char *, qint64>> sizes{{"0 B", 0}, {"1 B", 1}, {"5 MiB - 1", 5 * kMiB - 1},
        {"5 MiB", 5 * kMiB}, {"5 MiB + 1", 5 * kMiB + 1}, {"64 MiB", 64 * kMiB}};
    for (const auto kind : {S3ServerProcess::Kind::Strict, S3ServerProcess::Kind::S3rver}) {
        const char *server = kind == S3ServerProcess::Kind::Strict ? "strict" : "s3rver";
        for (const auto &[name, size] : sizes) {
            for (const bool multipart : {false, true}) {
                QTest::addRow("%s, %s, %s", server, name, multipart ? "multipart" : "default")
                    << int(kind) << size << multipart;
            }
        }
    }
}

void TestMultipartUpload::roundTrip()
{
    QFETCH(int, serverKind);
    QFETCH(qint64, size);
    QFETCH(bool, forceMultipart);
    S3ServerProcess &server = serverKind == int(S3ServerProcess::Kind::Strict) ? *m_strict : *m_s3rver;

    const QByteArray data = randomBytes(size, quint32(size) ^ (forceMultipart ? 0x5eed : 0));
    const QString path = writeFile(data);
    QVERIFY(!path.isEmpty());
    const QString key = QStringLiteral("round trip/%1 %2/%3.bin").arg(size).arg(forceMultipart).arg(serverKind);

    UploadOptions options;
    options.partSize = 5 * kMiB;
    if (forceMultipart)
        options.singlePutThreshold = 0;
    RecordingObserver observer;
    auto client = clientFor(server);
    MultipartUploader uploader(*client, options, &observer);
    const auto outcome = uploader.upload(path, server.bucket(), key);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QVERIFY2(observer.violations.isEmpty(), qPrintable(observer.violations.join(QLatin1String("; "))));

    const bool multipart = forceMultipart || size >= options.singlePutThreshold;
    const int expectedParts = multipart ? int(std::max<qint64>(1, (size + 5 * kMiB - 1) / (5 * kMiB))) : 1;
    QCOMPARE(outcome.value().partCount, expectedParts);
    QCOMPARE(observer.verified.size(), expectedParts);
    QCOMPARE(observer.last.committedBytes, size);
    QCOMPARE(observer.last.partsCompleted, expectedParts);
    QCOMPARE(observer.last.inflightBytes, 0);
    QCOMPARE(outcome.value().uploadId.isEmpty(), !multipart);

    if (server.kind() == S3ServerProcess::Kind::Strict) {
        const QByteArray expected = multipart ? expectedMultipartEtag(data, 5 * kMiB) : Hashing::md5(data).toHex();
        QCOMPARE(outcome.value().etag, expected);
    }
    const auto head = client->headObject(server.bucket(), key);
    QVERIFY2(head.ok(), qPrintable(head.error().toString()));
    QCOMPARE(head.value().size, size);
    const auto body = client->getObject(server.bucket(), key);
    QVERIFY2(body.ok(), qPrintable(body.error().toString()));
    QVERIFY(body.value() == data);
}

void TestMultipartUpload::wrongSecretIsNotRetried()
{
    const QString path = writeFile(randomBytes(6 * kMiB, 7));
    const int before = m_strict->stats()
                           .value(QStringLiteral("requests"))
                           .toObject()
                           .value(QStringLiteral("CreateMultipartUpload"))
                           .toInt();
    auto client = clientFor(*m_strict, "not-the-secret");
    UploadOptions options;
    options.singlePutThreshold = 0;
    MultipartUploader uploader(*client, options);
    const auto outcome = uploader.upload(path, m_strict->bucket(), QStringLiteral("wrong-secret.bin"));
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().s3Code, QStringLiteral("SignatureDoesNotMatch"));
    QCOMPARE(outcome.error().httpStatus, 403);
    QVERIFY(!outcome.error().retryable);
    QVERIFY(!outcome.error().requestId.isEmpty());
    const int after = m_strict->stats()
                          .value(QStringLiteral("requests"))
                          .toObject()
                          .value(QStringLiteral("CreateMultipartUpload"))
                          .toInt();
    QCOMPARE(after - before, 1); // not retried
}

void TestMultipartUpload::failedPartNeverAdvancesCommitted()
{
    const QByteArray data = randomBytes(20 * kMiB, 11);
    const QString path = writeFile(data);
    // Part 2's connection is reset after 1 MiB of its body, twice (libcurl may absorb one reset by resending on a
    // fresh connection, so at least one reaches the uploader); part 3 gets a 500 once.
    QVERIFY(m_strict->injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
        {QStringLiteral("part_number"), 2}, {QStringLiteral("action"), QStringLiteral("reset")},
        {QStringLiteral("after_bytes"), 1 << 20}, {QStringLiteral("times"), 2}}));
    QVERIFY(m_strict->injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
        {QStringLiteral("part_number"), 3}, {QStringLiteral("action"), QStringLiteral("status")},
        {QStringLiteral("status"), 500}, {QStringLiteral("code"), QStringLiteral("InternalError")}}));
    UploadOptions options;
    options.partSize = 5 * kMiB;
    options.concurrency = 1; // one part at a time: a failure must leave nothing in flight
    options.retry = RetryPolicy(5, 10, 50);
    options.progressIntervalMs = 0;
    RecordingObserver observer;
    observer.checkInflightDropsToZero = true;
    auto client = clientFor(*m_strict);
    MultipartUploader uploader(*client, options, &observer);
    const auto outcome = uploader.upload(path, m_strict->bucket(), QStringLiteral("faulty-parts.bin"));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QVERIFY2(observer.violations.isEmpty(), qPrintable(observer.violations.join(QLatin1String("; "))));
    QList<int> failedParts;
    QStringList described;
    for (const auto &[part, error] : std::as_const(observer.failures)) {
        failedParts << part;
        described << QStringLiteral("%1: %2").arg(part).arg(error.toString());
        QVERIFY(error.retryable);
    }
    QVERIFY2(failedParts.count(2) >= 1 && failedParts.count(2) <= 2 && failedParts.count(3) == 1
            && failedParts.size() == failedParts.count(2) + 1,
        qPrintable(described.join(QLatin1String("; "))));
    const auto part3 = std::find_if(
        observer.failures.cbegin(), observer.failures.cend(), [](const auto &failure) { return failure.first == 3; });
    QCOMPARE(part3->second.httpStatus, 500);
    QCOMPARE(observer.last.committedBytes, data.size());
    QCOMPARE(client->getObject(m_strict->bucket(), QStringLiteral("faulty-parts.bin")).value(), data);
}

void TestMultipartUpload::wrongEtagIsRetried()
{
    const QByteArray data = randomBytes(11 * kMiB, 13);
    const QString path = writeFile(data);
    QVERIFY(m_strict->injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
        {QStringLiteral("part_number"), 1}, {QStringLiteral("action"), QStringLiteral("wrong_etag")}}));
    UploadOptions options;
    options.partSize = 5 * kMiB;
    options.singlePutThreshold = 0;
    options.retry = RetryPolicy(3, 10, 50);
    RecordingObserver observer;
    auto client = clientFor(*m_strict);
    MultipartUploader uploader(*client, options, &observer);
    const auto outcome = uploader.upload(path, m_strict->bucket(), QStringLiteral("wrong-etag.bin"));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QCOMPARE(observer.failures.size(), 1);
    QCOMPARE(observer.failures.at(0).second.kind, StorageError::Kind::Integrity);
    QCOMPARE(outcome.value().etag, expectedMultipartEtag(data, 5 * kMiB)); // Complete named only verified ETags
    QVERIFY2(observer.violations.isEmpty(), qPrintable(observer.violations.join(QLatin1String("; "))));
}

void TestMultipartUpload::cancelAbortsWithinOneSecond()
{
    const QString path = writeFile(randomBytes(40 * kMiB, 17));
    // Parts after the first stall on the server, so the upload is certainly mid-way when cancelled.
    QVERIFY(m_strict->injectFault(
        {{QStringLiteral("op"), QStringLiteral("UploadPart")}, {QStringLiteral("action"), QStringLiteral("stall")},
            {QStringLiteral("stall_ms"), 20000}, {QStringLiteral("times"), -1}, {QStringLiteral("part_number"), 3}}));
    UploadJobSpec spec;
    spec.profile.endpoint = m_strict->endpoint();
    spec.profile.region = QString::fromLatin1(m_strict->region());
    spec.credentials = {m_strict->accessKeyId(), m_strict->secretAccessKey(), {}};
    spec.options.partSize = 5 * kMiB;
    spec.options.concurrency = 2;
    spec.bucket = m_strict->bucket();
    spec.items = {{path, QStringLiteral("cancelled.bin"), 40 * kMiB, {}, {}}};
    UploadJob job(spec);
    QSignalSpy finished(&job, &UploadJob::finished);
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(job.progress().partsCompleted >= 2, 20000);

    QElapsedTimer sinceKill;
    sinceKill.start();
    job.kill();
    QVERIFY(finished.wait(5000));
    const qint64 elapsedMs = sinceKill.elapsed();
    QVERIFY2(elapsedMs < 1000, qPrintable(QStringLiteral("cancel took %1 ms").arg(elapsedMs)));
    QCOMPARE(finished.first().first().value<StorageError>().kind, StorageError::Kind::Cancelled);

    auto client = clientFor(*m_strict);
    const auto uploads = client->listMultipartUploads(m_strict->bucket(), QStringLiteral("cancelled.bin"));
    QVERIFY2(uploads.ok(), qPrintable(uploads.error().toString()));
    QVERIFY(uploads.value().isEmpty());
    QCOMPARE(m_strict->stats().value(QStringLiteral("uploads_in_progress")).toInt(), 0);
    QVERIFY(!client->headObject(m_strict->bucket(), QStringLiteral("cancelled.bin")).ok());
}

void TestMultipartUpload::resumeSendsOnlyMissingParts()
{
    const QByteArray data = randomBytes(26 * kMiB, 19); // 6 parts of 5 MiB (last 1 MiB)
    const QString path = writeFile(data);
    const QString key = QStringLiteral("resumed.bin");
    UploadOptions options;
    options.partSize = 5 * kMiB;
    options.concurrency = 1;
    options.keepIncompleteUpload = true;
    RecordingObserver first;
    auto client = clientFor(*m_strict);
    {
        MultipartUploader uploader(*client, options, &first);
        first.onProgress = [&](const UploadProgress &) {
            if (first.verified.size() == 3)
                uploader.cancel(MultipartUploader::CancelMode::KeepForResume); // a crash, as the server sees it
        };
        const auto outcome = uploader.upload(path, m_strict->bucket(), key);
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().kind, StorageError::Kind::Cancelled);
    }
    QCOMPARE(first.verified.size(), 3);
    const int partsBefore
        = m_strict->stats().value(QStringLiteral("requests")).toObject().value(QStringLiteral("UploadPart")).toInt();

    RecordingObserver second;
    MultipartUploader resumed(*client, options, &second);
    const auto outcome = resumed.upload(path, m_strict->bucket(), key, ResumeState{first.uploadId, first.verified});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QCOMPARE(outcome.value().uploadId, first.uploadId);
    const int partsAfter
        = m_strict->stats().value(QStringLiteral("requests")).toObject().value(QStringLiteral("UploadPart")).toInt();
    QCOMPARE(partsAfter - partsBefore, 3); // parts 4, 5, 6 only
    QCOMPARE(second.verified.size(), 3);
    QCOMPARE(outcome.value().etag, expectedMultipartEtag(data, 5 * kMiB));
    QCOMPARE(client->getObject(m_strict->bucket(), key).value(), data);
}

void TestMultipartUpload::listPartsPages()
{
    auto client = clientFor(*m_strict);
    const QString key = QStringLiteral("paged.bin");
    const auto uploadId = client->createMultipartUpload(m_strict->bucket(), key);
    QVERIFY(uploadId.ok());
    const QByteArray data = randomBytes(3 * 1024, 23);
    for (int part = 1; part <= 3; ++part) {
        const QString path = writeFile(data.mid((part - 1) * 1024, 1024));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        auto body = std::make_shared<FileRegionBody>(file.handle(), 0, 1024, path);
        const auto etag = S3Client::etagOf(
            m_transport->perform(client->uploadPartRequest(m_strict->bucket(), key, uploadId.value(), part, body)));
        QVERIFY2(etag.ok(), qPrintable(etag.error().toString()));
    }
    const auto page = client->listPartsPage(m_strict->bucket(), key, uploadId.value(), 0, 2);
    QVERIFY(page.ok());
    QCOMPARE(page.value().parts.size(), 2);
    QVERIFY(page.value().isTruncated);
    const auto all = client->listParts(m_strict->bucket(), key, uploadId.value());
    QVERIFY(all.ok());
    QCOMPARE(all.value().size(), 3);
    QCOMPARE(all.value().at(2).partNumber, 3);
    QCOMPARE(all.value().at(2).etag, Hashing::md5(data.mid(2048, 1024)).toHex());
    QVERIFY(client->abortMultipartUpload(m_strict->bucket(), key, uploadId.value()).ok());
    const auto gone = client->listParts(m_strict->bucket(), key, uploadId.value());
    QVERIFY(!gone.ok());
    QCOMPARE(gone.error().s3Code, QStringLiteral("NoSuchUpload"));
}

void TestMultipartUpload::connectionsAreReused()
{
    const QString path = writeFile(randomBytes(30 * kMiB, 29));
    const int before = m_strict->stats().value(QStringLiteral("connections")).toInt();
    UploadOptions options;
    options.partSize = 5 * kMiB;
    options.concurrency = 2;
    auto client = clientFor(*m_strict);
    MultipartUploader uploader(*client, options);
    QVERIFY(uploader.upload(path, m_strict->bucket(), QStringLiteral("reuse.bin")).ok());
    const int after = m_strict->stats().value(QStringLiteral("connections")).toInt();
    // The stats call itself may open a connection: measure that overhead and leave it out.
    const int statsOverhead = m_strict->stats().value(QStringLiteral("connections")).toInt() - after;
    const int opened = after - before - statsOverhead;
    // 8 requests (create, 6 parts, complete) over at most one connection per parallel part.
    QVERIFY2(opened <= 2, qPrintable(QStringLiteral("%1 connections opened").arg(opened)));
}

void TestMultipartUpload::bandwidthLimitThrottles()
{
    const QByteArray data = randomBytes(3 * kMiB, 31);
    const QString path = writeFile(data);
    TransportOptions throttled;
    throttled.bandwidth = std::make_shared<BandwidthLimiter>(kMiB); // 1 MiB/s, burst 100 KiB
    m_transport = std::make_unique<CurlTransport>(throttled);
    auto client = clientFor(*m_strict);
    MultipartUploader uploader(*client, UploadOptions{});
    QElapsedTimer timer;
    timer.start();
    const auto outcome = uploader.upload(path, m_strict->bucket(), QStringLiteral("throttled.bin"));
    const qint64 elapsedMs = timer.elapsed();
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QCOMPARE(client->getObject(m_strict->bucket(), QStringLiteral("throttled.bin")).value(), data);
    // 3 MiB at 1 MiB/s with a 100 KiB burst cannot take less than ~2.9 s; unthrottled it takes milliseconds.
    QVERIFY2(elapsedMs >= 2500, qPrintable(QStringLiteral("%1 ms").arg(elapsedMs)));
}

QTEST_GUILESS_MAIN(TestMultipartUpload)
#include "tst_multipartupload.moc"

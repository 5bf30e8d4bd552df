// MultipartUploader end to end over real sockets: against our strict S3 server (SigV4 checked, S3 multipart rules,
// fault injection), the same server speaking Alibaba OSS's native protocol (--dialect oss: OSS V4/V1 signatures,
// CRC-64 headers, OSS error bodies), and s3rver (third-party wire compatibility). Every upload is read back and
// compared.
#include "storage/crc64.h"
#include "storage/fileregionbody.h"
#include "storage/hashing.h"
#include "storage/multipartuploader.h"
#include "storage/uploadgone.h"
#include "storage/uploadjob.h"
#include "strictservers.h"
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
class RecordingListener : public UploadListener
{
public:
    void uploadStarted(const UploadItem &, const QString &id, const PartPlan &plan) override
    {
        uploadId = id;
        partCount = plan.partCount();
    }
    StorageResult<void> partVerified(const UploadItem &, const CompletedPart &part) override
    {
        verified.append(part);
        verifiedBytes += part.size;
        return {};
    }
    void partFailed(const UploadItem &, int partNumber, int, const StorageError &error, bool willRetry) override
    {
        failures.append({partNumber, error});
        justFailed = true;
        Q_UNUSED(willRetry)
    }
    void uploadProgressed(const UploadItem &, const UploadProgress &progress) override
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

// Uploads until `parts` parts are verified, then stops as a crash would (the multipart upload kept): what a resume
// starts from, and how the upload ended.
struct InterruptedUpload
{
    ResumeState resume;
    StorageError error; // kind None if the upload finished before it could be stopped
};

InterruptedUpload uploadUntilVerified(S3Client &client, const UploadOptions &options, const QString &path,
    const QString &bucket, const QString &key, int parts)
{
    RecordingListener observer;
    MultipartUploader uploader(client, options, &observer);
    observer.onProgress = [&](const UploadProgress &) {
        if (observer.verified.size() == parts)
            uploader.cancel(MultipartUploader::CancelMode::KeepForResume); // a crash, as the server sees it
    };
    const auto outcome = uploader.upload(path, bucket, key);
    return {{observer.uploadId, observer.verified}, outcome.ok() ? StorageError{} : outcome.error()};
}

// The servers a data-driven test runs against: "strict" (S3), "oss" (the strict server's OSS dialect) and "https"
// (S3 over TLS with a test CA the server made).
void addDialectColumn()
{
    QTest::addColumn<QString>("server");
    QTest::newRow("s3") << QStringLiteral("strict");
    QTest::newRow("oss") << QStringLiteral("oss");
    QTest::newRow("https") << QStringLiteral("https");
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
    void wrongSecretIsNotRetried_data() { addDialectColumn(); }
    void wrongSecretIsNotRetried();
    void failedPartNeverAdvancesCommitted_data() { addDialectColumn(); }
    void failedPartNeverAdvancesCommitted();
    void wrongEtagIsRetried_data() { addDialectColumn(); }
    void wrongEtagIsRetried();
    void cancelAbortsWithinOneSecond();
    void resumeSendsOnlyMissingParts_data() { addDialectColumn(); }
    void resumeSendsOnlyMissingParts();
    void listPartsPages_data() { addDialectColumn(); }
    void listPartsPages();
    void connectionsAreReused_data() { addDialectColumn(); }
    void connectionsAreReused();
    void bandwidthLimitThrottles_data() { addDialectColumn(); }
    void bandwidthLimitThrottles();

    // Alibaba OSS only.
    void ossCrcMismatchIsRetriedNeverCommitted();
    void ossAcceptsSmallParts();
    void ossWholeObjectCrcIsChecked();
    void ossV1Signature();
    void ossSecurityToken();

private:
    QString writeFile(const QByteArray &data);
    S3ServerProcess &server(const QString &name);
    S3ServerProcess &fetchedServer(); // the "server" column of a data-driven test
    std::unique_ptr<S3Client> clientFor(S3ServerProcess &server, const QByteArray &secret = {});
    // The object under key holds exactly data: bytes read back, and the ETag (S3) or the CRC-64 (OSS) it was
    // stored with.
    void verifyStored(S3ServerProcess &server, const QString &key, const QByteArray &data, qint64 partSize,
        const UploadOutcome &outcome);

    StrictServers m_servers;
    std::unique_ptr<S3ServerProcess> m_s3rver;
    std::unique_ptr<CurlTransport> m_transport;
    QTemporaryDir m_files;
    int m_fileCounter = 0;
};

void TestMultipartUpload::initTestCase()
{
    QVERIFY(m_files.isValid());
    QString error;
    QVERIFY2(m_servers.start(&error), qPrintable(error));
    m_s3rver = std::make_unique<S3ServerProcess>(S3ServerProcess::Kind::S3rver);
    QVERIFY2(m_s3rver->start(&error), qPrintable(error));
}

void TestMultipartUpload::cleanupTestCase()
{
    m_transport.reset();
    m_servers.stop();
    m_s3rver.reset();
}

void TestMultipartUpload::init()
{
    // Against an external server (scripts/realserver/radosgw.sh) only the rows of the S3 strict server run: that is
    // the one it stands in for.
    const QLatin1String tag(QTest::currentDataTag() ? QTest::currentDataTag() : "");
    if (S3ServerProcess::externalMode()
        && (tag.startsWith(QLatin1String("oss")) || tag.startsWith(QLatin1String("https"))
            || tag.startsWith(QLatin1String("s3rver"))))
        QSKIP("external S3 server: the OSS dialect, TLS and s3rver rows run against our own servers only");
    // The TLS server's CA: plain http ignores it.
    m_transport = std::make_unique<CurlTransport>(m_servers.https().transportOptions());
    QVERIFY(m_servers.resetAll());
}

S3ServerProcess &TestMultipartUpload::server(const QString &name)
{
    return name == QLatin1String("s3rver") ? *m_s3rver : m_servers.byName(name);
}

S3ServerProcess &TestMultipartUpload::fetchedServer()
{
    QFETCH(QString, server);
    return this->server(server);
}

void TestMultipartUpload::verifyStored(
    S3ServerProcess &server, const QString &key, const QByteArray &data, qint64 partSize, const UploadOutcome &outcome)
{
    auto client = clientFor(server);
    const auto body = client->getObject(server.bucket(), key);
    QVERIFY2(body.ok(), qPrintable(body.error().toString()));
    QVERIFY(body.value() == data);
    if (server.dialect() == S3ServerProcess::Dialect::Oss) {
        const auto head = client->headObject(server.bucket(), key);
        QVERIFY2(head.ok(), qPrintable(head.error().toString()));
        QCOMPARE(head.value().crc64, std::optional<quint64>(Crc64::compute(data)));
        QVERIFY(outcome.etagChecked); // the whole object's CRC-64 was compared
    } else if (server.kind() == S3ServerProcess::Kind::Strict) {
        QVERIFY(outcome.etagChecked); // md5-of-md5s-N, compared with the parts'
        const bool multipart = !outcome.uploadId.isEmpty();
        QCOMPARE(outcome.etag, multipart ? TestData::multipartEtag(data, partSize) : Hashing::md5(data).toHex());
    }
}

QString TestMultipartUpload::writeFile(const QByteArray &data)
{
    const QString path = m_files.filePath(QStringLiteral("file-%1.bin").arg(++m_fileCounter));
    return TestData::writeFile(path, data) ? path : QString();
}

std::unique_ptr<S3Client> TestMultipartUpload::clientFor(S3ServerProcess &server, const QByteArray &secret)
{
    const EndpointProfile profile = server.clientProfile();
    const AwsCredentials credentials{server.accessKeyId(), secret.isEmpty() ? server.secretAccessKey() : secret, {}};
    return std::make_unique<S3Client>(profile, credentials, *m_transport);
}

void TestMultipartUpload::roundTrip_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<bool>("forceMultipart");
    const QList<std::pair<const char *, qint64>> sizes{{"0 B", 0}, {"1 B", 1}, {"5 MiB - 1", 5 * kMiB - 1},
        {"5 MiB", 5 * kMiB}, {"5 MiB + 1", 5 * kMiB + 1}, {"64 MiB", 64 * kMiB}};
    for (const char *server : {"strict", "oss", "https", "s3rver"}) {
        for (const auto &[name, size] : sizes) {
            for (const bool multipart : {false, true}) {
                QTest::addRow("%s, %s, %s", server, name, multipart ? "multipart" : "default")
                    << QString::fromLatin1(server) << size << multipart;
            }
        }
    }
}

void TestMultipartUpload::roundTrip()
{
    QFETCH(qint64, size);
    QFETCH(bool, forceMultipart);
    S3ServerProcess &server = fetchedServer();

    const QByteArray data = randomBytes(size, quint32(size) ^ (forceMultipart ? 0x5eed : 0));
    const QString path = writeFile(data);
    QVERIFY(!path.isEmpty());
    const QString key = QStringLiteral("round trip/%1 %2.bin").arg(size).arg(forceMultipart);

    UploadOptions options;
    options.partSize = 5 * kMiB;
    if (forceMultipart)
        options.singlePutThreshold = 0;
    RecordingListener observer;
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

    const auto head = client->headObject(server.bucket(), key);
    QVERIFY2(head.ok(), qPrintable(head.error().toString()));
    QCOMPARE(head.value().size, size);
    verifyStored(server, key, data, 5 * kMiB, outcome.value());
}

void TestMultipartUpload::wrongSecretIsNotRetried()
{
    S3ServerProcess &server = fetchedServer();
    const QString path = writeFile(randomBytes(6 * kMiB, 7));
    const int before = server.requestCount(QStringLiteral("CreateMultipartUpload"));
    auto client = clientFor(server, "not-the-secret");
    UploadOptions options;
    options.singlePutThreshold = 0;
    MultipartUploader uploader(*client, options);
    const auto outcome = uploader.upload(path, server.bucket(), QStringLiteral("wrong-secret.bin"));
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().s3Code, QStringLiteral("SignatureDoesNotMatch"));
    QCOMPARE(outcome.error().httpStatus, 403);
    QVERIFY(!outcome.error().retryable);
    QVERIFY(!outcome.error().requestId.isEmpty());
    if (server.dialect() == S3ServerProcess::Dialect::Oss) // the detailed code OSS support asks for
        QVERIFY2(!outcome.error().ec.isEmpty(), qPrintable(outcome.error().toString()));
    if (!server.isExternal()) { // a real server does not count requests for us
        const int after = server.requestCount(QStringLiteral("CreateMultipartUpload"));
        QCOMPARE(after - before, 1); // not retried
    }
}

void TestMultipartUpload::failedPartNeverAdvancesCommitted()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("fault injection");
    S3ServerProcess &server = fetchedServer();
    const QByteArray data = randomBytes(20 * kMiB, 11);
    const QString path = writeFile(data);
    // Part 2's connection is reset after 1 MiB of its body, twice (libcurl may absorb one reset by resending on a
    // fresh connection, so at least one reaches the uploader); part 3 gets a 500 once.
    QVERIFY(server.injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
        {QStringLiteral("part_number"), 2}, {QStringLiteral("action"), QStringLiteral("reset")},
        {QStringLiteral("after_bytes"), 1 << 20}, {QStringLiteral("times"), 2}}));
    QVERIFY(server.injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
        {QStringLiteral("part_number"), 3}, {QStringLiteral("action"), QStringLiteral("status")},
        {QStringLiteral("status"), 500}, {QStringLiteral("code"), QStringLiteral("InternalError")}}));
    UploadOptions options;
    options.partSize = 5 * kMiB;
    options.concurrency = 1; // one part at a time: a failure must leave nothing in flight
    options.retry = RetryPolicy(5, 10, 50);
    options.progressIntervalMs = 0;
    RecordingListener observer;
    observer.checkInflightDropsToZero = true;
    auto client = clientFor(server);
    MultipartUploader uploader(*client, options, &observer);
    const auto outcome = uploader.upload(path, server.bucket(), QStringLiteral("faulty-parts.bin"));
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
    QCOMPARE(client->getObject(server.bucket(), QStringLiteral("faulty-parts.bin")).value(), data);
}

void TestMultipartUpload::wrongEtagIsRetried()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("fault injection");
    S3ServerProcess &server = fetchedServer();
    const QByteArray data = randomBytes(11 * kMiB, 13);
    const QString path = writeFile(data);
    QVERIFY(server.injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
        {QStringLiteral("part_number"), 1}, {QStringLiteral("action"), QStringLiteral("wrong_etag")}}));
    UploadOptions options;
    options.partSize = 5 * kMiB;
    options.singlePutThreshold = 0;
    options.retry = RetryPolicy(3, 10, 50);
    RecordingListener observer;
    auto client = clientFor(server);
    MultipartUploader uploader(*client, options, &observer);
    const auto outcome = uploader.upload(path, server.bucket(), QStringLiteral("wrong-etag.bin"));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QCOMPARE(observer.failures.size(), 1);
    QCOMPARE(observer.failures.at(0).second.kind, StorageError::Kind::Integrity);
    verifyStored(server, QStringLiteral("wrong-etag.bin"), data, 5 * kMiB, outcome.value()); // only verified ETags
    QVERIFY2(observer.violations.isEmpty(), qPrintable(observer.violations.join(QLatin1String("; "))));
}

void TestMultipartUpload::cancelAbortsWithinOneSecond()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("a stall fault");
    const QString path = writeFile(randomBytes(40 * kMiB, 17));
    // Parts after the first stall on the server, so the upload is certainly mid-way when cancelled.
    QVERIFY(m_servers.s3().injectFault(
        {{QStringLiteral("op"), QStringLiteral("UploadPart")}, {QStringLiteral("action"), QStringLiteral("stall")},
            {QStringLiteral("stall_ms"), 20000}, {QStringLiteral("times"), -1}, {QStringLiteral("part_number"), 3}}));
    UploadJobSpec spec;
    spec.profile.endpoint = m_servers.s3().endpoint();
    spec.profile.region = QString::fromLatin1(m_servers.s3().region());
    spec.credentials = {m_servers.s3().accessKeyId(), m_servers.s3().secretAccessKey(), {}};
    spec.options.partSize = 5 * kMiB;
    spec.options.concurrency = 2;
    spec.bucket = m_servers.s3().bucket();
    spec.items = {{path, QStringLiteral("cancelled.bin"), 40 * kMiB, {}, {}}};
    UploadJob job(spec);
    QSignalSpy finished(&job, &UploadJob::finished);
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(job.progress().partsCompleted >= 2, 20000);

    job.kill();
    // It stops within a poll slice; the wait is generous so that a loaded machine (ctest -j2) does not fail it.
    // What proves the cancel is below: the multipart upload aborted and no object made.
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().value<StorageError>().kind, StorageError::Kind::Cancelled);

    auto client = clientFor(m_servers.s3());
    const auto uploads = client->listMultipartUploads(m_servers.s3().bucket(), QStringLiteral("cancelled.bin"));
    QVERIFY2(uploads.ok(), qPrintable(uploads.error().toString()));
    QVERIFY(uploads.value().isEmpty());
    QCOMPARE(m_servers.s3().stats().value(QStringLiteral("uploads_in_progress")).toInt(), 0);
    QVERIFY(!client->headObject(m_servers.s3().bucket(), QStringLiteral("cancelled.bin")).ok());
}

void TestMultipartUpload::resumeSendsOnlyMissingParts()
{
    S3ServerProcess &server = fetchedServer();
    const QByteArray data = randomBytes(26 * kMiB, 19); // 6 parts of 5 MiB (last 1 MiB)
    const QString path = writeFile(data);
    const QString key = QStringLiteral("resumed.bin");
    UploadOptions options;
    options.partSize = 5 * kMiB;
    options.concurrency = 1;
    options.keepIncompleteUpload = true;
    auto client = clientFor(server);
    const InterruptedUpload first = uploadUntilVerified(*client, options, path, server.bucket(), key, 3);
    QCOMPARE(first.error.kind, StorageError::Kind::Cancelled);
    QCOMPARE(first.resume.verifiedParts.size(), 3);
    const int partsBefore = server.requestCount(QStringLiteral("UploadPart"));

    RecordingListener second;
    MultipartUploader resumed(*client, options, &second);
    const auto outcome = resumed.upload(path, server.bucket(), key, first.resume);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QCOMPARE(outcome.value().uploadId, first.resume.uploadId);
    if (!server.isExternal()) { // the server's own count; the uploader's count below holds everywhere
        const int partsAfter = server.requestCount(QStringLiteral("UploadPart"));
        QCOMPARE(partsAfter - partsBefore, 3); // parts 4, 5, 6 only
    }
    QCOMPARE(second.verified.size(), 3);
    verifyStored(server, key, data, 5 * kMiB, outcome.value());
}

void TestMultipartUpload::listPartsPages()
{
    S3ServerProcess &server = fetchedServer();
    auto client = clientFor(server);
    const QString key = QStringLiteral("paged.bin");
    const auto uploadId = client->createMultipartUpload(server.bucket(), key);
    QVERIFY(uploadId.ok());
    const QByteArray data = randomBytes(3 * 1024, 23);
    for (int part = 1; part <= 3; ++part) {
        const QString path = writeFile(data.mid((part - 1) * 1024, 1024));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        auto body = std::make_shared<FileRegionBody>(file.handle(), 0, 1024, path);
        const auto etag = S3Client::etagOf(
            m_transport->perform(client->uploadPartRequest(server.bucket(), key, uploadId.value(), part, body)));
        QVERIFY2(etag.ok(), qPrintable(etag.error().toString()));
    }
    const auto page = client->listPartsPage(server.bucket(), key, uploadId.value(), 0, 2);
    QVERIFY(page.ok());
    QCOMPARE(page.value().parts.size(), 2);
    QVERIFY(page.value().isTruncated);
    const auto all = client->listParts(server.bucket(), key, uploadId.value());
    QVERIFY(all.ok());
    QCOMPARE(all.value().size(), 3);
    QCOMPARE(all.value().at(2).partNumber, 3);
    QCOMPARE(all.value().at(2).etag, Hashing::md5(data.mid(2048, 1024)).toHex());
    QVERIFY(client->abortMultipartUpload(server.bucket(), key, uploadId.value()).ok());
    const auto gone = client->listParts(server.bucket(), key, uploadId.value());
    QVERIFY(!gone.ok());
    // Servers say "gone" differently (radosgw 16.2: 404 NoSuchKey); what counts is that the engine reads it so.
    QVERIFY2(isUploadGone(gone.error(), S3Request::ListParts), qPrintable(gone.error().toString()));
    QCOMPARE(gone.error().httpStatus, 404);
}

void TestMultipartUpload::connectionsAreReused()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("its connection statistics");
    S3ServerProcess &server = fetchedServer();
    const QString path = writeFile(randomBytes(30 * kMiB, 29));
    const int before = server.stats().value(QStringLiteral("connections")).toInt();
    UploadOptions options;
    options.partSize = 5 * kMiB;
    options.concurrency = 2;
    auto client = clientFor(server);
    MultipartUploader uploader(*client, options);
    QVERIFY(uploader.upload(path, server.bucket(), QStringLiteral("reuse.bin")).ok());
    const int after = server.stats().value(QStringLiteral("connections")).toInt();
    // The stats call itself may open a connection: measure that overhead and leave it out.
    const int statsOverhead = server.stats().value(QStringLiteral("connections")).toInt() - after;
    const int opened = after - before - statsOverhead;
    // 8 requests (create, 6 parts, complete) over at most one connection per parallel part.
    QVERIFY2(opened <= 2, qPrintable(QStringLiteral("%1 connections opened").arg(opened)));
}

void TestMultipartUpload::bandwidthLimitThrottles()
{
    S3ServerProcess &server = fetchedServer();
    const QByteArray data = randomBytes(3 * kMiB, 31);
    const QString path = writeFile(data);
    TransportOptions throttled = server.transportOptions();
    throttled.bandwidth = std::make_shared<BandwidthLimiter>(kMiB); // 1 MiB/s, burst 100 KiB
    m_transport = std::make_unique<CurlTransport>(throttled);
    auto client = clientFor(server);
    MultipartUploader uploader(*client, UploadOptions{});
    QElapsedTimer timer;
    timer.start();
    const auto outcome = uploader.upload(path, server.bucket(), QStringLiteral("throttled.bin"));
    const qint64 elapsedMs = timer.elapsed();
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QCOMPARE(client->getObject(server.bucket(), QStringLiteral("throttled.bin")).value(), data);
    // 3 MiB at 1 MiB/s with a 100 KiB burst cannot take less than ~2.9 s; unthrottled it takes milliseconds.
    QVERIFY2(elapsedMs >= 2500, qPrintable(QStringLiteral("%1 ms").arg(elapsedMs)));
}

namespace {

UploadOptions ossOptions(qint64 partSize)
{
    UploadOptions options;
    options.partSize = partSize;
    options.minPartSize = PartPlan::kOssMinPartSize;
    options.singlePutThreshold = 0;
    options.retry = RetryPolicy(3, 10, 50);
    options.progressIntervalMs = 0;
    return options;
}

QList<int> partNumbers(const QList<CompletedPart> &parts)
{
    QList<int> numbers;
    for (const CompletedPart &part : parts)
        numbers << part.partNumber;
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

} // namespace

void TestMultipartUpload::ossCrcMismatchIsRetriedNeverCommitted()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("the OSS dialect");
    const QByteArray data = randomBytes(3 * kMiB, 41);
    const QString path = writeFile(data);
    // Part 2 arrives intact and its ETag is right; only the server's CRC-64 header disagrees.
    QVERIFY(m_servers.oss().injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
        {QStringLiteral("part_number"), 2}, {QStringLiteral("action"), QStringLiteral("crc_mismatch")}}));
    QVERIFY(m_servers.oss().resetStats());
    UploadOptions options = ossOptions(kMiB);
    options.concurrency = 1;
    RecordingListener observer;
    observer.checkInflightDropsToZero = true;
    auto client = clientFor(m_servers.oss());
    MultipartUploader uploader(*client, options, &observer);
    const auto outcome = uploader.upload(path, m_servers.oss().bucket(), QStringLiteral("crc-mismatch.bin"));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));

    QCOMPARE(observer.failures.size(), 1);
    QCOMPARE(observer.failures.at(0).first, 2);
    const StorageError &error = observer.failures.at(0).second;
    QCOMPARE(error.kind, StorageError::Kind::Integrity);
    QVERIFY2(error.message.contains(QLatin1String("CRC-64")), qPrintable(error.toString()));
    // Part 2 was sent twice but recorded once, after the good attempt; progress never counted the bad one.
    QCOMPARE(m_servers.oss().requestCount(QStringLiteral("UploadPart")), 4);
    QCOMPARE(partNumbers(observer.verified), (QList<int>{1, 2, 3}));
    QVERIFY2(observer.violations.isEmpty(), qPrintable(observer.violations.join(QLatin1String("; "))));
    QCOMPARE(observer.last.committedBytes, data.size());
    verifyStored(m_servers.oss(), QStringLiteral("crc-mismatch.bin"), data, kMiB, outcome.value());
}

void TestMultipartUpload::ossAcceptsSmallParts()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("the OSS dialect");
    const QByteArray data = randomBytes(kMiB + 5, 43);
    const QString path = writeFile(data);
    for (S3ServerProcess *server : {&m_servers.oss(), &m_servers.s3()}) {
        UploadOptions options = ossOptions(100 * 1024);
        options.minPartSize = server->clientProfile().minPartSize(); // as the command line and settings set it
        auto client = clientFor(*server);
        MultipartUploader uploader(*client, options);
        const auto outcome = uploader.upload(path, server->bucket(), QStringLiteral("small-parts.bin"));
        QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
        // OSS takes 100 KiB parts; on S3 the same request is raised to its 5 MiB minimum.
        QCOMPARE(outcome.value().partCount, server == &m_servers.oss() ? 11 : 1);
        verifyStored(*server, QStringLiteral("small-parts.bin"), data, 5 * kMiB, outcome.value());
    }
}

void TestMultipartUpload::ossWholeObjectCrcIsChecked()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("the OSS dialect");
    const QByteArray data = randomBytes(2 * kMiB, 47);
    const QString path = writeFile(data);
    UploadOptions options = ossOptions(512 * 1024);
    options.concurrency = 1;
    options.keepIncompleteUpload = true;
    auto client = clientFor(m_servers.oss());
    // Two uploads stopped after 2 of 4 parts, resumed with the recorded CRCs altered.
    const auto interrupted = [&](const QString &key) {
        const InterruptedUpload stopped = uploadUntilVerified(*client, options, path, m_servers.oss().bucket(), key, 2);
        return stopped.error.kind == StorageError::Kind::Cancelled ? stopped.resume : ResumeState{};
    };

    // A wrong CRC for a part the server has: the object the server assembles is not the one our parts make.
    ResumeState tampered = interrupted(QStringLiteral("tampered.bin"));
    QCOMPARE(tampered.verifiedParts.size(), 2);
    QVERIFY(tampered.verifiedParts.at(0).crc64.has_value());
    *tampered.verifiedParts[0].crc64 ^= 1;
    MultipartUploader refused(*client, options);
    const auto failed = refused.upload(path, m_servers.oss().bucket(), QStringLiteral("tampered.bin"), tampered);
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().kind, StorageError::Kind::Integrity);
    QVERIFY2(failed.error().message.contains(QLatin1String("CRC-64")), qPrintable(failed.error().toString()));

    // No CRC recorded (a catalog from before CRCs were kept): computed from the file, and the object checks out.
    ResumeState stripped = interrupted(QStringLiteral("stripped.bin"));
    QCOMPARE(stripped.verifiedParts.size(), 2);
    for (CompletedPart &part : stripped.verifiedParts)
        part.crc64.reset();
    MultipartUploader resumed(*client, options);
    const auto outcome = resumed.upload(path, m_servers.oss().bucket(), QStringLiteral("stripped.bin"), stripped);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QCOMPARE(outcome.value().uploadId, stripped.uploadId);
    verifyStored(m_servers.oss(), QStringLiteral("stripped.bin"), data, 512 * 1024, outcome.value());
}

void TestMultipartUpload::ossV1Signature()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("the OSS dialect");
    const QByteArray data = randomBytes(kMiB, 53);
    const QString path = writeFile(data);
    EndpointProfile profile = m_servers.oss().clientProfile();
    profile.signatureVersion = EndpointProfile::SignatureVersion::V1;
    S3Client client(profile, {m_servers.oss().accessKeyId(), m_servers.oss().secretAccessKey(), {}}, *m_transport);
    MultipartUploader uploader(client, ossOptions(256 * 1024));
    const auto outcome = uploader.upload(path, m_servers.oss().bucket(), QStringLiteral("v1 signed.bin"));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QCOMPARE(outcome.value().partCount, 4);
    verifyStored(m_servers.oss(), QStringLiteral("v1 signed.bin"), data, 256 * 1024, outcome.value());

    S3Client wrong(profile, {m_servers.oss().accessKeyId(), "not-the-secret", {}}, *m_transport);
    const auto refused = wrong.headObject(m_servers.oss().bucket(), QStringLiteral("v1 signed.bin"));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().httpStatus, 403);
    QVERIFY(!refused.error().retryable);
}

void TestMultipartUpload::ossSecurityToken()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("the OSS dialect");
    S3ServerProcess sts(S3ServerProcess::Kind::Strict);
    sts.setDialect(S3ServerProcess::Dialect::Oss);
    sts.setSecurityToken("sts-token");
    QString error;
    QVERIFY2(sts.start(&error), qPrintable(error));
    const QByteArray data = randomBytes(300 * 1024, 59);
    const QString path = writeFile(data);
    const auto uploadWith = [&](const QByteArray &token) {
        S3Client client(sts.clientProfile(), {sts.accessKeyId(), sts.secretAccessKey(), token}, *m_transport);
        MultipartUploader uploader(client, ossOptions(100 * 1024));
        return uploader.upload(path, sts.bucket(), QStringLiteral("sts.bin"));
    };
    const auto withToken = uploadWith("sts-token");
    QVERIFY2(withToken.ok(), qPrintable(withToken.error().toString()));
    QCOMPARE(withToken.value().partCount, 3);
    for (const QByteArray &token : {QByteArray(), QByteArray("another-token")}) {
        const auto refused = uploadWith(token);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().httpStatus, 403);
        QVERIFY2(!refused.error().retryable, qPrintable(refused.error().toString()));
    }
    QByteArray stored;
    QVERIFY2(sts.getObject(QStringLiteral("sts.bin"), &stored, &error), qPrintable(error));
    QCOMPARE(stored, data);
}

QTEST_GUILESS_MAIN(TestMultipartUpload)
#include "tst_multipartupload.moc"

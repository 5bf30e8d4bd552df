// The S3ServerProcess fixture itself: both servers start on a free port with the test bucket,
// accept connections, serve signed requests, and are gone (not even a zombie) after stop().
#include "s3serverprocess.h"
#include "storage/curltransport.h"
#include "storage/hashing.h"
#include "storage/memorybody.h"
#include "storage/multipartuploader.h"
#include "storage/s3client.h"
#include "testdata.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <memory>

Q_DECLARE_METATYPE(S3ServerProcess::Kind)

namespace {

bool acceptsConnection(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    return socket.waitForConnected(2000);
}

// stats()[group][name] as an int (0 when absent).
int statValue(const QJsonObject &stats, const char *group, const char *name)
{
    return stats.value(QLatin1String(group)).toObject().value(QLatin1String(name)).toInt();
}

std::unique_ptr<S3Client> clientFor(
    const S3ServerProcess &server, CurlTransport &transport, const QByteArray &secret = QByteArray())
{
    EndpointProfile profile;
    profile.endpoint = server.endpoint();
    profile.region = QString::fromLatin1(server.region());
    profile.pathStyle = true;
    const AwsCredentials credentials{server.accessKeyId(), secret.isEmpty() ? server.secretAccessKey() : secret, {}};
    return std::make_unique<S3Client>(profile, credentials, transport);
}

// Every regular file below dir, relative to it.
QStringList filesBelow(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(QDir(dir).relativeFilePath(it.next()));
    return files;
}

} // namespace

class TestS3ServerProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startAcceptStop_data();
    void startAcceptStop();
    void objectRoundTrip_data();
    void objectRoundTrip();
    void destructorStopsServerAndRemovesData_data();
    void destructorStopsServerAndRemovesData();
    void restartKeepsObjects();
    void strictControlEndpoints();
    void strictInFlightAndPartStats();
    void controlEndpointsRefusedOnS3rver();
    void strictDiscardVerifiesButStoresNothing();

private:
    static void addKinds();
};

void TestS3ServerProcess::addKinds()
{
    QTest::addColumn<S3ServerProcess::Kind>("kind");
    QTest::newRow("strict") << S3ServerProcess::Kind::Strict;
    QTest::newRow("s3rver") << S3ServerProcess::Kind::S3rver;
}

void TestS3ServerProcess::startAcceptStop_data()
{
    addKinds();
}

void TestS3ServerProcess::startAcceptStop()
{
    QFETCH(S3ServerProcess::Kind, kind);
    S3ServerProcess server(kind);
    QCOMPARE(server.kind(), kind);
    QVERIFY(!server.isRunning());
    QCOMPARE(server.pid(), 0);

    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QVERIFY(server.isRunning());
    QCOMPARE(server.endpoint().scheme(), QStringLiteral("http"));
    QCOMPARE(server.endpoint().host(), QStringLiteral("127.0.0.1"));
    QVERIFY(server.port() > 0);
    QCOMPARE(server.endpoint().port(), int(server.port()));
    QCOMPARE(server.bucket(), QStringLiteral("keystone-test"));
    QCOMPARE(server.region(), QByteArray("us-east-1"));
    QVERIFY(!server.accessKeyId().isEmpty());
    QVERIFY(!server.secretAccessKey().isEmpty());

    const qint64 pid = server.pid();
    QVERIFY(pid > 0);
    QVERIFY(S3ServerProcess::processAlive(pid));
    QVERIFY(acceptsConnection(server.port()));

    // The bucket exists: a missing key is NoSuchKey, not NoSuchBucket.
    QByteArray data;
    QVERIFY(!server.getObject(QStringLiteral("does/not/exist"), &data, &error));
    QVERIFY2(error.contains(QStringLiteral("404")) && error.contains(QStringLiteral("NoSuchKey")), qPrintable(error));

    const quint16 port = server.port();
    server.stop();
    QVERIFY(!server.isRunning());
    QCOMPARE(server.pid(), 0);
    QVERIFY(server.endpoint().isEmpty());
    QVERIFY2(!S3ServerProcess::processAlive(pid), "the server process (or its zombie) is still there");
    QVERIFY(!acceptsConnection(port));
    server.stop(); // idempotent
}

void TestS3ServerProcess::objectRoundTrip_data()
{
    addKinds();
}

void TestS3ServerProcess::objectRoundTrip()
{
    QFETCH(S3ServerProcess::Kind, kind);
    S3ServerProcess server(kind);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));

    QByteArray body;
    for (int i = 0; i < 70000; ++i)
        body.append(char(i * 31 + 7));
    const QString key = QStringLiteral("episodes/ep 1/camera+left.bin");
    QVERIFY2(server.putObject(key, body, &error), qPrintable(error));
    QByteArray fetched;
    QVERIFY2(server.getObject(key, &fetched, &error), qPrintable(error));
    QCOMPARE(fetched.size(), body.size());
    QVERIFY(fetched == body);
}

void TestS3ServerProcess::destructorStopsServerAndRemovesData_data()
{
    addKinds();
}

void TestS3ServerProcess::destructorStopsServerAndRemovesData()
{
    QFETCH(S3ServerProcess::Kind, kind);
    qint64 pid = 0;
    QString dataDirectory;
    {
        S3ServerProcess server(kind);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        pid = server.pid();
        dataDirectory = server.dataDirectory();
        QVERIFY(QDir(dataDirectory).exists());
    }
    QVERIFY(!S3ServerProcess::processAlive(pid));
    QVERIFY(!QDir(dataDirectory).exists());
}

void TestS3ServerProcess::restartKeepsObjects()
{
    S3ServerProcess server(S3ServerProcess::Kind::S3rver);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QVERIFY2(server.putObject(QStringLiteral("kept.bin"), "still here", &error), qPrintable(error));
    server.stop();
    QVERIFY2(server.start(&error), qPrintable(error));
    QByteArray fetched;
    QVERIFY2(server.getObject(QStringLiteral("kept.bin"), &fetched, &error), qPrintable(error));
    QCOMPARE(fetched, QByteArray("still here"));
}

void TestS3ServerProcess::strictControlEndpoints()
{
    S3ServerProcess server(S3ServerProcess::Kind::Strict);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));

    const QJsonObject before = server.stats(&error);
    QVERIFY2(!before.isEmpty(), qPrintable(error));
    QVERIFY(before.contains(QStringLiteral("requests")));

    QVERIFY2(server.putObject(QStringLiteral("f.bin"), "payload", &error), qPrintable(error));
    QVERIFY2(
        server.injectFault(QJsonObject{{"op", "GetObject"}, {"status", 503}, {"times", 1}}, &error), qPrintable(error));
    QByteArray fetched;
    QVERIFY(!server.getObject(QStringLiteral("f.bin"), &fetched, &error));
    QVERIFY2(error.contains(QStringLiteral("503")), qPrintable(error));
    QVERIFY2(server.getObject(QStringLiteral("f.bin"), &fetched, &error), qPrintable(error)); // fired once only
    QCOMPARE(fetched, QByteArray("payload"));

    QVERIFY2(server.injectFault(QJsonObject{{"op", "GetObject"}, {"status", 500}, {"times", -1}}, &error),
        qPrintable(error));
    QVERIFY2(server.clearFaults(&error), qPrintable(error));
    QVERIFY2(server.getObject(QStringLiteral("f.bin"), &fetched, &error), qPrintable(error));

    // An invalid fault is refused (not silently ignored).
    QVERIFY(!server.injectFault(QJsonObject{{"op", "NoSuchOperation"}}, &error));

    const QJsonObject after = server.stats(&error);
    QVERIFY2(!after.isEmpty(), qPrintable(error));
    QVERIFY(after.value(QStringLiteral("faults_fired")).toInt() >= 1);
}

void TestS3ServerProcess::strictInFlightAndPartStats()
{
    S3ServerProcess server(S3ServerProcess::Kind::Strict);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QString bucket = server.bucket();
    CurlTransport transport;
    const auto client = clientFor(server, transport);

    // Fresh server: every in-flight gauge and maximum is there, and zero.
    QJsonObject stats = server.stats(&error);
    QVERIFY2(!stats.isEmpty(), qPrintable(error));
    for (const char *group : {"in_flight", "max_in_flight"}) {
        for (const char *op :
            {"UploadPart", "PutObject", "CreateMultipartUpload", "CompleteMultipartUpload", "uploads"})
            QVERIFY2(stats.value(QLatin1String(group)).toObject().contains(QLatin1String(op)), op);
    }
    QCOMPARE(statValue(stats, "max_in_flight", "uploads"), 0);
    QCOMPARE(statValue(stats, "max_in_flight_prefixes", "1"), 0);
    QVERIFY(stats.value(QStringLiteral("part_uploads")).toObject().isEmpty());

    // Three PutObjects held by the server at once, under two depth-1 prefixes; "epB/c.bin" is shorter than
    // depth 2 and 3, so it is its own prefix there.
    QVERIFY2(server.injectFault(
                 QJsonObject{{"op", "PutObject"}, {"action", "stall"}, {"stall_ms", 2500}, {"times", -1}}, &error),
        qPrintable(error));
    const QStringList keys
        = {QStringLiteral("epA/r1/cam/a.bin"), QStringLiteral("epA/r1/lidar/b.bin"), QStringLiteral("epB/c.bin")};
    std::map<CurlTransport::TransferId, int> statuses; // 0: transport error
    for (const QString &key : keys) {
        const QByteArray data = key.toUtf8().repeated(100);
        transport.start(client->putObjectRequest(bucket, key, std::make_shared<MemoryBody>(data), Hashing::md5(data)),
            [&statuses](CurlTransport::TransferId id, StorageResult<HttpResponse> result) {
                statuses[id] = result.ok() ? result.value().status : 0;
            });
    }
    // Drive curl until the server reports all three in flight (they are stalled for 2.5 s each).
    const auto inFlightNow = [&](const char *op) {
        transport.poll(10);
        return statValue(server.stats(), "in_flight", op);
    };
    QTRY_COMPARE_WITH_TIMEOUT(inFlightNow("PutObject"), 3, 10000);
    stats = server.stats(&error);
    QCOMPARE(statValue(stats, "in_flight", "uploads"), 3);
    QCOMPARE(statValue(stats, "in_flight", "UploadPart"), 0);
    QVERIFY(statuses.empty()); // nobody has an answer yet
    QVERIFY2(server.clearFaults(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT((transport.poll(20), int(statuses.size())), 3, 20000);
    for (const auto &[id, status] : statuses)
        QCOMPARE(status, 200);

    // A client holding its answer never sees its request in flight any more: exact, no wait needed.
    stats = server.stats(&error);
    QVERIFY2(!stats.isEmpty(), qPrintable(error));
    QCOMPARE(statValue(stats, "in_flight", "PutObject"), 0);
    QCOMPARE(statValue(stats, "in_flight", "uploads"), 0);
    QCOMPARE(statValue(stats, "max_in_flight", "PutObject"), 3);
    QCOMPARE(statValue(stats, "max_in_flight", "uploads"), 3);
    QCOMPARE(statValue(stats, "max_in_flight", "UploadPart"), 0);
    QCOMPARE(statValue(stats, "max_in_flight_prefixes", "1"), 2); // epA, epB
    QCOMPARE(statValue(stats, "max_in_flight_prefixes", "2"), 2); // epA/r1, epB/c.bin
    QCOMPARE(statValue(stats, "max_in_flight_prefixes", "3"), 3); // epA/r1/cam, epA/r1/lidar, epB/c.bin
    QCOMPARE(statValue(stats, "requests", "PutObject"), 3);
    QCOMPARE(stats.value(QStringLiteral("faults_fired")).toInt(), 3);

    // Parts, one after another: part 1 twice, part 2 once, part 3 refused once (503) and then stored.
    const QString key = QStringLiteral("epC/robot-1/big.bin");
    const QString bucketKey = bucket + u'/' + key;
    const auto uploadId = client->createMultipartUpload(bucket, key);
    QVERIFY2(uploadId.ok(), qPrintable(uploadId.error().toString()));
    const auto uploadPart = [&](CurlTransport &via, int part) {
        const QByteArray data = QByteArray(1024, char('a' + part));
        return S3Client::etagOf(via.perform(
            client->uploadPartRequest(bucket, key, uploadId.value(), part, std::make_shared<MemoryBody>(data))));
    };
    for (const int part : {1, 1, 2}) {
        const auto etag = uploadPart(transport, part);
        QVERIFY2(etag.ok(), qPrintable(etag.error().toString()));
    }
    QVERIFY2(server.injectFault(
                 QJsonObject{{"op", "UploadPart"}, {"part_number", 3}, {"status", 503}, {"times", 1}}, &error),
        qPrintable(error));
    QVERIFY(!uploadPart(transport, 3).ok());
    QVERIFY(uploadPart(transport, 3).ok());
    // Part 4's connection is reset after 100 body bytes (a fresh transport: curl does not resend it on a
    // new connection): attempted, never received, and no longer in flight once the client saw the reset.
    QVERIFY2(
        server.injectFault(
            QJsonObject{{"op", "UploadPart"}, {"part_number", 4}, {"action", "reset"}, {"after_bytes", 100}}, &error),
        qPrintable(error));
    {
        CurlTransport fresh;
        QVERIFY(!uploadPart(fresh, 4).ok());
    }

    stats = server.stats(&error);
    QVERIFY2(!stats.isEmpty(), qPrintable(error));
    const QJsonObject uploads = stats.value(QStringLiteral("part_uploads")).toObject();
    QCOMPARE(uploads.keys(), QStringList{bucketKey});
    QCOMPARE(uploads.value(bucketKey).toObject(), (QJsonObject{{"1", 2}, {"2", 1}, {"3", 1}}));
    const QJsonObject attempts = stats.value(QStringLiteral("part_attempts")).toObject();
    QCOMPARE(attempts.keys(), QStringList{bucketKey});
    QCOMPARE(attempts.value(bucketKey).toObject(), (QJsonObject{{"1", 2}, {"2", 1}, {"3", 2}, {"4", 1}}));
    QCOMPARE(statValue(stats, "in_flight", "uploads"), 0);
    QCOMPARE(statValue(stats, "max_in_flight", "UploadPart"), 1); // sequential
    QCOMPARE(statValue(stats, "max_in_flight", "CreateMultipartUpload"), 1);
    QCOMPARE(statValue(stats, "max_in_flight", "uploads"), 3); // still the PutObject peak
    const int connections = stats.value(QStringLiteral("connections")).toInt();
    QVERIFY(connections >= 4);

    // Reset: counters and maxima start again; connections stay cumulative.
    QVERIFY2(server.resetStats(&error), qPrintable(error));
    stats = server.stats(&error);
    QVERIFY2(!stats.isEmpty(), qPrintable(error));
    QVERIFY(stats.value(QStringLiteral("requests")).toObject().isEmpty());
    QCOMPARE(stats.value(QStringLiteral("faults_fired")).toInt(), 0);
    for (const char *op : {"UploadPart", "PutObject", "CreateMultipartUpload", "CompleteMultipartUpload", "uploads"})
        QCOMPARE(statValue(stats, "max_in_flight", op), 0);
    for (const char *depth : {"1", "2", "3"})
        QCOMPARE(statValue(stats, "max_in_flight_prefixes", depth), 0);
    QVERIFY(stats.value(QStringLiteral("part_uploads")).toObject().isEmpty());
    QVERIFY(stats.value(QStringLiteral("part_attempts")).toObject().isEmpty());
    QVERIFY(stats.value(QStringLiteral("connections")).toInt() >= connections);
    QCOMPARE(stats.value(QStringLiteral("uploads_in_progress")).toInt(), 1);

    // ...and count again from zero.
    QVERIFY(uploadPart(transport, 2).ok());
    stats = server.stats(&error);
    QCOMPARE(
        stats.value(QStringLiteral("part_uploads")).toObject().value(bucketKey).toObject(), (QJsonObject{{"2", 1}}));
    QCOMPARE(statValue(stats, "requests", "UploadPart"), 1);
    QCOMPARE(statValue(stats, "max_in_flight", "UploadPart"), 1);
    QCOMPARE(statValue(stats, "max_in_flight", "uploads"), 1);
    QCOMPARE(statValue(stats, "max_in_flight", "PutObject"), 0);
    for (const char *depth : {"1", "2", "3"})
        QCOMPARE(statValue(stats, "max_in_flight_prefixes", depth), 1);
    QVERIFY(client->abortMultipartUpload(bucket, key, uploadId.value()).ok());
}

void TestS3ServerProcess::controlEndpointsRefusedOnS3rver()
{
    S3ServerProcess server(S3ServerProcess::Kind::S3rver);
    QString error;
    QVERIFY(!server.injectFault(QJsonObject{{"op", "GetObject"}}, &error));
    QVERIFY(error.contains(QStringLiteral("strict")));
    QVERIFY(!server.clearFaults(&error));
    QVERIFY(server.stats(&error).isEmpty());
    QVERIFY(!server.resetStats(&error));
    QVERIFY(error.contains(QStringLiteral("strict")));
}

// --discard (benchmarks): multipart and single PUTs are verified and get their real ETags, HEAD reports them, but
// no body reaches the disk and GET refuses to serve bytes it never kept.
void TestS3ServerProcess::strictDiscardVerifiesButStoresNothing()
{
    S3ServerProcess server(S3ServerProcess::Kind::Strict);
    server.setExtraArguments({QStringLiteral("--discard")});
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QString bucket = server.bucket();
    CurlTransport transport;
    const auto client = clientFor(server, transport);

    QTemporaryDir source;
    QVERIFY(source.isValid());
    const QByteArray data = TestData::randomBytes(12 * TestData::kMiB, 7);
    const QString path = source.filePath(QStringLiteral("episode.bin"));
    QVERIFY(TestData::writeFile(path, data));
    UploadOptions options;
    options.partSize = 5 * TestData::kMiB;
    options.singlePutThreshold = 5 * TestData::kMiB;
    MultipartUploader uploader(*client, options);
    const auto outcome = uploader.upload(path, bucket, QStringLiteral("ep/episode.bin"));
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().toString()));
    QCOMPARE(outcome.value().partCount, 3);
    QByteArray partMd5s; // the multipart ETag is computed from the parts' MD5s, as without --discard
    for (qint64 offset = 0; offset < data.size(); offset += options.partSize)
        partMd5s += Hashing::md5(data.mid(offset, options.partSize));
    const QByteArray expectedEtag = Hashing::md5(partMd5s).toHex() + "-3";
    QCOMPARE(outcome.value().etag, expectedEtag);

    const auto head = client->headObject(bucket, QStringLiteral("ep/episode.bin"));
    QVERIFY(head.ok());
    QCOMPARE(head.value().size, data.size());
    QCOMPARE(head.value().etag, expectedEtag);
    QVERIFY2(server.putObject(QStringLiteral("small.bin"), "payload", &error), qPrintable(error));
    QCOMPARE(client->headObject(bucket, QStringLiteral("small.bin")).value().etag, Hashing::md5("payload").toHex());

    QByteArray fetched;
    QVERIFY(!server.getObject(QStringLiteral("ep/episode.bin"), &fetched, &error));
    QVERIFY2(error.contains(QStringLiteral("501")) && error.contains(QStringLiteral("--discard")), qPrintable(error));

    // Checks still apply: a wrong secret is refused, and so is a body that does not match its Content-MD5.
    const auto wrongKey = clientFor(server, transport, "not-the-secret");
    const auto refused = wrongKey->putSmallObject(bucket, QStringLiteral("x.bin"), "x", "application/octet-stream");
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().s3Code, QStringLiteral("SignatureDoesNotMatch"));
    const auto badDigest = S3Client::checked(transport.perform(client->putObjectRequest(
        bucket, QStringLiteral("y.bin"), std::make_shared<MemoryBody>("body"), Hashing::md5("other"))));
    QVERIFY(!badDigest.ok());
    QCOMPARE(badDigest.error().s3Code, QStringLiteral("BadDigest"));

    // Nothing but the bucket's own record was written.
    QCOMPARE(filesBelow(server.dataDirectory()), QStringList{QStringLiteral("buckets/keystone-test/bucket.json")});
}

QTEST_GUILESS_MAIN(TestS3ServerProcess)

#include "tst_s3serverprocess.moc"

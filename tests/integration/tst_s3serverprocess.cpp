// The S3ServerProcess fixture itself: both servers start on a free port with the test bucket,
// accept connections, serve signed requests, and are gone (not even a zombie) after stop().
#include "s3serverprocess.h"

#include <QDir>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

Q_DECLARE_METATYPE(S3ServerProcess::Kind)

namespace {

bool acceptsConnection(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    return socket.waitForConnected(2000);
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
    void controlEndpointsRefusedOnS3rver();

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

void TestS3ServerProcess::controlEndpointsRefusedOnS3rver()
{
    S3ServerProcess server(S3ServerProcess::Kind::S3rver);
    QString error;
    QVERIFY(!server.injectFault(QJsonObject{{"op", "GetObject"}}, &error));
    QVERIFY(error.contains(QStringLiteral("strict")));
    QVERIFY(!server.clearFaults(&error));
    QVERIFY(server.stats(&error).isEmpty());
}

QTEST_GUILESS_MAIN(TestS3ServerProcess)

#include "tst_s3serverprocess.moc"

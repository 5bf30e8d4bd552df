// The service unit's MemoryDenyWriteExecute=yes against the real program: `keystone-console --server` runs
// under the same restriction (mdwe-exec), with the unit's environment, serves its API and uploads an episode to
// the strict S3 server, then stops cleanly on SIGTERM. A crash or a refused W+X mapping in Qt, libcurl or
// OpenSSL shows up here instead of in a station's journal.
#include "apiclient.h"
#include "consoleprocess.h"
#include "s3serverprocess.h"
#include "testdata.h"

#include <QDir>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

constexpr int kMdweUnsupported = 77;

} // namespace

class TestServiceSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void serverUploadsUnderMemoryDenyWriteExecute_data();
    void serverUploadsUnderMemoryDenyWriteExecute();

private:
    std::unique_ptr<S3ServerProcess> m_server;
};

void TestServiceSandbox::initTestCase()
{
    // Whether this kernel can impose the restriction at all (Debian 12's own 6.1 kernel cannot).
    QProcess probe;
    probe.start(QStringLiteral(KEYSTONE_MDWE_EXEC), {QStringLiteral("/bin/true")});
    QVERIFY(probe.waitForFinished(10000));
    if (probe.exitCode() == kMdweUnsupported)
        QSKIP("PR_SET_MDWE unsupported by this kernel (needs Linux 6.3)");
    QVERIFY2(probe.exitCode() == 0, probe.readAllStandardError().constData());

    QString error;
    m_server = std::make_unique<S3ServerProcess>(S3ServerProcess::Kind::Strict);
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

void TestServiceSandbox::serverUploadsUnderMemoryDenyWriteExecute_data()
{
    QTest::addColumn<bool>("regexpJit");
    // As keystone-console.service runs it (Environment=QT_ENABLE_REGEXP_JIT=0), and with Qt's default.
    QTest::newRow("unit environment") << false;
    QTest::newRow("regexp JIT on") << true;
}

void TestServiceSandbox::serverUploadsUnderMemoryDenyWriteExecute()
{
    QFETCH(bool, regexpJit);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString episode = dir.filePath(QStringLiteral("episode"));
    const QByteArray big = TestData::randomBytes(11 * 1024 * 1024, 6);
    const QByteArray small = TestData::randomBytes(300, 7);
    QVERIFY(TestData::writeFile(episode + QStringLiteral("/camera.bin"), big));
    QVERIFY(TestData::writeFile(episode + QStringLiteral("/meta.json"), small));

    QProcessEnvironment environment = ConsoleProcess::cleanEnvironment();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(m_server->accessKeyId()));
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(m_server->secretAccessKey()));
    if (regexpJit)
        environment.remove(QStringLiteral("QT_ENABLE_REGEXP_JIT"));
    else
        environment.insert(QStringLiteral("QT_ENABLE_REGEXP_JIT"), QStringLiteral("0"));

    // mdwe-exec imposes the restriction and execs the server, which announces its API as always.
    ConsoleProcess server(QStringLiteral(KEYSTONE_MDWE_EXEC), environment);
    QString error;
    QVERIFY2(server.start(
                 {QStringLiteral(KEYSTONE_CONSOLE_BIN), QStringLiteral("--server"), QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")),
                     QStringLiteral("--bucket"), m_server->bucket(), QStringLiteral("--endpoint"),
                     m_server->endpoint().toString(), QStringLiteral("--path-style"), QStringLiteral("--region"),
                     QString::fromLatin1(m_server->region()), QStringLiteral("--part-size"), QStringLiteral("5M"),
                     QStringLiteral("--single-put-threshold"), QStringLiteral("1M")},
                 &error, 20000),
        qPrintable(error));
    ApiClient api(server.apiUrl(), server.token());

    QCOMPARE(api.get(QStringLiteral("/health")).status, 200);
    const HttpReply registered = api.registerEpisode(episode, QStringLiteral("ep"));
    QVERIFY2(registered.status == 201, registered.body.constData());
    const qint64 id = registered.json().value(QStringLiteral("episode_id")).toInteger();
    const auto status = [&] { return api.episodeStatus(id).value(QStringLiteral("status")).toString(); };
    QTRY_COMPARE_WITH_TIMEOUT(status(), QStringLiteral("completed"), 60000);

    QByteArray stored;
    QVERIFY(m_server->getObject(QStringLiteral("episodes/ep/camera.bin"), &stored));
    QVERIFY(stored == big);
    QVERIFY(m_server->getObject(QStringLiteral("episodes/ep/meta.json"), &stored));
    QVERIFY(stored == small);

    QCOMPARE(server.terminate(20000), 0); // a normal exit, code 0
}

QTEST_GUILESS_MAIN(TestServiceSandbox)
#include "tst_servicesandbox.moc"

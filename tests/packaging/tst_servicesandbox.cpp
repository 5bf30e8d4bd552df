// The service unit's MemoryDenyWriteExecute=yes against the real program: `keystone-console --server` runs
// under the same restriction (mdwe-exec), with the unit's environment, serves its API and uploads an episode to
// the strict S3 server, then stops cleanly on SIGTERM. A crash or a refused W+X mapping in Qt, libcurl or
// OpenSSL shows up here instead of in a station's journal.
#include "apiclient.h"
#include "s3serverprocess.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
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

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "AWS_ENDPOINT_URL"})
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(m_server->accessKeyId()));
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(m_server->secretAccessKey()));
    if (regexpJit)
        environment.remove(QStringLiteral("QT_ENABLE_REGEXP_JIT"));
    else
        environment.insert(QStringLiteral("QT_ENABLE_REGEXP_JIT"), QStringLiteral("0"));

    QProcess server;
    server.setProcessEnvironment(environment);
    server.start(QStringLiteral(KEYSTONE_MDWE_EXEC),
        {QStringLiteral(KEYSTONE_CONSOLE_BIN), QStringLiteral("--server"), QStringLiteral("--listen"),
            QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")),
            QStringLiteral("--bucket"), m_server->bucket(), QStringLiteral("--endpoint"),
            m_server->endpoint().toString(), QStringLiteral("--path-style"), QStringLiteral("--region"),
            QString::fromLatin1(m_server->region()), QStringLiteral("--part-size"), QStringLiteral("5M"),
            QStringLiteral("--single-put-threshold"), QStringLiteral("1M")});
    QVERIFY(server.waitForStarted());

    // The start line names the API (its origin is what ApiClient wants) and the token file.
    static const QRegularExpression started(QStringLiteral("(http://[^/\\s]+)/api/v1 \\(token in (.+)\\)"));
    QByteArray output;
    QRegularExpressionMatch match;
    QTRY_VERIFY2_WITH_TIMEOUT(
        (output += server.readAllStandardOutput(), match = started.match(QString::fromUtf8(output)), match.hasMatch())
            || server.state() == QProcess::NotRunning,
        output.constData(), 20000);
    QVERIFY2(match.hasMatch(), (output + server.readAllStandardError()).constData());
    QFile tokenFile(match.captured(2).trimmed());
    QVERIFY2(tokenFile.open(QIODevice::ReadOnly), qPrintable(tokenFile.fileName()));
    ApiClient api(QUrl(match.captured(1)), tokenFile.readAll().trimmed());

    QCOMPARE(api.get(QStringLiteral("/health")).status, 200);
    const HttpReply registered = api.post(QStringLiteral("/episodes"),
        QJsonDocument(QJsonObject{{QStringLiteral("path"), episode}, {QStringLiteral("name"), QStringLiteral("ep")}})
            .toJson(QJsonDocument::Compact));
    QVERIFY2(registered.status == 201, registered.body.constData());
    const QString statusPath
        = QStringLiteral("/sync/episodes/%1/status").arg(registered.json().value(QStringLiteral("episode_id")).toInt());
    const auto status = [&] { return api.get(statusPath).json().value(QStringLiteral("status")).toString(); };
    QTRY_COMPARE_WITH_TIMEOUT(status(), QStringLiteral("completed"), 60000);

    QByteArray stored;
    QVERIFY(m_server->getObject(QStringLiteral("episodes/ep/camera.bin"), &stored));
    QVERIFY(stored == big);
    QVERIFY(m_server->getObject(QStringLiteral("episodes/ep/meta.json"), &stored));
    QVERIFY(stored == small);

    server.terminate();
    QVERIFY(server.waitForFinished(20000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestServiceSandbox)
#include "tst_servicesandbox.moc"

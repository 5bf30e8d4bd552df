// `keystone-console upload` as scripts use it: a real process, real sockets, the strict server.
#include "consoleprocess.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "testdata.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TestUploadCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void uploadsFolderWithJsonProgress();
    void wrongSecretFailsWithOneLine();
    void s3ServicePresetsSpeakS3_data();
    void s3ServicePresetsSpeakS3();
    void ossNativeWithStsCredentials();
    void ossErrorLineCarriesTheEc();
    void usageErrors_data();
    void usageErrors();

private:
    using Run = ConsoleProcess::Result;
    Run run(const QStringList &arguments, const QByteArray &secret = {});
    // With OSS_* credentials (and the server's STS token) instead of AWS_*.
    Run runOss(const QStringList &arguments, const QByteArray &secret = {});
    QString makeFile(const QString &relative, qint64 size);
    S3ServerProcess &s3Server() const { return m_s3.server(); }
    S3ServerProcess &ossServer() const { return m_oss.server(); }

    StrictServerFixture m_s3; // the strict server, S3 dialect, and the directory of the files uploaded
    StrictServerFixture m_oss; // the strict server's oss dialect, requiring an STS token (its directory unused)
};

void TestUploadCommand::initTestCase()
{
    QVERIFY(m_s3.makeDir());
    QString error;
    QVERIFY2(m_s3.startServer(&error), qPrintable(error));
    S3ServerProcess &oss = m_oss.newServer();
    oss.setDialect(S3ServerProcess::Dialect::Oss);
    oss.setSecurityToken("station-sts-token");
    QVERIFY2(oss.start(&error), qPrintable(error));
}

QString TestUploadCommand::makeFile(const QString &relative, qint64 size)
{
    return TestData::writeFileIn(m_s3.dir(), relative, QByteArray(size, 'k'));
}

TestUploadCommand::Run TestUploadCommand::run(const QStringList &arguments, const QByteArray &secret)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(s3Server().accessKeyId()));
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
        QString::fromLatin1(secret.isEmpty() ? s3Server().secretAccessKey() : secret));
    environment.insert(QStringLiteral("AWS_REGION"), QString::fromLatin1(s3Server().region()));
    environment.remove(QStringLiteral("AWS_ENDPOINT_URL"));
    return ConsoleProcess(QStringLiteral(KEYSTONE_CONSOLE_BIN), environment).run(arguments, {}, 120000);
}

TestUploadCommand::Run TestUploadCommand::runOss(const QStringList &arguments, const QByteArray &secret)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys()) {
        if (name.startsWith(QLatin1String("AWS_")) || name.startsWith(QLatin1String("OSS_")))
            environment.remove(name);
    }
    environment.insert(QStringLiteral("OSS_ACCESS_KEY_ID"), QString::fromLatin1(ossServer().accessKeyId()));
    environment.insert(QStringLiteral("OSS_ACCESS_KEY_SECRET"),
        QString::fromLatin1(secret.isEmpty() ? ossServer().secretAccessKey() : secret));
    environment.insert(QStringLiteral("OSS_SESSION_TOKEN"), QString::fromLatin1(ossServer().securityToken()));
    return ConsoleProcess(QStringLiteral(KEYSTONE_CONSOLE_BIN), environment).run(arguments, {}, 120000);
}

void TestUploadCommand::uploadsFolderWithJsonProgress()
{
    QVERIFY(!makeFile(QStringLiteral("episode/camera/front.bin"), 21 * 1024 * 1024).isEmpty());
    QVERIFY(!makeFile(QStringLiteral("episode/meta.json"), 100).isEmpty());
    const Run result = run({QStringLiteral("upload"), QStringLiteral("--endpoint"), s3Server().endpoint().toString(),
        QStringLiteral("--path-style"), QStringLiteral("--json-progress"), QStringLiteral("--part-size"),
        QStringLiteral("5M"), m_s3.filePath(QStringLiteral("episode")),
        QStringLiteral("s3://%1/episodes/ep1").arg(s3Server().bucket())});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY(!result.out.contains(s3Server().secretAccessKey()));
    QVERIFY(!result.err.contains(s3Server().secretAccessKey()));

    QStringList completedKeys;
    qint64 lastCommitted = -1;
    QJsonObject last;
    for (const QByteArray &line : result.out.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        QVERIFY2(!event.isEmpty(), line.constData());
        if (event.value(QStringLiteral("event")) == QLatin1String("progress")) {
            const qint64 committed = event.value(QStringLiteral("committed_bytes")).toInteger();
            QVERIFY(committed >= lastCommitted);
            lastCommitted = committed;
            QCOMPARE(event.value(QStringLiteral("total_bytes")).toInteger(), 21 * 1024 * 1024 + 100);
        } else if (event.value(QStringLiteral("event")) == QLatin1String("file_completed")) {
            completedKeys << event.value(QStringLiteral("key")).toString();
        }
        last = event;
    }
    // The files go up together, so they finish in any order; each exactly once.
    completedKeys.sort();
    QCOMPARE(completedKeys,
        (QStringList{QStringLiteral("episodes/ep1/camera/front.bin"), QStringLiteral("episodes/ep1/meta.json")}));
    QCOMPARE(lastCommitted, 21 * 1024 * 1024 + 100);
    QCOMPARE(last.value(QStringLiteral("event")).toString(), QStringLiteral("completed"));
    QCOMPARE(last.value(QStringLiteral("files")).toInt(), 2);
}

void TestUploadCommand::wrongSecretFailsWithOneLine()
{
    const QString path = makeFile(QStringLiteral("single.bin"), 1000);
    const Run result
        = run({QStringLiteral("upload"), QStringLiteral("--endpoint"), s3Server().endpoint().toString(),
                  QStringLiteral("--path-style"), path, QStringLiteral("s3://%1/x/").arg(s3Server().bucket())},
            "wrong-secret-value");
    QCOMPARE(result.exitCode, 1);
    const QList<QByteArray> lines = result.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().contains("SignatureDoesNotMatch"), result.err.constData());
    QVERIFY(!result.err.contains("wrong-secret-value"));
}

void TestUploadCommand::s3ServicePresetsSpeakS3_data()
{
    QTest::addColumn<QString>("provider");
    QTest::newRow("r2") << QStringLiteral("r2");
    QTest::newRow("b2") << QStringLiteral("b2");
    QTest::newRow("wasabi") << QStringLiteral("wasabi");
}

// The S3 services' presets change only what the user need not type: with our endpoint (and its region, which
// 127.0.0.1 cannot name) each uploads a multipart file over S3 with path style, as to the service itself.
void TestUploadCommand::s3ServicePresetsSpeakS3()
{
    QFETCH(QString, provider);
    const QString path = makeFile(QStringLiteral("preset-%1.bin").arg(provider), 6 * 1024 * 1024 + 5);
    QVERIFY(!path.isEmpty());
    const QString key = QStringLiteral("presets/%1.bin").arg(provider);
    const Run result = run({QStringLiteral("upload"), QStringLiteral("--provider"), provider,
        QStringLiteral("--endpoint"), s3Server().endpoint().toString(), QStringLiteral("--region"),
        QString::fromLatin1(s3Server().region()), QStringLiteral("--part-size"), QStringLiteral("5M"), path,
        QStringLiteral("s3://%1/%2").arg(s3Server().bucket(), key)});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QByteArray stored;
    QVERIFY(s3Server().getObject(key, &stored));
    QCOMPARE(stored.size(), 6 * 1024 * 1024 + 5);
}

void TestUploadCommand::ossNativeWithStsCredentials()
{
    // 1 MiB + 1 in 100 KiB parts: sizes only OSS accepts, through OSS V4 with the STS token from OSS_SESSION_TOKEN.
    const QString path = makeFile(QStringLiteral("oss/lidar.bin"), 1024 * 1024 + 1);
    const Run result = runOss({QStringLiteral("upload"), QStringLiteral("--provider"), QStringLiteral("oss"),
        QStringLiteral("--endpoint"), ossServer().endpoint().toString(), QStringLiteral("--region"),
        QString::fromLatin1(ossServer().region()), QStringLiteral("--part-size"), QStringLiteral("100K"),
        QStringLiteral("--single-put-threshold"), QStringLiteral("0"), QStringLiteral("--json-progress"), path,
        QStringLiteral("s3://%1/oss/lidar.bin").arg(ossServer().bucket())});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY(!result.out.contains(ossServer().securityToken()) && !result.err.contains(ossServer().securityToken()));
    QVERIFY(!result.err.contains(ossServer().secretAccessKey()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray stored;
    QString error;
    QVERIFY2(ossServer().getObject(QStringLiteral("oss/lidar.bin"), &stored, &error), qPrintable(error));
    QVERIFY(stored == file.readAll());
    const QJsonObject stats = ossServer().stats();
    QCOMPARE(stats.value(QStringLiteral("requests")).toObject().value(QStringLiteral("UploadPart")).toInt(), 11);
}

void TestUploadCommand::ossErrorLineCarriesTheEc()
{
    const QString path = makeFile(QStringLiteral("oss/small.bin"), 1000);
    const Run result = runOss(
        {QStringLiteral("upload"), QStringLiteral("--provider"), QStringLiteral("oss"),
            QStringLiteral("--signature-version"), QStringLiteral("v1"), QStringLiteral("--endpoint"),
            ossServer().endpoint().toString(), QStringLiteral("--region"), QString::fromLatin1(ossServer().region()),
            path, QStringLiteral("s3://%1/oss/").arg(ossServer().bucket())},
        "wrong-oss-secret");
    QCOMPARE(result.exitCode, 1);
    const QList<QByteArray> lines = result.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    // What Alibaba support asks for: the code, the request id and the EC.
    QVERIFY2(lines.first().contains("SignatureDoesNotMatch"), result.err.constData());
    QVERIFY2(lines.first().contains("[request id "), result.err.constData());
    QVERIFY2(lines.first().contains("[EC "), result.err.constData());
    QVERIFY(!result.err.contains("wrong-oss-secret"));
}

void TestUploadCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no target") << QStringList{QStringLiteral("upload"), QStringLiteral("/etc/hostname")};
    QTest::newRow("not s3://") << QStringList{
        QStringLiteral("upload"), QStringLiteral("/etc/hostname"), QStringLiteral("bucket/key")};
    QTest::newRow("missing file") << QStringList{
        QStringLiteral("upload"), QStringLiteral("/nonexistent/x"), QStringLiteral("s3://b/k")};
    QTest::newRow("part size too small") << QStringList{QStringLiteral("upload"), QStringLiteral("--part-size"),
        QStringLiteral("1M"), QStringLiteral("/etc/hostname"), QStringLiteral("s3://b/k")};
    QTest::newRow("bad endpoint") << QStringList{QStringLiteral("upload"), QStringLiteral("--endpoint"),
        QStringLiteral("ftp://x"), QStringLiteral("/etc/hostname"), QStringLiteral("s3://b/k")};
    QTest::newRow("unknown option") << QStringList{QStringLiteral("upload"), QStringLiteral("--frobnicate"),
        QStringLiteral("/etc/hostname"), QStringLiteral("s3://b/k")};
}

void TestUploadCommand::usageErrors()
{
    QFETCH(QStringList, arguments);
    const Run result = run(arguments);
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.err.trimmed().count('\n'), 0);
    QVERIFY(!result.err.isEmpty());
}

QTEST_GUILESS_MAIN(TestUploadCommand)
#include "tst_uploadcommand.moc"

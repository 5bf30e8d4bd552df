// `keystone-console upload` as scripts use it: a real process, real sockets, the strict server.
#include "consoleprocess.h"
#include "s3serverprocess.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestUploadCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void uploadsFolderWithJsonProgress();
    void wrongSecretFailsWithOneLine();
    void usageErrors_data();
    void usageErrors();

private:
    using Run = ConsoleProcess::Result;
    Run run(const QStringList &arguments, const QByteArray &secret = {});
    QString makeFile(const QString &relative, qint64 size);

    std::unique_ptr<S3ServerProcess> m_server;
    QTemporaryDir m_dir;
};

void TestUploadCommand::initTestCase()
{
    QString error;
    m_server = std::make_unique<S3ServerProcess>(S3ServerProcess::Kind::Strict);
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

QString TestUploadCommand::makeFile(const QString &relative, qint64 size)
{
    const QString path = m_dir.filePath(relative);
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QByteArray chunk(1024 * 1024, 'k');
    for (qint64 left = size; left > 0; left -= chunk.size())
        file.write(chunk.constData(), std::min<qint64>(left, chunk.size()));
    return path;
}

TestUploadCommand::Run TestUploadCommand::run(const QStringList &arguments, const QByteArray &secret)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(m_server->accessKeyId()));
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"),
        QString::fromLatin1(secret.isEmpty() ? m_server->secretAccessKey() : secret));
    environment.insert(QStringLiteral("AWS_REGION"), QString::fromLatin1(m_server->region()));
    environment.remove(QStringLiteral("AWS_ENDPOINT_URL"));
    return ConsoleProcess(QStringLiteral(KEYSTONE_CONSOLE_BIN), environment).run(arguments, {}, 120000);
}

void TestUploadCommand::uploadsFolderWithJsonProgress()
{
    QVERIFY(!makeFile(QStringLiteral("episode/camera/front.bin"), 21 * 1024 * 1024).isEmpty());
    QVERIFY(!makeFile(QStringLiteral("episode/meta.json"), 100).isEmpty());
    const Run result = run({QStringLiteral("upload"), QStringLiteral("--endpoint"), m_server->endpoint().toString(),
        QStringLiteral("--path-style"), QStringLiteral("--json-progress"), QStringLiteral("--part-size"),
        QStringLiteral("5M"), m_dir.filePath(QStringLiteral("episode")),
        QStringLiteral("s3://%1/episodes/ep1").arg(m_server->bucket())});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY(!result.out.contains(m_server->secretAccessKey()));
    QVERIFY(!result.err.contains(m_server->secretAccessKey()));

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
        = run({QStringLiteral("upload"), QStringLiteral("--endpoint"), m_server->endpoint().toString(),
                  QStringLiteral("--path-style"), path, QStringLiteral("s3://%1/x/").arg(m_server->bucket())},
            "wrong-secret-value");
    QCOMPARE(result.exitCode, 1);
    const QList<QByteArray> lines = result.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().contains("SignatureDoesNotMatch"), result.err.constData());
    QVERIFY(!result.err.contains("wrong-secret-value"));
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

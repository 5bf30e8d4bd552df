// The keychain way, end to end with a real Secret Service: CTest runs this under run-with-keyring.sh (its own D-Bus
// session, an unlocked gnome-keyring, an isolated HOME). `credentials set` reads the secret from stdin, `--server`
// finds it in the keychain (nothing else holds it) and uploads to the strict S3 server with it, `credentials clear`
// removes it, after which --server finds no credentials.
#include "consoleprocess.h"
#include "s3serverprocess.h"
#include "serverrun.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestKeychainCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void setServeClear();
};

void TestKeychainCredentials::setServeClear()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "run this through run-with-keyring.sh");
    S3ServerProcess s3(S3ServerProcess::Kind::Strict);
    QString error;
    QVERIFY2(s3.start(&error), qPrintable(error));
    QTemporaryDir dir;
    const QString keyId = QString::fromLatin1(s3.accessKeyId());

    // The session bus stays; no AWS_*/OSS_* variables, so only the keychain can hold the secret.
    QProcessEnvironment environment = ConsoleProcess::cleanEnvironment();
    environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS"));
    const ConsoleProcess console(QStringLiteral(KEYSTONE_CONSOLE_BIN), environment);

    // set: the id on the command line, the secret on stdin (never in argv).
    const auto set
        = console.run({QStringLiteral("credentials"), QStringLiteral("set"), QStringLiteral("--access-key-id"), keyId},
            s3.secretAccessKey() + "\n");
    QVERIFY2(set.exitCode == 0, set.err.constData());
    QVERIFY2(set.out.contains("stored the secret access key in the keychain"), set.out.constData());
    QVERIFY(!set.out.contains(s3.secretAccessKey()) && !set.err.contains(s3.secretAccessKey()));

    // --server: the id from the config file's access-key-id, the secret from the keychain.
    const QString config = dir.filePath(QStringLiteral("keystone.conf"));
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QStringLiteral("access-key-id=%1\nbucket=%2\nendpoint=%3\nregion=%4\npath-style=true\n"
                              "listen=127.0.0.1:0\ndata-dir=data\n")
                   .arg(keyId, s3.bucket(), s3.endpoint().toString(), QString::fromLatin1(s3.region()))
                   .toUtf8());
    file.close();
    {
        ConsoleProcess server(QStringLiteral(KEYSTONE_CONSOLE_BIN), environment);
        QVERIFY2(
            server.start({QStringLiteral("--server"), QStringLiteral("--config"), config}, &error), qPrintable(error));
        const QByteArray err = server.standardError();
        QVERIFY2(err.contains("credentials: keychain (access key AKIA"), err.constData());
        const QString episode = dir.filePath(QStringLiteral("episode.bin"));
        QVERIFY(TestData::writeFile(episode, TestData::randomBytes(6 * TestData::kMiB, 11)));
        ApiClient client(server.apiUrl(), server.token());
        const QString failure = ServerRun::uploadEpisode(client, episode, QStringLiteral("from-keychain"));
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QCOMPARE(server.terminate(), 0);
        QVERIFY(!server.standardError().contains(s3.secretAccessKey()));
    }

    // clear: the id from the environment this time.
    QProcessEnvironment withId = environment;
    withId.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), keyId);
    const auto clear = ConsoleProcess(QStringLiteral(KEYSTONE_CONSOLE_BIN), withId)
                           .run({QStringLiteral("credentials"), QStringLiteral("clear")});
    QVERIFY2(clear.exitCode == 0, clear.err.constData());
    QVERIFY(clear.out.contains("removed the secret access key from the keychain"));

    const auto after = console.run({QStringLiteral("--server"), QStringLiteral("--config"), config});
    QCOMPARE(after.exitCode, 2);
    QVERIFY2(after.err.contains("no credentials found"), after.err.constData());
    QVERIFY2(after.err.contains("keychain: No secret key is stored"), after.err.constData());
}

QTEST_GUILESS_MAIN(TestKeychainCredentials)
#include "tst_keychaincredentials.moc"

// `keystone-console --server` (and the other modes) as a service manager runs them: real processes, real sockets,
// the strict S3 server, real files. Credentials from a file or the environment (the keychain: see
// tst_keychaincredentials), the config file, --log-level without secrets, --version in every mode.
#include "consoleprocess.h"
#include "s3serverprocess.h"
#include "serverrun.h"
#include "strictserverfixture.h"
#include "testdata.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/stat.h>
#include <unistd.h>

class TestServerCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void credentialsFileOnly();
    void environmentIsReported();
    void nothingFoundExitsWithTheThreeWays();
    void insecureCredentialsFileIsRefused();
    void foreignOwnedCredentialsFileIsRefused();
    void fifoCredentialsFileIsRefusedAtOnce();
    void systemdCredentialIsUsed();
    void dataDirectoryIsOwnerOnly();
    void plainHttpEndpointIsWarnedAbout();
    void configFileAndDebugLogWithoutSecrets();
    void configErrors_data();
    void configErrors();
    void versionInEveryMode_data();
    void versionInEveryMode();
    void busWithoutSecretServiceFallsThrough();
    void credentialsCommandWithoutKeychain();

private:
    QStringList serverArguments(const QString &dataDir) const;
    QString writeFile(const QString &relative, const QByteArray &text, QFile::Permissions permissions);
    QByteArray credentialsText() const;
    QProcessEnvironment environmentWithKeys() const;

    StrictServerFixture m_fixture;
};

namespace {

constexpr QFile::Permissions kOwnerOnly = QFile::ReadOwner | QFile::WriteOwner;

QString consoleBin()
{
    return QStringLiteral(KEYSTONE_CONSOLE_BIN);
}

mode_t modeOf(const QString &path)
{
    struct stat info = {};
    return ::lstat(QFile::encodeName(path).constData(), &info) == 0 ? (info.st_mode & 07777) : mode_t(-1);
}

bool setMode(const QString &path, mode_t mode)
{
    return ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

} // namespace

void TestServerCredentials::initTestCase()
{
    // The usual umask, which the servers started here inherit: only their own care makes their files owner-only.
    ::umask(022);
    QVERIFY(m_fixture.makeDir());
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

QStringList TestServerCredentials::serverArguments(const QString &dataDir) const
{
    return {QStringLiteral("--server"), QStringLiteral("--bucket"), m_fixture.server().bucket(),
        QStringLiteral("--endpoint"), m_fixture.server().endpoint().toString(), QStringLiteral("--path-style"),
        QStringLiteral("--region"), QString::fromLatin1(m_fixture.server().region()), QStringLiteral("--listen"),
        QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), m_fixture.filePath(dataDir)};
}

QString TestServerCredentials::writeFile(
    const QString &relative, const QByteArray &text, QFile::Permissions permissions)
{
    const QString path = m_fixture.filePath(relative);
    if (!TestData::writeFile(path, text))
        return {};
    return QFile::setPermissions(path, permissions) ? path : QString();
}

QByteArray TestServerCredentials::credentialsText() const
{
    return "[default]\naws_access_key_id = " + m_fixture.server().accessKeyId()
        + "\naws_secret_access_key = " + m_fixture.server().secretAccessKey() + "\n";
}

QProcessEnvironment TestServerCredentials::environmentWithKeys() const
{
    QProcessEnvironment environment = ConsoleProcess::cleanEnvironment();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(m_fixture.server().accessKeyId()));
    environment.insert(
        QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(m_fixture.server().secretAccessKey()));
    return environment;
}

void TestServerCredentials::credentialsFileOnly()
{
    const QString file = writeFile(QStringLiteral("file-only/credentials"), credentialsText(), kOwnerOnly);
    ConsoleProcess server(consoleBin(), ConsoleProcess::cleanEnvironment());
    QString error;
    QVERIFY2(
        server.start(
            serverArguments(QStringLiteral("file-only/data")) << QStringLiteral("--credentials-file") << file, &error),
        qPrintable(error));
    const QByteArray err = server.standardError();
    QVERIFY2(err.contains("credentials: file " + file.toUtf8() + " (access key AKIA"), err.constData());

    // The engine really uses them: an episode uploads to the strict server, which checks every signature.
    const QString episode = m_fixture.filePath(QStringLiteral("file-only/episode.bin"));
    QVERIFY(TestData::writeFile(episode, TestData::randomBytes(100 * 1024, 7)));
    ApiClient client(server.apiUrl(), server.token());
    const QString failure = ServerRun::uploadEpisode(client, episode, QStringLiteral("file-only"));
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QCOMPARE(server.terminate(), 0);
}

void TestServerCredentials::environmentIsReported()
{
    ConsoleProcess server(consoleBin(), environmentWithKeys());
    QString error;
    // A credentials file that would be refused is never looked at when the environment has the keys.
    const QString file = writeFile(QStringLiteral("env/credentials"), credentialsText(), kOwnerOnly | QFile::ReadOther);
    QVERIFY2(server.start(
                 serverArguments(QStringLiteral("env/data")) << QStringLiteral("--credentials-file") << file, &error),
        qPrintable(error));
    const QByteArray err = server.standardError();
    QVERIFY2(err.contains("credentials: environment (AWS_ACCESS_KEY_ID, access key AKIA"), err.constData());
    QVERIFY(!err.contains(m_fixture.server().secretAccessKey()));
    QCOMPARE(server.terminate(), 0);
}

void TestServerCredentials::nothingFoundExitsWithTheThreeWays()
{
    const ConsoleProcess console(consoleBin(), ConsoleProcess::cleanEnvironment());
    const auto result = console.run(serverArguments(QStringLiteral("nothing/data")));
    QCOMPARE(result.exitCode, 2);
    for (const char *way : {"no credentials found", "keychain", "credentials set", "AWS_ACCESS_KEY_ID",
             "AWS_SECRET_ACCESS_KEY", "--credentials-file"})
        QVERIFY2(result.err.contains(way), result.err.constData());
    QCOMPARE(result.err.trimmed().count('\n'), 0); // one line
    QVERIFY(!QFile::exists(m_fixture.filePath(QStringLiteral("nothing/data/api-token")))); // refused before starting
}

void TestServerCredentials::insecureCredentialsFileIsRefused()
{
    const QString file
        = writeFile(QStringLiteral("insecure/credentials"), credentialsText(), kOwnerOnly | QFile::ReadGroup);
    const ConsoleProcess console(consoleBin(), ConsoleProcess::cleanEnvironment());
    const auto result
        = console.run(serverArguments(QStringLiteral("insecure/data")) << QStringLiteral("--credentials-file") << file);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("is readable by group or others (mode 0640); run chmod 600 " + file.toUtf8()),
        result.err.constData());
    QVERIFY(!result.err.contains(m_fixture.server().secretAccessKey()));
}

void TestServerCredentials::foreignOwnedCredentialsFileIsRefused()
{
    // Only root can give a file away; tst_credentials covers the same check without root (an expected owner set).
    if (::geteuid() != 0)
        QSKIP("needs root to chown the credentials file to another user (tst_credentials checks the rule without)");
    const QString file = writeFile(QStringLiteral("foreign/credentials"), credentialsText(), kOwnerOnly);
    QVERIFY(::chown(QFile::encodeName(file).constData(), 65534, 65534) == 0);
    const ConsoleProcess console(consoleBin(), ConsoleProcess::cleanEnvironment());
    const auto result
        = console.run(serverArguments(QStringLiteral("foreign/data")) << QStringLiteral("--credentials-file") << file);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("credentials file " + file.toUtf8()
                 + " is owned by uid 65534, not by the user running Keystone Console (uid 0) or root"),
        result.err.constData());
    QVERIFY(!result.err.contains(m_fixture.server().secretAccessKey()));
    QVERIFY(!QFile::exists(m_fixture.filePath(QStringLiteral("foreign/data/api-token")))); // refused before starting
}

void TestServerCredentials::fifoCredentialsFileIsRefusedAtOnce()
{
    // Nobody writes to the FIFO: a blocking open would hang start-up until run() gives up (-1).
    QVERIFY(QDir().mkpath(m_fixture.filePath(QStringLiteral("fifo"))));
    const QString fifo = m_fixture.filePath(QStringLiteral("fifo/credentials"));
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    const ConsoleProcess console(consoleBin(), ConsoleProcess::cleanEnvironment());
    const auto result = console.run(
        serverArguments(QStringLiteral("fifo/data")) << QStringLiteral("--credentials-file") << fifo, {}, 20000);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("credentials file " + fifo.toUtf8() + " is not a regular file (a FIFO)"),
        result.err.constData());
}

void TestServerCredentials::systemdCredentialIsUsed()
{
    // $CREDENTIALS_DIRECTORY as systemd makes it for LoadCredential=keystone-credentials:FILE (0400, plus a read ACL
    // for the service user that shows as 0440).
    const QString credential = writeFile(QStringLiteral("systemd/credentials/keystone-credentials"), credentialsText(),
        QFile::ReadOwner | QFile::ReadGroup);
    QVERIFY(!credential.isEmpty());
    QProcessEnvironment environment = ConsoleProcess::cleanEnvironment();
    environment.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), QFileInfo(credential).path());
    ConsoleProcess server(consoleBin(), environment);
    QString error;
    QVERIFY2(server.start(serverArguments(QStringLiteral("systemd/data")), &error), qPrintable(error));
    const QByteArray err = server.standardError();
    QVERIFY2(
        err.contains("credentials: systemd credential " + credential.toUtf8() + " (access key AKIA"), err.constData());

    // The strict server checks every signature: the secret really came from there.
    const QString episode = m_fixture.filePath(QStringLiteral("systemd/episode.bin"));
    QVERIFY(TestData::writeFile(episode, TestData::randomBytes(50 * 1024, 8)));
    ApiClient client(server.apiUrl(), server.token());
    const QString failure = ServerRun::uploadEpisode(client, episode, QStringLiteral("systemd-credential"));
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QCOMPARE(server.terminate(), 0);
}

// With the umask 022 of initTestCase: the data directory 0700 and everything the server keeps there 0600, from the
// first start on; modes loosened between two starts are narrowed by the second, with a warning for each.
void TestServerCredentials::dataDirectoryIsOwnerOnly()
{
    const QString dataDir = m_fixture.filePath(QStringLiteral("modes/data")); // neither exists yet
    const QString catalog = dataDir + QStringLiteral("/catalog.sqlite");
    {
        ConsoleProcess server(consoleBin(), environmentWithKeys());
        QString error;
        QVERIFY2(server.start(serverArguments(QStringLiteral("modes/data")), &error), qPrintable(error));
        QCOMPARE(modeOf(dataDir), mode_t(0700));
        for (const char *name :
            {"catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "api-token", "keystone.lock"})
            QCOMPARE(modeOf(dataDir + QLatin1Char('/') + QLatin1String(name)), mode_t(0600));
        QVERIFY2(!server.standardError().contains("narrowed"), server.standardError().constData());
        QVERIFY(!server.standardError().contains("plain http://")); // a loopback endpoint
        QCOMPARE(server.terminate(), 0);
    }

    QVERIFY(setMode(dataDir, 0755));
    QVERIFY(setMode(catalog, 0644));
    ConsoleProcess server(consoleBin(), environmentWithKeys());
    QString error;
    QVERIFY2(server.start(serverArguments(QStringLiteral("modes/data")), &error), qPrintable(error));
    const QByteArray err = server.standardError();
    for (const QString &line : {dataDir + QStringLiteral(" had mode 0755, open to group or others; narrowed to 0700"),
             catalog + QStringLiteral(" had mode 0644, open to group or others; narrowed to 0600")})
        QVERIFY2(err.contains(line.toUtf8()), err.constData());
    QCOMPARE(modeOf(dataDir), mode_t(0700));
    QCOMPARE(modeOf(catalog), mode_t(0600));
    QCOMPARE(server.terminate(), 0);
}

void TestServerCredentials::plainHttpEndpointIsWarnedAbout()
{
    // 192.0.2.0/24 is TEST-NET-1: never answers, which the server only logs; the warning comes at start.
    QStringList arguments = serverArguments(QStringLiteral("plain-http/data"));
    arguments[arguments.indexOf(QStringLiteral("--endpoint")) + 1] = QStringLiteral("http://192.0.2.10:9000");
    ConsoleProcess server(consoleBin(), environmentWithKeys());
    QString error;
    QVERIFY2(server.start(arguments, &error), qPrintable(error));
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err = server.standardError()).contains("UNSIGNED-PAYLOAD"), 10000);
    QVERIFY2(err.contains("keystone.storage.endpoint warning: the storage endpoint http://192.0.2.10:9000 is plain "
                          "http:// to another machine"),
        err.constData());
    QCOMPARE(server.terminate(), 0);
}

void TestServerCredentials::configFileAndDebugLogWithoutSecrets()
{
    // Everything from the file, paths relative to it; only --config and --log-level on the command line.
    writeFile(QStringLiteral("config/etc/credentials"), credentialsText(), kOwnerOnly);
    const QString config = writeFile(QStringLiteral("config/etc/keystone.conf"),
        QStringLiteral("bucket=%1\nendpoint=%2\nregion=%3\npath-style=true\nlisten=127.0.0.1:0\ndata-dir=../state\n"
                       "credentials-file=credentials\npart-size=5M\nmax-parts=2\nshutdown-grace=5\n")
            .arg(m_fixture.server().bucket(), m_fixture.server().endpoint().toString(),
                QString::fromLatin1(m_fixture.server().region()))
            .toUtf8(),
        kOwnerOnly);
    ConsoleProcess server(consoleBin(), ConsoleProcess::cleanEnvironment());
    QString error;
    QVERIFY2(server.start({QStringLiteral("--server"), QStringLiteral("--config"), config,
                              QStringLiteral("--log-level"), QStringLiteral("debug")},
                 &error),
        qPrintable(error));
    const QString stateDir = m_fixture.filePath(QStringLiteral("config/state"));
    QVERIFY2(server.standardOutput().contains("token in " + stateDir.toUtf8() + "/api-token"),
        server.standardOutput().constData());
    QVERIFY(server.standardError().contains(
        "credentials: file " + m_fixture.filePath(QStringLiteral("config/etc/credentials")).toUtf8()));

    // A multipart episode, so signing, retries and progress all run with debug logging on.
    const QString episode = m_fixture.filePath(QStringLiteral("config/episode"));
    QVERIFY(TestData::writeFile(episode + QStringLiteral("/a.bin"), TestData::randomBytes(12 * TestData::kMiB, 3)));
    QVERIFY(TestData::writeFile(episode + QStringLiteral("/b.json"), "{}"));
    ApiClient client(server.apiUrl(), server.token());
    const QString failure = ServerRun::uploadEpisode(client, episode, QStringLiteral("configured"));
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QCOMPARE(server.terminate(), 0);

    const QByteArray err = server.standardError();
    // The level took effect, with the pattern "time category level: message" ...
    QVERIFY2(err.contains(" keystone.config debug: looking up") || err.contains(" keystone.config debug: no secret"),
        err.constData());
    QVERIFY2(err.contains(" keystone.sync info: episode"), err.constData());
    QVERIFY2(err.contains(" keystone.api info: listening on"), err.constData());
    // ... and the secret appears nowhere, not even in part.
    const QByteArray secret = m_fixture.server().secretAccessKey();
    for (const QByteArray &output : {err, server.standardOutput()}) {
        QVERIFY(!output.contains(secret));
        QVERIFY(!output.contains(secret.left(10)));
        QVERIFY(!output.contains(secret.toBase64()));
    }
}

void TestServerCredentials::configErrors_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("unknown key") << QByteArray("bucket=b\nmax-part=3\n") << QByteArray("unknown key 'max-part'");
    QTest::newRow("bad log level") << QByteArray("bucket=b\nlog-level=chatty\n")
                                   << QByteArray("--log-level must be debug, info, warning or error");
    QTest::newRow("missing file") << QByteArray() << QByteArray("cannot read config file");
}

void TestServerCredentials::configErrors()
{
    QFETCH(QByteArray, config);
    QFETCH(QByteArray, expected);
    const QString path = config.isEmpty()
        ? m_fixture.filePath(QStringLiteral("no-such.conf"))
        : writeFile(QStringLiteral("errors/") + QString::fromLatin1(QTest::currentDataTag()), config, kOwnerOnly);
    const ConsoleProcess console(consoleBin(), environmentWithKeys());
    for (const QStringList &mode : {QStringList{QStringLiteral("--server")},
             QStringList{QStringLiteral("upload"), QStringLiteral("/etc/hostname"), QStringLiteral("s3://b/k")}}) {
        const auto result = console.run(mode + QStringList{QStringLiteral("--config"), path});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(expected), result.err.constData());
    }
}

void TestServerCredentials::versionInEveryMode_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("top level") << QStringList{QStringLiteral("--version")};
    QTest::newRow("server") << QStringList{QStringLiteral("--server"), QStringLiteral("--version")};
    QTest::newRow("upload") << QStringList{QStringLiteral("upload"), QStringLiteral("--version")};
    QTest::newRow("credentials") << QStringList{QStringLiteral("credentials"), QStringLiteral("--version")};
}

void TestServerCredentials::versionInEveryMode()
{
    QFETCH(QStringList, arguments);
    const auto result = ConsoleProcess(consoleBin(), ConsoleProcess::cleanEnvironment()).run(arguments);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray("keystone-console " KEYSTONE_VERSION "\n"));
}

void TestServerCredentials::busWithoutSecretServiceFallsThrough()
{
    // A session bus of its own on which no secret service exists (a bus configuration without service
    // directories, so nothing is activated either): the keychain lookup must end quickly and the environment be used.
    const QString home = m_fixture.filePath(QStringLiteral("bus/home"));
    QVERIFY(QDir().mkpath(home));
    QProcessEnvironment environment = environmentWithKeys();
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    QVERIFY(QDir().mkpath(home + QStringLiteral("/run")));
    QVERIFY(
        QFile::setPermissions(home + QStringLiteral("/run"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), home + QStringLiteral("/run"));
    const QString busConfig = writeFile(QStringLiteral("bus/session.conf"),
        "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
        " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
        "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>\n"
        "<policy context=\"default\"><allow send_destination=\"*\"/><allow own=\"*\"/></policy></busconfig>\n",
        kOwnerOnly);
    ConsoleProcess server(QStringLiteral("dbus-run-session"), environment);
    QString error;
    QElapsedTimer timer;
    timer.start();
    QVERIFY2(server.start(QStringList{QStringLiteral("--config-file"), busConfig, QStringLiteral("--"), consoleBin()}
                         + serverArguments(QStringLiteral("bus/data"))
                     << QStringLiteral("--log-level") << QStringLiteral("debug"),
                 &error, 20000),
        qPrintable(error));
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    const QByteArray err = server.standardError();
    QVERIFY2(err.contains("credentials: environment (AWS_ACCESS_KEY_ID"), err.constData());
    QVERIFY2(err.contains("keystone.config debug: looking up the secret"), err.constData()); // asked, not skipped
    // dbus-run-session does not pass SIGTERM on: stop its child, the console, which then ends the session.
    QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(server.pid()));
    QVERIFY(children.open(QIODevice::ReadOnly));
    qint64 console = 0; // the other child is the bus daemon
    for (const QByteArray &child : children.readAll().trimmed().split(' ')) {
        QFile commandLine(QStringLiteral("/proc/%1/cmdline").arg(QString::fromLatin1(child)));
        if (commandLine.open(QIODevice::ReadOnly) && commandLine.readAll().startsWith(consoleBin().toUtf8()))
            console = child.toLongLong();
    }
    QVERIFY(console > 0);
    // If a check fails, the grandchild must not outlive the test.
    const auto reap = qScopeGuard([console] { ::kill(pid_t(console), SIGKILL); });
    QCOMPARE(::kill(pid_t(console), SIGTERM), 0);
    QCOMPARE(server.waitForExit(), 0);
}

void TestServerCredentials::credentialsCommandWithoutKeychain()
{
    const ConsoleProcess console(consoleBin(), environmentWithKeys());
    const auto set = console.run({QStringLiteral("credentials"), QStringLiteral("set")}, "some-secret\n");
    QCOMPARE(set.exitCode, 1);
    QVERIFY2(set.err.contains("no keychain usable"), set.err.constData());
    QVERIFY(set.err.contains("--credentials-file"));
    QVERIFY(!set.err.contains("some-secret"));
    const auto clear = console.run({QStringLiteral("credentials"), QStringLiteral("clear")});
    QCOMPARE(clear.exitCode, 1);
    const auto usage = console.run({QStringLiteral("credentials"), QStringLiteral("show")});
    QCOMPARE(usage.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestServerCredentials)
#include "tst_servercredentials.moc"

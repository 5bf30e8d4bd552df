// The credentials file rules (format, 0600) and the lookup order, on real files. The keychain step is covered by
// tst_keychaincredentials (a real Secret Service); here every environment lacks a session bus, so the lookup must
// skip the keychain at once.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "config/credentialresolver.h"
#include "config/credentialsfile.h"
#include "testdata.h"

#include <sys/stat.h>
#include <unistd.h>

class TestCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fileFormats_data();
    void fileFormats();
    void incompleteFileIsRefused();
    void permissions_data();
    void permissions();
    void missingFileIsAnError();
    void foreignOwnerIsRefused();
    void fifoIsRefusedWithoutWaiting();
    void symlinkIsCheckedByItsTarget();
    void emptyFileIsRefused();
    void systemdCredentialIsUsed();
    void systemdCredentialComesBeforeTheFile();
    void emptySystemdCredentialFallsThrough();
    void writableSystemdCredentialIsRefused();
    void environmentComesBeforeTheFile();
    void awsComesBeforeOss();
    void ossEnvironment();
    void halfAnEnvironmentPairFallsThroughToTheFile();
    void relativeFilePathIsReportedAbsolute();
    void nothingFoundNamesTheThreeWays();
    void keychainIsSkippedWithoutSessionBus();
    void keychainLooksUpTheEnvironmentIdFirst();

private:
    QString credentialsDirectory(const QString &name, const QByteArray &text, QFile::Permissions permissions);
    QString writeFile(const QString &name, const QByteArray &text, QFile::Permissions permissions);
    static QProcessEnvironment environment(const QStringList &pairs);

    QTemporaryDir m_dir;
};

namespace {

constexpr QFile::Permissions kOwnerOnly = QFile::ReadOwner | QFile::WriteOwner;
const QByteArray kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY=secret";

} // namespace

QString TestCredentials::writeFile(const QString &name, const QByteArray &text, QFile::Permissions permissions)
{
    const QString path = TestData::writeFileIn(m_dir, name, text);
    return !path.isEmpty() && QFile::setPermissions(path, permissions) ? path : QString();
}

// A directory as systemd makes $CREDENTIALS_DIRECTORY, holding the keystone-credentials credential.
QString TestCredentials::credentialsDirectory(
    const QString &name, const QByteArray &text, QFile::Permissions permissions)
{
    if (!QDir(m_dir.path()).mkpath(name))
        return {};
    if (writeFile(name + QStringLiteral("/keystone-credentials"), text, permissions).isEmpty())
        return {};
    return m_dir.filePath(name);
}

QProcessEnvironment TestCredentials::environment(const QStringList &pairs)
{
    QProcessEnvironment result; // empty: no session bus, no AWS_* from the machine running the test
    for (qsizetype i = 0; i + 1 < pairs.size(); i += 2)
        result.insert(pairs.at(i), pairs.at(i + 1));
    return result;
}

void TestCredentials::fileFormats_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("token");
    QTest::newRow("default section") << QByteArray("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = "
        + kSecret + "\n") << QByteArray();
    QTest::newRow("top level, no spaces, CRLF")
        << QByteArray("aws_access_key_id=AKIAFILE\r\naws_secret_access_key=" + kSecret + "\r\n") << QByteArray();
    QTest::newRow("other profiles ignored")
        << QByteArray("# comment\n[prod]\naws_access_key_id = AKIAPROD\naws_secret_access_key = prod\n[default]\n"
                      "aws_access_key_id = AKIAFILE\naws_secret_access_key = "
               + kSecret + "\n[other]\naws_access_key_id = AKIAOTHER\n")
        << QByteArray();
    QTest::newRow("session token") << QByteArray("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = "
        + kSecret + "\naws_session_token = tok/en==\n")
                                   << QByteArray("tok/en==");
    QTest::newRow("oss names") << QByteArray("; OSS style\naccess_key_id = AKIAFILE\naccess_key_secret = " + kSecret
        + "\n") << QByteArray();
    QTest::newRow("upper-case key names")
        << QByteArray("[default]\nAWS_ACCESS_KEY_ID = AKIAFILE\nAWS_SECRET_ACCESS_KEY = " + kSecret + "\n")
        << QByteArray();
}

void TestCredentials::fileFormats()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, token);
    const QString path = writeFile(QStringLiteral("credentials"), text, kOwnerOnly);
    QVERIFY(!path.isEmpty());
    const auto read = CredentialsFile::read(path);
    QVERIFY2(read, qPrintable(read.error().message));
    QCOMPARE(read.value().accessKeyId, QByteArray("AKIAFILE"));
    QCOMPARE(read.value().secretAccessKey, kSecret);
    QCOMPARE(read.value().sessionToken, token);
}

void TestCredentials::incompleteFileIsRefused()
{
    const QString path = writeFile(QStringLiteral("incomplete"),
        "[default]\naws_access_key_id = AKIAFILE\n[prod]\naws_secret_access_key = " + kSecret + "\n", kOwnerOnly);
    const auto read = CredentialsFile::read(path);
    QVERIFY(!read);
    QCOMPARE(read.error().kind, CredentialsFileError::Kind::Incomplete);
    QVERIFY(read.error().message.contains(path));
    QVERIFY(!read.error().message.contains(QString::fromLatin1(kSecret)));
}

void TestCredentials::permissions_data()
{
    QTest::addColumn<int>("permissions");
    QTest::addColumn<QString>("mode");
    QTest::newRow("0600") << int(kOwnerOnly) << QString();
    QTest::newRow("0400") << int(QFile::ReadOwner) << QString();
    QTest::newRow("0640") << int(kOwnerOnly | QFile::ReadGroup) << QStringLiteral("0640");
    QTest::newRow("0604") << int(kOwnerOnly | QFile::ReadOther) << QStringLiteral("0604");
    QTest::newRow("0620") << int(kOwnerOnly | QFile::WriteGroup) << QStringLiteral("0620");
    QTest::newRow("0601") << int(kOwnerOnly | QFile::ExeOther) << QStringLiteral("0601");
}

void TestCredentials::permissions()
{
    QFETCH(int, permissions);
    QFETCH(QString, mode);
    const QString path = writeFile(QStringLiteral("credentials-") + QString::fromLatin1(QTest::currentDataTag()),
        "aws_access_key_id = AKIAFILE\naws_secret_access_key = " + kSecret + "\n",
        QFile::Permissions::fromInt(permissions));
    QVERIFY(!path.isEmpty());
    const auto read = CredentialsFile::read(path);
    if (mode.isEmpty()) {
        QVERIFY2(read, qPrintable(read.error().message));
        return;
    }
    QVERIFY(!read);
    QCOMPARE(read.error().kind, CredentialsFileError::Kind::InsecurePermissions);
    QCOMPARE(read.error().message,
        QStringLiteral("credentials file %1 is readable by group or others (mode %2); run chmod 600 %1")
            .arg(path, mode));

    // The lookup passes the refusal on instead of "not found": the user named this file.
    CredentialRequest request;
    request.credentialsFile = path;
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY(!resolved);
    QCOMPARE(resolved.error().kind, CredentialLookupError::Kind::FileRefused);
    QVERIFY(resolved.error().message.contains(QLatin1String("chmod 600")));
}

void TestCredentials::missingFileIsAnError()
{
    const auto read = CredentialsFile::read(m_dir.filePath(QStringLiteral("nonexistent")));
    QVERIFY(!read);
    QCOMPARE(read.error().kind, CredentialsFileError::Kind::Unreadable);
}

void TestCredentials::foreignOwnerIsRefused()
{
    // A 0600 file someone else owns: they can change the credentials under us. As root (CI) the file is given to
    // nobody; otherwise (no chown) the policy expects another owner, so the same check refuses the file we own.
    const QString path = writeFile(QStringLiteral("foreign"),
        "aws_access_key_id = AKIAFILE\naws_secret_access_key = " + kSecret + "\n", kOwnerOnly);
    CredentialsFilePolicy policy = CredentialsFilePolicy::userFile();
    uid_t owner = ::geteuid();
    if (::geteuid() == 0) {
        owner = 65534; // nobody
        QVERIFY(::chown(QFile::encodeName(path).constData(), owner, 65534) == 0);
    } else {
        policy.owner = ::geteuid() + 1;
    }
    const auto read = CredentialsFile::read(path, policy);
    QVERIFY(!read);
    QCOMPARE(read.error().kind, CredentialsFileError::Kind::ForeignOwner);
    QCOMPARE(read.error().message,
        QStringLiteral("credentials file %1 is owned by uid %2, not by the user running Keystone Console (uid %3) "
                       "or root; whoever owns it can change the credentials")
            .arg(path)
            .arg(owner)
            .arg(policy.owner));
    QVERIFY(!read.error().message.contains(QString::fromLatin1(kSecret)));
    // The same file owned by the expected user is fine: only the owner made the difference.
    policy.owner = owner;
    QVERIFY2(CredentialsFile::read(path, policy), "refused although owned by the expected user");
}

void TestCredentials::fifoIsRefusedWithoutWaiting()
{
    // A FIFO without a writer: a blocking open would wait forever, and start-up with it.
    const QString path = m_dir.filePath(QStringLiteral("fifo"));
    QVERIFY(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
    const auto read = CredentialsFile::read(path);
    QVERIFY(!read);
    QCOMPARE(read.error().kind, CredentialsFileError::Kind::NotRegularFile);
    QCOMPARE(read.error().message, QStringLiteral("credentials file %1 is not a regular file (a FIFO)").arg(path));

    CredentialRequest request;
    request.credentialsFile = path;
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY(!resolved);
    QCOMPARE(resolved.error().kind, CredentialLookupError::Kind::FileRefused);
}

void TestCredentials::symlinkIsCheckedByItsTarget()
{
    // A link to a good file (as to a file in /etc) is followed; what counts is the file it leads to.
    const QString good = writeFile(QStringLiteral("link-target"),
        "aws_access_key_id = AKIAFILE\naws_secret_access_key = " + kSecret + "\n", kOwnerOnly);
    const QString link = m_dir.filePath(QStringLiteral("link"));
    QVERIFY(QFile::link(good, link));
    QVERIFY(QFileInfo(link).isSymLink());
    const auto read = CredentialsFile::read(link);
    QVERIFY2(read, qPrintable(read.error().message));
    QCOMPARE(read.value().secretAccessKey, kSecret);

    // The link itself is 0777; a loose target is refused all the same.
    QVERIFY(QFile::setPermissions(good, kOwnerOnly | QFile::ReadOther));
    const auto loose = CredentialsFile::read(link);
    QVERIFY(!loose);
    QCOMPARE(loose.error().kind, CredentialsFileError::Kind::InsecurePermissions);
    QVERIFY2(loose.error().message.contains(QLatin1String("(mode 0604)")), qPrintable(loose.error().message));
}

void TestCredentials::emptyFileIsRefused()
{
    const QString path = writeFile(QStringLiteral("empty"), "\n; nothing\n\n# here\n", kOwnerOnly);
    const auto read = CredentialsFile::read(path);
    QVERIFY(!read);
    QCOMPARE(read.error().kind, CredentialsFileError::Kind::Empty);
    QCOMPARE(read.error().message, QStringLiteral("credentials file %1 is empty").arg(path));
}

void TestCredentials::systemdCredentialIsUsed()
{
    // As systemd leaves it: 0400 plus a read ACL for the service user, which shows as 0440.
    const QString directory = credentialsDirectory(QStringLiteral("systemd-used"),
        "[default]\naws_access_key_id = AKIASYSTEMD\naws_secret_access_key = " + kSecret + "\n",
        QFile::ReadOwner | QFile::ReadGroup);
    QVERIFY(!directory.isEmpty());
    CredentialRequest request;
    request.environment = environment({QStringLiteral("CREDENTIALS_DIRECTORY"), directory});
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY2(resolved, qPrintable(resolved.error().message));
    QCOMPARE(resolved.value().source, ResolvedCredentials::Source::SystemdCredential);
    QCOMPARE(resolved.value().credentials.accessKeyId, QByteArray("AKIASYSTEMD"));
    QCOMPARE(resolved.value().credentials.secretAccessKey, kSecret);
    QCOMPARE(resolved.value().description,
        QStringLiteral("systemd credential %1/keystone-credentials (access key AKIA").arg(directory) + QChar(0x2026)
            + QStringLiteral("TEMD)"));
}

void TestCredentials::systemdCredentialComesBeforeTheFile()
{
    const QString directory = credentialsDirectory(QStringLiteral("systemd-first"),
        "aws_access_key_id = AKIASYSTEMD\naws_secret_access_key = " + kSecret + "\n", QFile::ReadOwner);
    CredentialRequest request;
    request.environment = environment({QStringLiteral("CREDENTIALS_DIRECTORY"), directory});
    request.credentialsFile = writeFile(QStringLiteral("systemd-first-file"),
        "aws_access_key_id = AKIAFILE\naws_secret_access_key = " + kSecret + "\n", kOwnerOnly);
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY2(resolved, qPrintable(resolved.error().message));
    QCOMPARE(resolved.value().credentials.accessKeyId, QByteArray("AKIASYSTEMD"));

    // The environment still comes first, as for the file.
    request.environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAENV"));
    request.environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("env-secret"));
    const auto fromEnvironment = CredentialResolver::resolve(request);
    QVERIFY(fromEnvironment);
    QCOMPARE(fromEnvironment.value().source, ResolvedCredentials::Source::Environment);
}

void TestCredentials::emptySystemdCredentialFallsThrough()
{
    // The unit's SetCredential= default when /etc/keystone-console/credentials is missing: one comment line.
    const QString directory = credentialsDirectory(
        QStringLiteral("systemd-empty"), "# no /etc/keystone-console/credentials", QFile::ReadOwner);
    CredentialRequest request;
    request.environment = environment({QStringLiteral("CREDENTIALS_DIRECTORY"), directory});
    const auto none = CredentialResolver::resolve(request);
    QVERIFY(!none);
    QCOMPARE(none.error().kind, CredentialLookupError::Kind::NotFound);
    QVERIFY2(none.error().message.contains(QLatin1String("systemd credential keystone-credentials: empty")),
        qPrintable(none.error().message));

    request.credentialsFile = writeFile(QStringLiteral("after-empty"),
        "aws_access_key_id = AKIAFILE\naws_secret_access_key = " + kSecret + "\n", kOwnerOnly);
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY2(resolved, qPrintable(resolved.error().message));
    QCOMPARE(resolved.value().source, ResolvedCredentials::Source::File);
}

void TestCredentials::writableSystemdCredentialIsRefused()
{
    const QString directory = credentialsDirectory(QStringLiteral("systemd-writable"),
        "aws_access_key_id = AKIASYSTEMD\naws_secret_access_key = " + kSecret + "\n",
        QFile::ReadOwner | QFile::ReadGroup | QFile::WriteGroup);
    CredentialRequest request;
    request.environment = environment({QStringLiteral("CREDENTIALS_DIRECTORY"), directory});
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY(!resolved);
    QCOMPARE(resolved.error().kind, CredentialLookupError::Kind::FileRefused);
    QCOMPARE(resolved.error().message,
        QStringLiteral("credentials file %1/keystone-credentials is writable by group or others (mode 0460); run "
                       "chmod go-w %1/keystone-credentials")
            .arg(directory));
}

void TestCredentials::environmentComesBeforeTheFile()
{
    CredentialRequest request;
    request.environment = environment({QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAENVIRONMENT1"),
        QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("env-secret"), QStringLiteral("AWS_SESSION_TOKEN"),
        QStringLiteral("env-token")});
    request.credentialsFile = writeFile(QStringLiteral("env-first"),
        "aws_access_key_id = AKIAFILE\naws_secret_access_key = " + kSecret + "\n", kOwnerOnly);
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY2(resolved, qPrintable(resolved.error().message));
    QCOMPARE(resolved.value().source, ResolvedCredentials::Source::Environment);
    QCOMPARE(resolved.value().credentials.accessKeyId, QByteArray("AKIAENVIRONMENT1"));
    QCOMPARE(resolved.value().credentials.secretAccessKey, QByteArray("env-secret"));
    QCOMPARE(resolved.value().credentials.sessionToken, QByteArray("env-token"));
    QCOMPARE(resolved.value().description,
        QStringLiteral("environment (AWS_ACCESS_KEY_ID, access key AKIA") + QChar(0x2026) + QStringLiteral("ENT1)"));
    QVERIFY(!resolved.value().description.contains(QLatin1String("env-secret")));
}

void TestCredentials::awsComesBeforeOss()
{
    CredentialRequest request;
    request.environment = environment({QStringLiteral("OSS_ACCESS_KEY_ID"), QStringLiteral("LTAIOSS"),
        QStringLiteral("OSS_ACCESS_KEY_SECRET"), QStringLiteral("oss-secret"), QStringLiteral("AWS_ACCESS_KEY_ID"),
        QStringLiteral("AKIAAWS"), QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("aws-secret")});
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY(resolved);
    QCOMPARE(resolved.value().credentials.accessKeyId, QByteArray("AKIAAWS"));
}

void TestCredentials::ossEnvironment()
{
    CredentialRequest request;
    request.environment = environment(
        {QStringLiteral("OSS_ACCESS_KEY_ID"), QStringLiteral("LTAIOSSKEY"), QStringLiteral("OSS_ACCESS_KEY_SECRET"),
            QStringLiteral("oss-secret"), QStringLiteral("OSS_SESSION_TOKEN"), QStringLiteral("oss-token")});
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY(resolved);
    QCOMPARE(resolved.value().source, ResolvedCredentials::Source::Environment);
    QCOMPARE(resolved.value().credentials.secretAccessKey, QByteArray("oss-secret"));
    QCOMPARE(resolved.value().credentials.sessionToken, QByteArray("oss-token"));
    QVERIFY(resolved.value().description.startsWith(QLatin1String("environment (OSS_ACCESS_KEY_ID")));
}

void TestCredentials::halfAnEnvironmentPairFallsThroughToTheFile()
{
    CredentialRequest request;
    request.environment = environment({QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAHALF")});
    request.credentialsFile = writeFile(
        QStringLiteral("half"), "aws_access_key_id = AKIAFILE\naws_secret_access_key = " + kSecret + "\n", kOwnerOnly);
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY2(resolved, qPrintable(resolved.error().message));
    QCOMPARE(resolved.value().source, ResolvedCredentials::Source::File);
    QCOMPARE(resolved.value().credentials.accessKeyId, QByteArray("AKIAFILE"));
    QCOMPARE(resolved.value().credentials.secretAccessKey, kSecret);
    QCOMPARE(
        resolved.value().description, QStringLiteral("file %1 (access key AKIAFILE)").arg(request.credentialsFile));
}

void TestCredentials::relativeFilePathIsReportedAbsolute()
{
    const QString path = writeFile(QStringLiteral("relative"),
        "aws_access_key_id = AKIAFILE\naws_secret_access_key = " + kSecret + "\n", kOwnerOnly);
    const QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(m_dir.path()));
    CredentialRequest request;
    request.credentialsFile = QStringLiteral("relative");
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY(QDir::setCurrent(previous));
    QVERIFY2(resolved, qPrintable(resolved.error().message));
    QVERIFY2(resolved.value().description.startsWith(QStringLiteral("file %1 ").arg(path)),
        qPrintable(resolved.value().description));
}

void TestCredentials::nothingFoundNamesTheThreeWays()
{
    CredentialRequest request;
    request.environment = environment({QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("lonely-secret")});
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY(!resolved);
    QCOMPARE(resolved.error().kind, CredentialLookupError::Kind::NotFound);
    const QString message = resolved.error().message;
    for (const char *way : {"keychain", "credentials set", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
             "OSS_ACCESS_KEY_ID", "--credentials-file", "chmod 600"})
        QVERIFY2(message.contains(QLatin1String(way)), way);
    QVERIFY(!message.contains(QLatin1String("lonely-secret")));
}

void TestCredentials::keychainIsSkippedWithoutSessionBus()
{
    QString reason;
    QVERIFY(!CredentialResolver::keychainUsable(environment({}), &reason));
    QVERIFY(reason.contains(QLatin1String("DBUS_SESSION_BUS_ADDRESS")));
    QVERIFY(CredentialResolver::keychainUsable(
        environment({QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent")}), &reason));

    // An access key id to look up, but no bus: the lookup neither waits nor tries X11 autolaunch.
    CredentialRequest request;
    request.accessKeyId = QStringLiteral("AKIACONFIGURED");
    QElapsedTimer timer;
    timer.start();
    const auto resolved = CredentialResolver::resolve(request);
    QVERIFY(timer.elapsed() < 10000); // a D-Bus or X11 autolaunch attempt would wait 25 s: generous under load
    QVERIFY(!resolved);
    QVERIFY2(resolved.error().message.contains(QLatin1String("keychain: no D-Bus session bus")),
        qPrintable(resolved.error().message));
}

void TestCredentials::keychainLooksUpTheEnvironmentIdFirst()
{
    CredentialRequest request;
    request.accessKeyId = QStringLiteral("AKIACONFIGURED");
    QCOMPARE(CredentialResolver::keychainAccessKeyId(request), QStringLiteral("AKIACONFIGURED"));
    request.environment = environment({QStringLiteral("OSS_ACCESS_KEY_ID"), QStringLiteral("LTAIOSS")});
    QCOMPARE(CredentialResolver::keychainAccessKeyId(request), QStringLiteral("LTAIOSS"));
    request.environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAENV"));
    QCOMPARE(CredentialResolver::keychainAccessKeyId(request), QStringLiteral("AKIAENV"));
    QCOMPARE(CredentialResolver::maskedKeyId(QStringLiteral("AKIAKEYSTONETEST")),
        QStringLiteral("AKIA") + QChar(0x2026) + QStringLiteral("TEST"));
}

QTEST_GUILESS_MAIN(TestCredentials)
#include "tst_credentials.moc"

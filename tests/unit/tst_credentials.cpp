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
    void environmentComesBeforeTheFile();
    void awsComesBeforeOss();
    void ossEnvironment();
    void halfAnEnvironmentPairFallsThroughToTheFile();
    void relativeFilePathIsReportedAbsolute();
    void nothingFoundNamesTheThreeWays();
    void keychainIsSkippedWithoutSessionBus();
    void keychainLooksUpTheEnvironmentIdFirst();

private:
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
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size())
        return {};
    file.close();
    if (!QFile::setPermissions(path, permissions))
        return {};
    return path;
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
    QVERIFY(timer.elapsed() < 1000);
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

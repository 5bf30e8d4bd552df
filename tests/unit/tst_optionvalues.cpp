// The config file layered under the command line, through the real option readers (EngineOptions,
// StorageCommandLine) on real INI files: what a key in the file does, that the command line wins, that paths are
// relative to the file, and that mistakes are errors naming what is wrong.
#include <QDir>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

#include "engineoptions.h"
#include "loglevel.h"
#include "optionvalues.h"
#include "testdata.h"

class TestOptionValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fileValuesReachTheReaders();
    void requestsInFlightAdaptUnlessFixed_data();
    void requestsInFlightAdaptUnlessFixed();
    void commandLineWins();
    void pathsAreRelativeToTheFile();
    void addressingFromFileAndCommandLine();
    void defaultsWithoutFile();
    void listenTakesAUnixSocket();
    void errors_data();
    void errors();
    void missingFileIsAnError();
    void logLevels();
    void parseOrExitCode();

private:
    // Parses the arguments (after a program name) with every engine option and reads them; false with *error.
    bool read(const QStringList &arguments, EngineOptions *options, QString *error);

    QTemporaryDir m_dir;
};

namespace {

QProcessEnvironment credentialsEnvironment()
{
    QProcessEnvironment environment; // no session bus: the keychain is skipped
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIAOPTIONS"));
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("options-secret"));
    return environment;
}

} // namespace

bool TestOptionValues::read(const QStringList &arguments, EngineOptions *options, QString *error)
{
    QCommandLineParser parser;
    OptionValues::addCommonOptions(parser);
    options->addOptions(parser);
    OptionValues values(parser);
    if (!parser.parse(QStringList{QStringLiteral("keystone-console")} + arguments)) {
        *error = parser.errorText();
        return false;
    }
    auto read = values.loadConfig();
    if (read)
        read = options->read(values, credentialsEnvironment());
    if (!read)
        *error = read.error().message;
    return read.ok();
}

void TestOptionValues::requestsInFlightAdaptUnlessFixed_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<bool>("adaptive");
    QTest::newRow("neither") << QString() << true;
    QTest::newRow("--max-parts") << QStringLiteral("--max-parts=16") << false;
    QTest::newRow("--concurrency") << QStringLiteral("--concurrency=16") << false;
}

void TestOptionValues::requestsInFlightAdaptUnlessFixed()
{
    QFETCH(QString, option);
    QFETCH(bool, adaptive);
    const QString config
        = TestData::writeFileIn(m_dir, QStringLiteral("minimal.conf"), "bucket=b\nendpoint=http://127.0.0.1:9555\n");
    QStringList arguments{QStringLiteral("--config"), config};
    if (!option.isEmpty())
        arguments << option;
    EngineOptions options;
    QString error;
    QVERIFY2(read(arguments, &options, &error), qPrintable(error));
    QCOMPARE(bool(options.sync.upload.adaptive), adaptive);
    QCOMPARE(bool(options.sync.upload.partSlots), adaptive); // fixed: the engine makes the budget itself
    if (adaptive) { // the engine's budget is the controller's, and no episode is capped below its ceiling
        QCOMPARE(options.sync.upload.partSlots, options.sync.upload.adaptive->slots());
        QCOMPARE(options.sync.upload.concurrency, AdaptiveConcurrency::kDefaultCeiling);
    }
}

void TestOptionValues::fileValuesReachTheReaders()
{
    const QString config = TestData::writeFileIn(m_dir, QStringLiteral("all.conf"),
        "bucket=from-file\nendpoint=http://127.0.0.1:9555\nregion=eu-central-1\npath-style=true\n"
        "part-size=6M\nconcurrency=3\nsingle-put-threshold=1M\nmax-attempts=7\nbandwidth-limit=2M\n"
        "listen=127.0.0.1:0\nkey-prefix=robots\nmax-episodes=4\nmax-parts=12\nlog-level=warning\n"
        "watch=incoming\nwatch-stable-seconds=5\nwatch-marker=.ready\naccess-key-id=AKIACONFIG\n"
        "station-name=robot-7\n");
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("incoming"))));
    EngineOptions options;
    QString error;
    QVERIFY2(read({QStringLiteral("--config"), config}, &options, &error), qPrintable(error));
    QCOMPARE(options.sync.bucket, QStringLiteral("from-file"));
    QCOMPARE(options.sync.watch.dir, m_dir.filePath(QStringLiteral("incoming")));
    QCOMPARE(options.sync.watch.stableSeconds, 5);
    QCOMPARE(options.sync.watch.marker, QStringLiteral(".ready"));
    QCOMPARE(options.sync.profile.endpoint, QUrl(QStringLiteral("http://127.0.0.1:9555")));
    QCOMPARE(options.sync.profile.region, QStringLiteral("eu-central-1"));
    QVERIFY(options.sync.profile.pathStyle);
    QCOMPARE(options.sync.upload.partSize, 6 * 1024 * 1024);
    QCOMPARE(options.sync.upload.concurrency, 3);
    QCOMPARE(options.sync.upload.singlePutThreshold, 1024 * 1024);
    QCOMPARE(options.sync.upload.retry.maxAttempts(), 7);
    QVERIFY(options.sync.transport.bandwidth);
    QCOMPARE(options.api.port, quint16(0));
    QCOMPARE(options.sync.keyPrefix, QStringLiteral("robots"));
    QCOMPARE(options.sync.maxConcurrentEpisodes, 4);
    QCOMPARE(options.sync.maxPartsInFlight, 12);
    QVERIFY(!options.sync.upload.adaptive); // fixed by the file: the budget does not adapt
    QCOMPARE(options.sync.credentials.accessKeyId, QByteArray("AKIAOPTIONS"));
    QCOMPARE(options.api.stationName, QStringLiteral("robot-7"));
}

void TestOptionValues::commandLineWins()
{
    const QString config = TestData::writeFileIn(
        m_dir, QStringLiteral("override.conf"), "bucket=from-file\npart-size=6M\nmax-parts=3\nlisten=127.0.0.1:9001\n");
    EngineOptions options;
    QString error;
    QVERIFY2(read({QStringLiteral("--config"), config, QStringLiteral("--part-size"), QStringLiteral("7M"),
                      QStringLiteral("--bucket"), QStringLiteral("from-cli"), QStringLiteral("--listen"),
                      QStringLiteral("127.0.0.1:9002")},
                 &options, &error),
        qPrintable(error));
    QCOMPARE(options.sync.bucket, QStringLiteral("from-cli"));
    QCOMPARE(options.sync.upload.partSize, 7 * 1024 * 1024);
    QCOMPARE(options.api.port, quint16(9002));
    QCOMPARE(options.sync.maxPartsInFlight, 3); // not on the command line: still the file's
}

void TestOptionValues::pathsAreRelativeToTheFile()
{
    const QString config = TestData::writeFileIn(m_dir, QStringLiteral("etc/keystone/paths.conf"),
        "bucket=b\ndata-dir=state\nca-bundle=../certs/ca.pem\ncredentials-file=/absolute/credentials\n");
    EngineOptions options;
    QString error;
    QVERIFY2(read({QStringLiteral("--config"), config}, &options, &error), qPrintable(error));
    QCOMPARE(options.sync.dataDir, m_dir.filePath(QStringLiteral("etc/keystone/state")));
    QCOMPARE(options.api.dataDir, options.sync.dataDir);
    QCOMPARE(options.sync.profile.caBundle, m_dir.filePath(QStringLiteral("etc/certs/ca.pem")));

    // A relative path on the command line stays relative to the working directory, as with any program.
    QVERIFY2(read({QStringLiteral("--config"), config, QStringLiteral("--data-dir"), QStringLiteral("here")}, &options,
                 &error),
        qPrintable(error));
    QCOMPARE(options.sync.dataDir, QStringLiteral("here"));
}

void TestOptionValues::addressingFromFileAndCommandLine()
{
    const QString pathStyle = TestData::writeFileIn(m_dir, QStringLiteral("path.conf"), "bucket=b\npath-style=true\n");
    const QString virtualHosted
        = TestData::writeFileIn(m_dir, QStringLiteral("vhost.conf"), "bucket=b\npath-style=false\n");
    EngineOptions options;
    QString error;
    QVERIFY2(read({QStringLiteral("--config"), pathStyle}, &options, &error), qPrintable(error));
    QVERIFY(options.sync.profile.pathStyle);
    // The command line replaces the file's choice instead of clashing with it.
    QVERIFY2(read({QStringLiteral("--config"), pathStyle, QStringLiteral("--virtual-hosted")}, &options, &error),
        qPrintable(error));
    QVERIFY(!options.sync.profile.pathStyle);
    // path-style=false is virtual-hosted addressing (the custom preset would otherwise be path style).
    QVERIFY2(read({QStringLiteral("--config"), virtualHosted}, &options, &error), qPrintable(error));
    QVERIFY(!options.sync.profile.pathStyle);
    QVERIFY2(read({QStringLiteral("--config"), virtualHosted, QStringLiteral("--path-style")}, &options, &error),
        qPrintable(error));
    QVERIFY(options.sync.profile.pathStyle);
}

void TestOptionValues::defaultsWithoutFile()
{
    EngineOptions options;
    QString error;
    QVERIFY2(read({QStringLiteral("--bucket"), QStringLiteral("b")}, &options, &error), qPrintable(error));
    QCOMPARE(options.sync.maxPartsInFlight, 8);
    QCOMPARE(options.api.port, EngineOptions::kDefaultApiPort);
    QCOMPARE(options.sync.keyPrefix, QStringLiteral("episodes"));
}

// --listen unix:PATH beside (not instead of) host:port; the socket's default is <data-dir>/api.sock unless that path
// is too long for a socket address; `unix:` alone means none; the config key takes a comma-separated list.
void TestOptionValues::listenTakesAUnixSocket()
{
    EngineOptions options;
    QString error;
    const QString dataDir = m_dir.filePath(QStringLiteral("state"));
    QVERIFY2(read({QStringLiteral("--bucket"), QStringLiteral("b"), QStringLiteral("--data-dir"), dataDir}, &options,
                 &error),
        qPrintable(error));
    QCOMPARE(options.api.unixSocketPath, QDir(dataDir).filePath(QStringLiteral("api.sock")));
    QCOMPARE(options.api.port, EngineOptions::kDefaultApiPort);

    QVERIFY2(
        read({QStringLiteral("--bucket"), QStringLiteral("b"), QStringLiteral("--listen"),
                 QStringLiteral("unix:/run/k/api.sock"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:9003")},
            &options, &error),
        qPrintable(error));
    QCOMPARE(options.api.unixSocketPath, QStringLiteral("/run/k/api.sock"));
    QCOMPARE(options.api.port, quint16(9003));

    const QString config = TestData::writeFileIn(
        m_dir, QStringLiteral("listen.conf"), "bucket=b\nlisten=127.0.0.1:9004, unix:/run/k/other.sock\n");
    QVERIFY2(read({QStringLiteral("--config"), config}, &options, &error), qPrintable(error));
    QCOMPARE(options.api.unixSocketPath, QStringLiteral("/run/k/other.sock"));
    QCOMPARE(options.api.port, quint16(9004));

    QVERIFY(read({QStringLiteral("--bucket"), QStringLiteral("b"), QStringLiteral("--listen"), QStringLiteral("unix:")},
        &options, &error));
    QVERIFY(options.api.unixSocketPath.isEmpty());

    const QString longDir = QStringLiteral("/tmp/") + QString(120, QLatin1Char('d'));
    QVERIFY(read(
        {QStringLiteral("--bucket"), QStringLiteral("b"), QStringLiteral("--data-dir"), longDir}, &options, &error));
    QVERIFY(options.api.unixSocketPath.isEmpty()); // no socket then: clients use TCP with the identity check
    error.clear();
    QVERIFY(!read({QStringLiteral("--bucket"), QStringLiteral("b"), QStringLiteral("--listen"),
                      QStringLiteral("unix:") + longDir + QStringLiteral("/api.sock")},
        &options, &error));
    QVERIFY2(error.contains(QLatin1String("at most 107 bytes")), qPrintable(error));
}

void TestOptionValues::errors_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << QByteArray("bucket=b\nbuckett=typo\n") << QStringLiteral("unknown key 'buckett'");
    QTest::newRow("key in a section") << QByteArray("[server]\nbucket=b\n")
                                      << QStringLiteral("unknown key 'server/bucket'");
    QTest::newRow("option without a config key")
        << QByteArray("bucket=b\nconfig=other.conf\n") << QStringLiteral("unknown key 'config'");
    QTest::newRow("flag not boolean") << QByteArray("bucket=b\npath-style=maybe\n")
                                      << QStringLiteral("path-style must be true or false, not 'maybe'");
    QTest::newRow("value checked like the option")
        << QByteArray("bucket=b\nmax-parts=1000\n") << QStringLiteral("--max-parts must be between 1 and 256");
    QTest::newRow("both addressing flags")
        << QByteArray("bucket=b\npath-style=true\nvirtual-hosted=true\n") << QStringLiteral("exclude each other");
}

void TestOptionValues::errors()
{
    QFETCH(QByteArray, config);
    QFETCH(QString, expected);
    const QString path = TestData::writeFileIn(m_dir, QStringLiteral("error.conf"), config);
    EngineOptions options;
    QString error;
    QVERIFY(!read({QStringLiteral("--config"), path}, &options, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void TestOptionValues::missingFileIsAnError()
{
    EngineOptions options;
    QString error;
    const QString path = m_dir.filePath(QStringLiteral("nonexistent.conf"));
    QVERIFY(!read({QStringLiteral("--config"), path}, &options, &error));
    QCOMPARE(error, QStringLiteral("cannot read config file %1").arg(path));
    QVERIFY(!read({QStringLiteral("--config"), m_dir.path()}, &options, &error)); // a folder is not a file
}

void TestOptionValues::logLevels()
{
    QLoggingCategory category("keystone.test.levels", QtWarningMsg);
    QVERIFY(LogLevel::apply(QStringLiteral("info")));
    QVERIFY(category.isInfoEnabled());
    QVERIFY(!category.isDebugEnabled());
    QVERIFY(LogLevel::apply(QStringLiteral("debug")));
    QVERIFY(category.isDebugEnabled());
    QVERIFY(LogLevel::apply(QStringLiteral("error")));
    QVERIFY(!category.isWarningEnabled());
    QVERIFY(category.isCriticalEnabled());
    QVERIFY(LogLevel::apply(QString())); // default: warning
    QVERIFY(category.isWarningEnabled());
    QVERIFY(!category.isInfoEnabled());
    const auto refusal = LogLevel::apply(QStringLiteral("verbose"));
    QVERIFY(!refusal);
    const QString error = refusal.error().message;
    QVERIFY(error.contains(QLatin1String("'verbose'")));
}

void TestOptionValues::parseOrExitCode()
{
    QString reported;
    int reports = 0;
    const auto exitCode = [&](const QStringList &arguments) {
        QCommandLineParser parser;
        OptionValues::addCommonOptions(parser);
        OptionValues values(parser);
        return values
            .parseOrExitCode(QStringList{QStringLiteral("keystone-console")} + arguments, 7,
                [&](const QString &message) {
                    reported = message;
                    ++reports;
                    return 2;
                })
            .value_or(-1);
    };
    QCOMPARE(exitCode({}), -1); // nullopt: the mode runs
    QCOMPARE(exitCode({QStringLiteral("--version")}), 7);
    QCOMPARE(reports, 0);
    QCOMPARE(exitCode({QStringLiteral("--no-such-option")}), 2);
    QCOMPARE(reports, 1);
    QVERIFY2(reported.contains(QLatin1String("no-such-option")), qPrintable(reported));
    const QString missing = m_dir.filePath(QStringLiteral("missing.ini"));
    QCOMPARE(exitCode({QStringLiteral("--config"), missing}), 2);
    QCOMPARE(reports, 2);
    QVERIFY2(reported.contains(missing), qPrintable(reported));
}

QTEST_GUILESS_MAIN(TestOptionValues)
#include "tst_optionvalues.moc"

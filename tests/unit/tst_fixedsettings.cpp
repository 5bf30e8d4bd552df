// What the desktop console's options fix for the settings dialog (FixedSettingsReader, through the real option
// parser and INI config files), how saved limits and given options layer at start (EngineOptions::readLimits,
// ConsoleSettings::applyEditableTo), and what the dialog says about fixed values (FixedSettings).
#include "consolesettings.h"
#include "engineoptions.h"
#include "fixedsettingsreader.h"
#include "optionvalues.h"
#include "storage/partplan.h"
#include "testdata.h"

#include <QTemporaryDir>
#include <QTest>

using Field = FixedSettings::Field;

class TestFixedSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commandLineStorageFixesEveryStorageField();
    void configFileAndCommandLineAreNamed();
    void savedStorageLeavesStorageEditable();
    void limitsFromOptionsOverSavedSettings();
    void savedLimitsFillWhatOptionsLeaveOpen();

private:
    // Parses the arguments (after a program name) with every engine option; the config file is loaded too.
    bool parse(const QStringList &arguments, QCommandLineParser *parser, OptionValues *values);

    QTemporaryDir m_dir;
};

bool TestFixedSettings::parse(const QStringList &arguments, QCommandLineParser *parser, OptionValues *values)
{
    OptionValues::addCommonOptions(*parser);
    EngineOptions().addOptions(*parser);
    if (!parser->parse(QStringList{QStringLiteral("keystone-console")} + arguments)) {
        qWarning() << parser->errorText();
        return false;
    }
    if (const auto loaded = values->loadConfig(); !loaded) {
        qWarning() << loaded.error().message;
        return false;
    }
    return true;
}

void TestFixedSettings::commandLineStorageFixesEveryStorageField()
{
    QCommandLineParser parser;
    OptionValues values(parser);
    QVERIFY(parse({QStringLiteral("--bucket=B"), QStringLiteral("--endpoint=http://127.0.0.1:9"),
                      QStringLiteral("--bandwidth-limit=20M")},
        &parser, &values));
    const FixedSettings fixed = FixedSettingsReader::read(values, true);
    for (const Field field : {Field::Provider, Field::Endpoint, Field::Region, Field::Bucket, Field::KeyPrefix,
             Field::Addressing, Field::SignatureVersion, Field::Credentials, Field::BandwidthLimit})
        QVERIFY(fixed.isFixed(field));
    for (const Field field : {Field::PartSize, Field::ParallelParts, Field::MaxConcurrentEpisodes})
        QVERIFY(!fixed.isFixed(field));
    QCOMPARE(fixed.explanation(Field::Bucket),
        QStringLiteral("Set by the command line (--endpoint, --bucket); edit the command line to change it."));
    QCOMPARE(fixed.explanation(Field::BandwidthLimit),
        QStringLiteral("Set by the command line (--bandwidth-limit); edit the command line to change it."));
    QCOMPARE(fixed.summary(),
        QStringLiteral("Greyed-out values are set by the command line (--endpoint, --bucket, --bandwidth-limit); edit "
                       "the command line to change them."));
}

void TestFixedSettings::configFileAndCommandLineAreNamed()
{
    const QString config = TestData::writeFileIn(
        m_dir, QStringLiteral("console.conf"), "bucket=from-file\naccess-key-id=AKIAFILE\npart-size=16M\n");
    QVERIFY(!config.isEmpty());
    QCommandLineParser parser;
    OptionValues values(parser);
    QVERIFY(parse({QStringLiteral("--config"), config, QStringLiteral("--concurrency=4")}, &parser, &values));
    const FixedSettings fixed = FixedSettingsReader::read(values, true);
    QVERIFY(fixed.isFixed(Field::Credentials));
    QVERIFY(fixed.isFixed(Field::PartSize));
    QVERIFY(fixed.isFixed(Field::ParallelParts));
    QVERIFY(!fixed.isFixed(Field::BandwidthLimit));
    QCOMPARE(fixed.configFile(), config);
    QCOMPARE(fixed.explanation(Field::PartSize),
        QStringLiteral("Set by the config file %1 (part-size); edit that file to change it.").arg(config));
    QCOMPARE(fixed.explanation(Field::ParallelParts),
        QStringLiteral("Set by the command line (--concurrency); edit the command line to change it."));
    const QString summary = fixed.summary();
    QVERIFY2(summary.contains(QLatin1String("--concurrency")) && summary.contains(config)
            && summary.contains(QLatin1String("bucket")) && summary.contains(QLatin1String("access-key-id")),
        qPrintable(summary));
}

void TestFixedSettings::savedStorageLeavesStorageEditable()
{
    // Storage from the saved settings: a storage option on the command line does not choose it (only --bucket
    // does), so nothing of it is fixed; a limit given still is.
    QCommandLineParser parser;
    OptionValues values(parser);
    QVERIFY(parse({QStringLiteral("--max-episodes=3")}, &parser, &values));
    const FixedSettings fixed = FixedSettingsReader::read(values, false);
    QVERIFY(!fixed.isFixed(Field::Bucket));
    QVERIFY(!fixed.isFixed(Field::Credentials));
    QVERIFY(fixed.isFixed(Field::MaxConcurrentEpisodes));
}

void TestFixedSettings::limitsFromOptionsOverSavedSettings()
{
    ConsoleSettings saved;
    saved.bucket = QStringLiteral("saved");
    saved.partSizeMiB = 16;
    saved.bandwidthLimitMiBps = 5;
    saved.maxConcurrentEpisodes = 2;
    EngineOptions options;
    saved.applyTo(options.sync);

    QCommandLineParser parser;
    OptionValues values(parser);
    QVERIFY(parse({QStringLiteral("--bandwidth-limit=20M"), QStringLiteral("--max-episodes=3")}, &parser, &values));
    const auto read = options.readLimits(values);
    QVERIFY2(read, qPrintable(read.error().message));
    QCOMPARE(options.sync.bandwidthLimit, 20 * PartPlan::kMiB);
    QCOMPARE(options.sync.maxConcurrentEpisodes, 3);
    QCOMPARE(options.sync.upload.partSize, 16 * PartPlan::kMiB); // not given: the saved one
    QCOMPARE(options.sync.bucket, QStringLiteral("saved"));

    QCommandLineParser tooSmall;
    OptionValues small(tooSmall);
    QVERIFY(parse({QStringLiteral("--part-size=1M")}, &tooSmall, &small));
    const auto refusal = options.readLimits(small);
    QVERIFY(!refusal);
    const QString error = refusal.error().message;
    QVERIFY2(error.contains(QLatin1String("--part-size")), qPrintable(error));
}

void TestFixedSettings::savedLimitsFillWhatOptionsLeaveOpen()
{
    SyncConfig fromCommandLine;
    fromCommandLine.bucket = QStringLiteral("B");
    fromCommandLine.profile.endpoint = QUrl(QStringLiteral("http://127.0.0.1:9"));
    fromCommandLine.bandwidthLimit = 20 * PartPlan::kMiB;
    FixedSettings fixed;
    for (const Field field : {Field::Provider, Field::Endpoint, Field::Region, Field::Bucket, Field::KeyPrefix,
             Field::Addressing, Field::SignatureVersion, Field::Credentials})
        fixed.fix(field, FixedSettings::Source::CommandLine, QStringLiteral("bucket"));
    fixed.fix(Field::BandwidthLimit, FixedSettings::Source::CommandLine, QStringLiteral("bandwidth-limit"));

    ConsoleSettings saved;
    saved.bucket = QStringLiteral("saved");
    saved.endpoint = QStringLiteral("https://elsewhere");
    saved.partSizeMiB = 12;
    saved.parallelParts = 3;
    saved.bandwidthLimitMiBps = 5;
    saved.applyEditableTo(fromCommandLine, fixed);
    QCOMPARE(fromCommandLine.bucket, QStringLiteral("B"));
    QCOMPARE(fromCommandLine.profile.endpoint, QUrl(QStringLiteral("http://127.0.0.1:9")));
    QCOMPARE(fromCommandLine.bandwidthLimit, 20 * PartPlan::kMiB);
    QCOMPARE(fromCommandLine.upload.partSize, 12 * PartPlan::kMiB);
    QCOMPARE(fromCommandLine.upload.concurrency, 3);

    // And what the dialog shows of a configuration in force: a limit under 1 MiB/s is not "unlimited".
    fromCommandLine.bandwidthLimit = 300 * 1024;
    QCOMPARE(ConsoleSettings::fromConfig(fromCommandLine).bandwidthLimitMiBps, 1);
    fromCommandLine.bandwidthLimit = 0;
    QCOMPARE(ConsoleSettings::fromConfig(fromCommandLine).bandwidthLimitMiBps, 0);
}

QTEST_GUILESS_MAIN(TestFixedSettings)
#include "tst_fixedsettings.moc"

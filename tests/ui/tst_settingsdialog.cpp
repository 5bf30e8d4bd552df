// SettingsDialog offscreen: provider presets, QSettings round trip in an isolated location (the secret never lands
// there), Test connection against the strict S3 server (success, and SignatureDoesNotMatch with a wrong
// secret) without blocking the GUI thread, the configuration in force with the values the command line fixed shown
// read-only, the way without a keychain, and the main window's title naming the storage in force. No session bus: the
// keychain is deliberately unreachable here, so no test ever touches a developer's real keychain (tst_credentialstore
// covers the keychain itself).
#include "config/credentialstore.h"
#include "consolesettings.h"
#include "mainwindow.h"
#include "settingsdialog.h"
#include "storage/partplan.h"
#include "uitestsupport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>

#include <optional>

using namespace UiTest;

namespace {

// Before anything can connect to a bus: this test must never reach a real keychain.
const bool g_noSessionBus = [] {
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");
    return true;
}();

const QString kSecret = QStringLiteral("TopSecretValue-9f3c1a77");

// Replaces the field's text by typing, then moves on with Tab (which finishes the editing), as a user would;
// Return would press OK.
void typeInto(QLineEdit *field, const QString &text)
{
    field->setFocus();
    QTRY_VERIFY(field->hasFocus());
    field->clear();
    QTest::keyClicks(field, text);
    QTest::keyClick(field, Qt::Key_Tab);
    QVERIFY(!field->hasFocus());
}

} // namespace

class TestSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void presetsFillEndpointAndAddressing();
    void s3ServicePresetsGuideTheEndpoint();
    void plainHttpToAnotherMachineIsWarnedAbout();
    void valuesRoundTripWithoutTheSecret();
    void loadConfigFillsSyncConfig();
    void signatureAndPartSizeFollowProvider();
    void ossSignatureRoundTrips();
    void ossEndpointSetsRegion();
    void ossPathStyleIsRefused();
    void testConnectionSucceeds();
    void testConnectionShowsSignatureMismatch();
    void apiTokenIsShownAndCopied();
    void messagesGrowTheDialogInsteadOfCuttingIt();
    void mainWindowOpensSettings();
    void showsConfigInForceWithFixedValuesReadOnly();
    void noKeychainClosesWithAnEmptySecret();
    void brokenConfigurationIsRefused();
    void windowTitleNamesTheStorageInForce();

private:
    template <typename T>
    T *child(const SettingsDialog &dialog, const char *name) const
    {
        T *widget = dialog.findChild<T *>(QLatin1String(name));
        if (!widget)
            qWarning("no child %s", name);
        return widget;
    }
    void enterServerSettings(SettingsDialog &dialog, const QString &secret);
    // Picks the provider in the combo box as a user would (activated fills the preset).
    void chooseProvider(SettingsDialog &dialog, EndpointProfile::Provider provider);

    std::unique_ptr<QTemporaryDir> m_settingsDir;
    StrictServerFixture m_fixture;
    std::unique_ptr<CredentialStore> m_store;
};

void TestSettingsDialog::initTestCase()
{
    QVERIFY(g_noSessionBus);
    QStandardPaths::setTestModeEnabled(true);
    m_settingsDir = useTemporarySettings(QStringLiteral("tst_settingsdialog"));
    QVERIFY(m_settingsDir);
    QVERIFY(QSettings().fileName().startsWith(m_settingsDir->path()));
    m_store = std::make_unique<CredentialStore>();
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestSettingsDialog::init()
{
    QSettings().clear();
}

void TestSettingsDialog::enterServerSettings(SettingsDialog &dialog, const QString &secret)
{
    dialog.applyPreset(EndpointProfile::Provider::Custom);
    child<QLineEdit>(dialog, "endpoint")->setText(m_fixture.server().endpoint().toString());
    child<QLineEdit>(dialog, "region")->setText(QString::fromLatin1(m_fixture.server().region()));
    child<QLineEdit>(dialog, "bucket")->setText(m_fixture.server().bucket());
    child<QLineEdit>(dialog, "accessKeyId")->setText(QString::fromLatin1(m_fixture.server().accessKeyId()));
    child<QLineEdit>(dialog, "secretKey")->setText(secret);
}

void TestSettingsDialog::chooseProvider(SettingsDialog &dialog, EndpointProfile::Provider provider)
{
    auto *combo = child<QComboBox>(dialog, "provider");
    const int index = combo->findData(int(provider));
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
    Q_EMIT combo->activated(index);
}

void TestSettingsDialog::presetsFillEndpointAndAddressing()
{
    SettingsDialog dialog(*m_store);
    auto *provider = child<QComboBox>(dialog, "provider");
    auto *endpoint = child<QLineEdit>(dialog, "endpoint");
    auto *region = child<QLineEdit>(dialog, "region");
    auto *pathStyle = child<QRadioButton>(dialog, "pathStyle");
    auto *virtualHosted = child<QRadioButton>(dialog, "virtualHosted");
    QVERIFY(provider && endpoint && region && pathStyle && virtualHosted);

    // Through the combo box, as a user would.
    const int aws = provider->findData(int(EndpointProfile::Provider::AwsS3));
    QVERIFY(aws >= 0);
    provider->setCurrentIndex(aws);
    Q_EMIT provider->activated(aws);
    QCOMPARE(endpoint->text(), QStringLiteral("https://s3.us-east-1.amazonaws.com"));
    QCOMPARE(region->text(), QStringLiteral("us-east-1"));
    QVERIFY(virtualHosted->isChecked());

    const int oss = provider->findData(int(EndpointProfile::Provider::AlibabaOss));
    provider->setCurrentIndex(oss);
    Q_EMIT provider->activated(oss);
    QCOMPARE(endpoint->text(), QStringLiteral("https://oss-cn-hangzhou.aliyuncs.com"));
    QCOMPARE(region->text(), QStringLiteral("cn-hangzhou"));
    QVERIFY(virtualHosted->isChecked());

    dialog.applyPreset(EndpointProfile::Provider::Custom);
    QCOMPARE(provider->currentData().toInt(), int(EndpointProfile::Provider::Custom));
    QCOMPARE(endpoint->text(), QStringLiteral("http://127.0.0.1:9000"));
    QVERIFY(pathStyle->isChecked());
}

// Beside the endpoint field, as it is typed or loaded: plain http:// to another machine, never loopback or https.
// R2's endpoint names the account and B2's the region: the preset leaves it empty and shows the form to type, and a
// B2 or Wasabi endpoint fills the region. The choice survives QSettings.
void TestSettingsDialog::s3ServicePresetsGuideTheEndpoint()
{
    SettingsDialog dialog(*m_store);
    auto *endpoint = child<QLineEdit>(dialog, "endpoint");
    auto *region = child<QLineEdit>(dialog, "region");
    auto *pathStyle = child<QRadioButton>(dialog, "pathStyle");
    QVERIFY(endpoint && region && pathStyle);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));

    chooseProvider(dialog, EndpointProfile::Provider::CloudflareR2);
    QVERIFY(endpoint->text().isEmpty());
    QCOMPARE(endpoint->placeholderText(), QStringLiteral("https://<account-id>.r2.cloudflarestorage.com"));
    QCOMPARE(region->text(), QStringLiteral("auto"));
    QVERIFY(pathStyle->isChecked());

    chooseProvider(dialog, EndpointProfile::Provider::BackblazeB2);
    QVERIFY(endpoint->text().isEmpty());
    QVERIFY(region->text().isEmpty());
    QCOMPARE(endpoint->placeholderText(), QStringLiteral("https://s3.<region>.backblazeb2.com"));
    typeInto(endpoint, QStringLiteral("https://s3.us-west-004.backblazeb2.com"));
    QCOMPARE(region->text(), QStringLiteral("us-west-004"));

    chooseProvider(dialog, EndpointProfile::Provider::Wasabi);
    QCOMPARE(endpoint->text(), QStringLiteral("https://s3.us-east-1.wasabisys.com"));
    QCOMPARE(endpoint->placeholderText(), QStringLiteral("https://host[:port]"));
    typeInto(endpoint, QStringLiteral("https://s3.eu-central-2.wasabisys.com"));
    QCOMPARE(region->text(), QStringLiteral("eu-central-2"));
    QVERIFY(pathStyle->isChecked());

    chooseProvider(dialog, EndpointProfile::Provider::CloudflareR2);
    typeInto(endpoint, QStringLiteral("https://0123abcd.r2.cloudflarestorage.com"));
    QCOMPARE(region->text(), QStringLiteral("auto")); // R2's host names no region: "auto" stays
    QSettings settings;
    dialog.settings().save(settings);
    settings.sync();
    const ConsoleSettings loaded = ConsoleSettings::load(settings);
    QCOMPARE(loaded.provider, EndpointProfile::Provider::CloudflareR2);
    QCOMPARE(settings.value(QStringLiteral("Storage/provider")).toString(), QStringLiteral("r2"));
    SettingsDialog again(*m_store);
    again.setSettings(loaded);
    QCOMPARE(child<QComboBox>(again, "provider")->currentText(), QStringLiteral("Cloudflare R2"));
    QCOMPARE(child<QLineEdit>(again, "endpoint")->text(), QStringLiteral("https://0123abcd.r2.cloudflarestorage.com"));
    QCOMPARE(child<QLineEdit>(again, "endpoint")->placeholderText(),
        QStringLiteral("https://<account-id>.r2.cloudflarestorage.com"));

    // The region alone is enough where it decides the endpoint; R2 and a custom server still need theirs.
    ConsoleSettings regionOnly;
    regionOnly.endpoint.clear();
    regionOnly.region = QStringLiteral("us-west-004");
    regionOnly.provider = EndpointProfile::Provider::BackblazeB2;
    QCOMPARE(regionOnly.profile().endpoint, QUrl(QStringLiteral("https://s3.us-west-004.backblazeb2.com")));
    QVERIFY(regionOnly.profile().isValid());
    regionOnly.provider = EndpointProfile::Provider::CloudflareR2;
    QVERIFY(regionOnly.profile().validationError().contains(QLatin1String("<account-id>")));
    regionOnly.provider = EndpointProfile::Provider::Custom;
    QVERIFY(!regionOnly.profile().isValid());
}

void TestSettingsDialog::plainHttpToAnotherMachineIsWarnedAbout()
{
    SettingsDialog dialog(*m_store);
    auto *endpoint = child<QLineEdit>(dialog, "endpoint");
    auto *warning = child<QLabel>(dialog, "endpointWarning");
    QVERIFY(endpoint && warning);

    dialog.applyPreset(EndpointProfile::Provider::Custom); // http://127.0.0.1:9000
    QVERIFY(warning->isHidden());
    endpoint->setText(QStringLiteral("http://192.0.2.10:9000"));
    QVERIFY(!warning->isHidden());
    QVERIFY2(warning->text().startsWith(QLatin1String("Warning: the storage endpoint http://192.0.2.10:9000 is plain "
                                                      "http:// to another machine")),
        qPrintable(warning->text()));
    QVERIFY(warning->text().contains(QLatin1String("UNSIGNED-PAYLOAD")));
    endpoint->setText(QStringLiteral("https://192.0.2.10:9000"));
    QVERIFY(warning->isHidden());
    endpoint->setText(QStringLiteral("http://localhost:9000"));
    QVERIFY(warning->isHidden());

    ConsoleSettings settings = dialog.settings();
    settings.endpoint = QStringLiteral("http://minio.station.lan:9000");
    dialog.setSettings(settings); // loaded, not typed
    QVERIFY(!warning->isHidden());
}

void TestSettingsDialog::valuesRoundTripWithoutTheSecret()
{
    {
        SettingsDialog dialog(*m_store);
        dialog.applyPreset(EndpointProfile::Provider::AlibabaOss);
        child<QLineEdit>(dialog, "bucket")->setText(QStringLiteral("robot-data"));
        child<QLineEdit>(dialog, "keyPrefix")->setText(QStringLiteral("station-7"));
        child<QLineEdit>(dialog, "accessKeyId")->setText(QStringLiteral("LTAIEXAMPLEKEY"));
        child<QLineEdit>(dialog, "secretKey")->setText(kSecret);
        child<QSpinBox>(dialog, "partSize")->setValue(16);
        child<QSpinBox>(dialog, "parallelParts")->setValue(6);
        child<QSpinBox>(dialog, "maxConcurrentEpisodes")->setValue(3);
        child<QSpinBox>(dialog, "bandwidthLimit")->setValue(40);
        QSignalSpy saved(&dialog, &SettingsDialog::saved);

        // The secret goes to the keychain only. There is none here: the field is off, so whatever it holds is
        // neither kept nor refused; the non-secret values are saved and the dialog closes.
        dialog.show();
        dialog.accept();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());

        // Whatever path saves, settings() never carries the secret: save() it with the secret still typed in.
        child<QLineEdit>(dialog, "secretKey")->setText(kSecret);
        QSettings settings;
        dialog.settings().save(settings);
        settings.sync();
    }

    QSettings settings;
    QFile file(settings.fileName());
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
    const QByteArray contents = file.readAll();
    QVERIFY(contents.contains("robot-data"));
    QVERIFY(!contents.contains(kSecret.toUtf8()));
    QVERIFY(!contents.contains("TopSecret"));

    const ConsoleSettings loaded = ConsoleSettings::load(settings);
    QCOMPARE(loaded.provider, EndpointProfile::Provider::AlibabaOss);
    QCOMPARE(loaded.endpoint, QStringLiteral("https://oss-cn-hangzhou.aliyuncs.com"));
    QCOMPARE(loaded.region, QStringLiteral("cn-hangzhou"));
    QCOMPARE(loaded.pathStyle, false);
    QCOMPARE(loaded.bucket, QStringLiteral("robot-data"));
    QCOMPARE(loaded.keyPrefix, QStringLiteral("station-7"));
    QCOMPARE(loaded.accessKeyId, QStringLiteral("LTAIEXAMPLEKEY"));
    QCOMPARE(loaded.partSizeMiB, 16);
    QCOMPARE(loaded.parallelParts, 6);
    QCOMPARE(loaded.maxConcurrentEpisodes, 3);
    QCOMPARE(loaded.bandwidthLimitMiBps, 40);

    // And back into a fresh dialog.
    SettingsDialog again(*m_store);
    again.setSettings(loaded);
    QCOMPARE(again.settings().bucket, QStringLiteral("robot-data"));
    QCOMPARE(child<QSpinBox>(again, "parallelParts")->value(), 6);
    QVERIFY(child<QRadioButton>(again, "virtualHosted")->isChecked());
    QCOMPARE(child<QComboBox>(again, "provider")->currentData().toInt(), int(EndpointProfile::Provider::AlibabaOss));
}

void TestSettingsDialog::loadConfigFillsSyncConfig()
{
    ConsoleSettings values;
    values.endpoint = QStringLiteral("http://minio.local:9000");
    values.region = QStringLiteral("eu-west-1");
    values.bucket = QStringLiteral("b1");
    values.keyPrefix = QStringLiteral("p1");
    values.accessKeyId = QStringLiteral("AKIA1");
    values.partSizeMiB = 32;
    values.parallelParts = 5;
    values.maxConcurrentEpisodes = 4;
    values.bandwidthLimitMiBps = 10;
    QSettings settings;
    values.save(settings);

    const SyncConfig config = SettingsDialog::loadConfig(settings);
    QCOMPARE(config.profile.endpoint, QUrl(QStringLiteral("http://minio.local:9000")));
    QCOMPARE(config.profile.region, QStringLiteral("eu-west-1"));
    QVERIFY(config.profile.pathStyle);
    QCOMPARE(config.bucket, QStringLiteral("b1"));
    QCOMPARE(config.keyPrefix, QStringLiteral("p1"));
    QCOMPARE(config.credentials.accessKeyId, QByteArray("AKIA1"));
    QVERIFY(config.credentials.secretAccessKey.isEmpty());
    QCOMPARE(config.upload.partSize, 32 * kMiB);
    QCOMPARE(config.upload.concurrency, 5); // per episode
    QVERIFY(config.upload.adaptive); // the engine's budget adapts to the link
    QCOMPARE(config.upload.partSlots, config.upload.adaptive->slots());
    QCOMPARE(config.maxConcurrentEpisodes, 4);
    QCOMPARE(config.bandwidthLimit, 10 * kMiB);
}

void TestSettingsDialog::signatureAndPartSizeFollowProvider()
{
    SettingsDialog dialog(*m_store);
    auto *signature = child<QComboBox>(dialog, "signatureVersion");
    auto *partSize = child<QSpinBox>(dialog, "partSize");
    QVERIFY(signature && partSize);
    QVERIFY(!signature->isEnabled()); // custom by default
    QCOMPARE(partSize->minimum(), 5);

    chooseProvider(dialog, EndpointProfile::Provider::AlibabaOss);
    QVERIFY(signature->isEnabled());
    QCOMPARE(child<QComboBox>(dialog, "provider")->currentText(), QStringLiteral("Alibaba Cloud OSS (native)"));
    QCOMPARE(partSize->minimum(), 1);
    partSize->setValue(1);
    QCOMPARE(dialog.settings().partSizeMiB, 1);

    // Back to S3: the combo is off, the part size is raised to S3's minimum, and V1 does not leak into S3.
    signature->setCurrentIndex(signature->findData(int(EndpointProfile::SignatureVersion::V1)));
    chooseProvider(dialog, EndpointProfile::Provider::AwsS3);
    QVERIFY(!signature->isEnabled());
    QCOMPARE(partSize->minimum(), 5);
    QCOMPARE(partSize->value(), 5);
    QCOMPARE(dialog.settings().signatureVersion, EndpointProfile::SignatureVersion::V4);
    QVERIFY2(dialog.settings().profile().isValid(), qPrintable(dialog.settings().profile().validationError()));
}

void TestSettingsDialog::ossSignatureRoundTrips()
{
    {
        SettingsDialog dialog(*m_store);
        chooseProvider(dialog, EndpointProfile::Provider::AlibabaOss);
        auto *signature = child<QComboBox>(dialog, "signatureVersion");
        signature->setCurrentIndex(signature->findText(QStringLiteral("V1 (legacy)")));
        child<QLineEdit>(dialog, "bucket")->setText(QStringLiteral("oss-bucket"));
        child<QSpinBox>(dialog, "partSize")->setValue(1);
        QSignalSpy saved(&dialog, &SettingsDialog::saved);
        dialog.accept();
        QCOMPARE(saved.size(), 1);
    }
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("Storage/signatureVersion")).toString(), QStringLiteral("v1"));
    QCOMPARE(settings.value(QStringLiteral("Sync/partSizeMiB")).toInt(), 1);

    // Into the engine's config: V1 and OSS's part-size minimum (1 MiB parts would be refused on S3).
    const SyncConfig config = SettingsDialog::loadConfig(settings);
    QVERIFY(config.profile.isOss());
    QCOMPARE(config.profile.signatureVersion, EndpointProfile::SignatureVersion::V1);
    QCOMPARE(config.upload.partSize, kMiB);
    QCOMPARE(config.upload.minPartSize, PartPlan::kOssMinPartSize);

    SettingsDialog again(*m_store);
    again.setSettings(ConsoleSettings::load(settings));
    auto *signature = child<QComboBox>(again, "signatureVersion");
    QVERIFY(signature->isEnabled());
    QCOMPARE(signature->currentData().toInt(), int(EndpointProfile::SignatureVersion::V1));
    QCOMPARE(child<QSpinBox>(again, "partSize")->value(), 1);

    // An S3 profile keeps S3's minimum, in the dialog and in the config.
    ConsoleSettings s3;
    s3.partSizeMiB = 1;
    s3.save(settings);
    QCOMPARE(ConsoleSettings::load(settings).partSizeMiB, 5);
    QCOMPARE(SettingsDialog::loadConfig(settings).upload.minPartSize, PartPlan::kMinPartSize);
}

void TestSettingsDialog::ossEndpointSetsRegion()
{
    SettingsDialog dialog(*m_store);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    chooseProvider(dialog, EndpointProfile::Provider::AlibabaOss);
    auto *endpoint = child<QLineEdit>(dialog, "endpoint");
    auto *region = child<QLineEdit>(dialog, "region");
    QCOMPARE(region->text(), QStringLiteral("cn-hangzhou"));

    typeInto(endpoint, QStringLiteral("https://oss-eu-central-1.aliyuncs.com"));
    QCOMPARE(region->text(), QStringLiteral("eu-central-1"));

    // A host that names no region leaves the region as typed.
    region->setText(QStringLiteral("cn-shenzhen"));
    typeInto(endpoint, QStringLiteral("https://storage.example.com"));
    QCOMPARE(region->text(), QStringLiteral("cn-shenzhen"));

    // Other providers' endpoints never touch the region.
    chooseProvider(dialog, EndpointProfile::Provider::Custom);
    region->setText(QStringLiteral("us-west-2"));
    typeInto(endpoint, QStringLiteral("https://oss-cn-beijing.aliyuncs.com"));
    QCOMPARE(region->text(), QStringLiteral("us-west-2"));
}

void TestSettingsDialog::ossPathStyleIsRefused()
{
    SettingsDialog dialog(*m_store);
    chooseProvider(dialog, EndpointProfile::Provider::AlibabaOss);
    child<QLineEdit>(dialog, "bucket")->setText(QStringLiteral("oss-bucket"));
    child<QRadioButton>(dialog, "pathStyle")->setChecked(true);
    const QString expected
        = QStringLiteral("Alibaba OSS needs virtual-hosted addressing (bucket.endpoint); path style is refused");

    // Test connection says why without sending anything.
    QSignalSpy tested(&dialog, &SettingsDialog::connectionTested);
    dialog.testConnection();
    QCOMPARE(tested.size(), 1);
    QCOMPARE(tested.at(0).at(1).toString(), expected);
    QCOMPARE(dialog.testResultText(), QStringLiteral("Failed: %1").arg(expected));

    // Saving refuses it too: the dialog stays open and nothing is written.
    QSignalSpy saved(&dialog, &SettingsDialog::saved);
    dialog.show();
    dialog.accept();
    QCOMPARE(saved.size(), 0);
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.statusText(), expected);
    QVERIFY(!QSettings().contains(QStringLiteral("Storage/bucket")));

    child<QRadioButton>(dialog, "virtualHosted")->setChecked(true);
    dialog.accept();
    QCOMPARE(saved.size(), 1);
}

void TestSettingsDialog::testConnectionSucceeds()
{
    SettingsDialog dialog(*m_store);
    enterServerSettings(dialog, QString::fromLatin1(m_fixture.server().secretAccessKey()));
    QSignalSpy tested(&dialog, &SettingsDialog::connectionTested);
    QTest::mouseClick(child<QPushButton>(dialog, "testConnection"), Qt::LeftButton);
    // The request runs on a worker: the click returned before any answer.
    QVERIFY(dialog.isTesting());
    QCOMPARE(tested.size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(tested.size(), 1, 20000);
    QVERIFY2(tested.at(0).at(0).toBool(), qPrintable(dialog.testResultText()));
    QVERIFY(dialog.testResultText().startsWith(QLatin1String("Connected")));
    QVERIFY(!dialog.isTesting());
}

void TestSettingsDialog::testConnectionShowsSignatureMismatch()
{
    SettingsDialog dialog(*m_store);
    enterServerSettings(dialog, QStringLiteral("not-the-right-secret"));
    QSignalSpy tested(&dialog, &SettingsDialog::connectionTested);
    dialog.testConnection();
    QTRY_COMPARE_WITH_TIMEOUT(tested.size(), 1, 20000);
    QVERIFY(!tested.at(0).at(0).toBool());
    QVERIFY2(
        dialog.testResultText().contains(QLatin1String("SignatureDoesNotMatch")), qPrintable(dialog.testResultText()));
    QVERIFY(!dialog.testResultText().contains(QLatin1String("not-the-right-secret")));

    // A missing bucket is a clear error too.
    child<QLineEdit>(dialog, "secretKey")->setText(QString::fromLatin1(m_fixture.server().secretAccessKey()));
    child<QLineEdit>(dialog, "bucket")->setText(QStringLiteral("no-such-bucket"));
    dialog.testConnection();
    QTRY_COMPARE_WITH_TIMEOUT(tested.size(), 2, 20000);
    QVERIFY(!tested.at(1).at(0).toBool());
    QVERIFY2(dialog.testResultText().contains(QLatin1String("404")), qPrintable(dialog.testResultText()));
}

void TestSettingsDialog::apiTokenIsShownAndCopied()
{
    SettingsDialog dialog(*m_store);
    dialog.setApiInfo(QStringLiteral("http://127.0.0.1:8470"), QByteArray("tok-123"));
    auto *token = child<QLineEdit>(dialog, "apiToken");
    QCOMPARE(child<QLineEdit>(dialog, "apiUrl")->text(), QStringLiteral("http://127.0.0.1:8470"));
    QCOMPARE(token->echoMode(), QLineEdit::Password);
    child<QPushButton>(dialog, "showToken")->click();
    QCOMPARE(token->echoMode(), QLineEdit::Normal);
    QCOMPARE(token->text(), QStringLiteral("tok-123"));
    child<QPushButton>(dialog, "copyToken")->click();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("tok-123"));
}

// The token field shows a token (not three characters of it), and a long message below the columns makes the dialog
// taller instead of squeezing the addressing options out of sight.
void TestSettingsDialog::messagesGrowTheDialogInsteadOfCuttingIt()
{
    SettingsDialog dialog(*m_store);
    dialog.setApiInfo(QStringLiteral("http://127.0.0.1:8470"), QByteArray(43, 'x'));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *token = child<QLineEdit>(dialog, "apiToken");
    QVERIFY(token->width() >= token->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 32);
    const int before = dialog.height();
    auto *status = child<QLabel>(dialog, "status");
    status->setText(QStringLiteral("A long message that wraps. ").repeated(30));
    status->show();
    QTRY_VERIFY(dialog.height() > before);
    QVERIFY(dialog.height() >= dialog.minimumSizeHint().height());
}

void TestSettingsDialog::mainWindowOpensSettings()
{
    QTemporaryDir dir;
    auto engine = openEngine(engineConfig(m_fixture.server(), dir));
    QVERIFY(engine);
    MainWindow window(*engine);
    window.setApiInfo(QStringLiteral("http://127.0.0.1:1"), QByteArray("abc"));
    std::optional<SyncConfig> changed;
    connect(&window, &MainWindow::settingsChanged, &window, [&changed](const SyncConfig &config) { changed = config; });
    auto *action = window.findChild<QAction *>(QStringLiteral("actionSettings"));
    QVERIFY(action);
    action->trigger();
    SettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<SettingsDialog *>()) != nullptr);
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("apiToken"))->text(), QStringLiteral("abc"));
    // What runs, not what was saved (nothing is, here).
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("bucket"))->text(), m_fixture.server().bucket());
    QCOMPARE(
        dialog->findChild<QLineEdit *>(QStringLiteral("endpoint"))->text(), m_fixture.server().endpoint().toString());
    // Regenerate goes out to the app, and what the app answers shows in the open dialog.
    QSignalSpy regenerate(&window, &MainWindow::apiTokenRegenerationRequested);
    connect(&window, &MainWindow::apiTokenRegenerationRequested, &window,
        [&window] { window.setApiInfo(QStringLiteral("http://127.0.0.1:1"), QByteArray("def")); });
    child<QPushButton>(*dialog, "regenerateToken")->click();
    QCOMPARE(regenerate.size(), 1);
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("apiToken"))->text(), QStringLiteral("def"));
    dialog->findChild<QLineEdit *>(QStringLiteral("bucket"))->setText(QStringLiteral("from-window"));
    dialog->accept();
    QVERIFY(changed.has_value());
    QCOMPARE(changed->bucket, QStringLiteral("from-window"));
    QCOMPARE(changed->dataDir, engine->config().dataDir);
    QCOMPARE(QSettings().value(QStringLiteral("Storage/bucket")).toString(), QStringLiteral("from-window"));
}

namespace {

// A start like `--bucket B --endpoint URL --bandwidth-limit 20M` (the storage from the command line, so every
// storage field is fixed, named by the options given).
FixedSettings commandLineStorage(bool withBandwidth)
{
    FixedSettings fixed;
    using Field = FixedSettings::Field;
    for (const Field field : {Field::Provider, Field::Endpoint, Field::Region, Field::Bucket, Field::KeyPrefix,
             Field::Addressing, Field::SignatureVersion, Field::Credentials}) {
        fixed.fix(field, FixedSettings::Source::CommandLine, QStringLiteral("bucket"));
        fixed.fix(field, FixedSettings::Source::CommandLine, QStringLiteral("endpoint"));
    }
    if (withBandwidth)
        fixed.fix(Field::BandwidthLimit, FixedSettings::Source::CommandLine, QStringLiteral("bandwidth-limit"));
    return fixed;
}

SyncConfig runningConfig()
{
    SyncConfig config;
    config.profile.endpoint = QUrl(QStringLiteral("http://10.1.2.3:9100"));
    config.profile.region = QStringLiteral("eu-west-1");
    config.bucket = QStringLiteral("episodes-bucket");
    config.keyPrefix = QStringLiteral("station-3");
    config.credentials = {"AKIARUNNING", "running-secret", {}};
    config.upload.partSize = 16 * kMiB;
    config.upload.concurrency = 6;
    config.maxConcurrentEpisodes = 3;
    config.bandwidthLimit = 20 * kMiB;
    return config;
}

} // namespace

void TestSettingsDialog::showsConfigInForceWithFixedValuesReadOnly()
{
    // Saved settings that differ from what runs: the dialog must not show them, nor overwrite them with the command
    // line's values.
    ConsoleSettings savedBefore;
    savedBefore.bucket = QStringLiteral("saved-bucket");
    savedBefore.bandwidthLimitMiBps = 5;
    {
        QSettings settings;
        savedBefore.save(settings);
    }
    const SyncConfig running = runningConfig();
    SettingsDialog dialog(*m_store);
    dialog.setFixedSettings(commandLineStorage(true));
    dialog.setSettings(ConsoleSettings::fromConfig(running));

    auto *endpoint = child<QLineEdit>(dialog, "endpoint");
    auto *bucket = child<QLineEdit>(dialog, "bucket");
    auto *bandwidth = child<QSpinBox>(dialog, "bandwidthLimit");
    auto *partSize = child<QSpinBox>(dialog, "partSize");
    QCOMPARE(endpoint->text(), QStringLiteral("http://10.1.2.3:9100"));
    QCOMPARE(bucket->text(), QStringLiteral("episodes-bucket"));
    QCOMPARE(child<QLineEdit>(dialog, "keyPrefix")->text(), QStringLiteral("station-3"));
    QCOMPARE(child<QLineEdit>(dialog, "region")->text(), QStringLiteral("eu-west-1"));
    QCOMPARE(child<QLineEdit>(dialog, "accessKeyId")->text(), QStringLiteral("AKIARUNNING"));
    QCOMPARE(bandwidth->value(), 20);
    QCOMPARE(bandwidth->text(), QStringLiteral("20 MiB/s"));
    QCOMPARE(partSize->value(), 16);
    QCOMPARE(child<QSpinBox>(dialog, "parallelParts")->value(), 6);
    QCOMPARE(child<QSpinBox>(dialog, "maxConcurrentEpisodes")->value(), 3);

    // Fixed: read-only, each saying where it comes from, and one line for all.
    for (QLineEdit *edit : {endpoint, bucket, child<QLineEdit>(dialog, "region"), child<QLineEdit>(dialog, "keyPrefix"),
             child<QLineEdit>(dialog, "accessKeyId"), child<QLineEdit>(dialog, "secretKey")}) {
        QVERIFY2(edit->isReadOnly(), qPrintable(edit->objectName()));
        QVERIFY2(edit->toolTip().contains(QLatin1String("--bucket")), qPrintable(edit->toolTip()));
    }
    QVERIFY(!child<QComboBox>(dialog, "provider")->isEnabled());
    QVERIFY(!child<QRadioButton>(dialog, "pathStyle")->isEnabled());
    QVERIFY(!child<QRadioButton>(dialog, "virtualHosted")->isEnabled());
    QVERIFY(bandwidth->isReadOnly());
    QCOMPARE(bandwidth->toolTip(),
        QStringLiteral("Set by the command line (--bandwidth-limit); edit the command line to change it."));
    const QString note = dialog.fixedNoteText();
    QVERIFY2(note.contains(QLatin1String("--bucket")) && note.contains(QLatin1String("--endpoint"))
            && note.contains(QLatin1String("--bandwidth-limit")) && note.contains(QLatin1String("command line")),
        qPrintable(note));
    // Not fixed: editable as usual.
    QVERIFY(!partSize->isReadOnly());
    QVERIFY(!child<QSpinBox>(dialog, "parallelParts")->isReadOnly());
    QVERIFY(partSize->toolTip().isEmpty());

    partSize->setValue(32);
    QSignalSpy saved(&dialog, &SettingsDialog::saved);
    dialog.accept();
    QCOMPARE(saved.size(), 1);
    // Applied: the fixed values stay exactly as they run (20 MiB/s, not a rounded 20), the rest as entered.
    const SyncConfig next = dialog.configToApply(running);
    QCOMPARE(next.bucket, running.bucket);
    QCOMPARE(next.profile.endpoint, running.profile.endpoint);
    QCOMPARE(next.bandwidthLimit, 20 * kMiB);
    QCOMPARE(next.upload.partSize, 32 * kMiB);
    QCOMPARE(next.credentials.accessKeyId, QByteArray("AKIARUNNING"));
    QCOMPARE(next.credentials.secretAccessKey, QByteArray("running-secret"));
    // Saved: only what the user may change; the command line's values do not replace the saved ones.
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("Storage/bucket")).toString(), QStringLiteral("saved-bucket"));
    QCOMPARE(settings.value(QStringLiteral("Sync/bandwidthLimitMiBps")).toInt(), 5);
    QCOMPARE(settings.value(QStringLiteral("Sync/partSizeMiB")).toInt(), 32);
}

void TestSettingsDialog::noKeychainClosesWithAnEmptySecret()
{
    const SyncConfig running = runningConfig();
    SettingsDialog dialog(*m_store);
    QVERIFY(!dialog.keychainAvailable()); // no session bus in this test
    int lookups = 0;
    dialog.setCredentialLookup(
        [&lookups, running](const QString &id) -> Expected<ResolvedCredentials, CredentialLookupError> {
            ++lookups;
            if (id == QLatin1String("AKIARUNNING"))
                return ResolvedCredentials{running.credentials, ResolvedCredentials::Source::Environment,
                    QStringLiteral("environment (AWS_ACCESS_KEY_ID, access key AKIA…NING)")};
            if (id == QLatin1String("AKIAFROMFILE"))
                return ResolvedCredentials{{"AKIAFROMFILE", "file-secret", {}}, ResolvedCredentials::Source::File,
                    QStringLiteral("file /etc/keystone/credentials (access key AKIA…FILE)")};
            return CredentialLookupError{CredentialLookupError::Kind::NotFound, QStringLiteral("nothing for ") + id};
        });
    dialog.setSettings(ConsoleSettings::fromConfig(running));
    dialog.show();

    // It says why the secret stays empty and where it comes from instead.
    QVERIFY2(dialog.keychainNoteText().contains(QLatin1String("No keychain on this system")),
        qPrintable(dialog.keychainNoteText()));
    QVERIFY(dialog.keychainNoteText().contains(QLatin1String("environment")));
    QVERIFY(dialog.keychainNoteText().contains(QLatin1String("credentials file")));
    auto *secret = child<QLineEdit>(dialog, "secretKey");
    QVERIFY(!secret->isEnabled());
    QVERIFY(secret->text().isEmpty());
    QVERIFY(child<QLabel>(dialog, "credentialSource")->text().contains(QLatin1String("environment")));

    // Another access key id, its secret in the credentials file: OK closes at once with an empty secret field.
    child<QLineEdit>(dialog, "accessKeyId")->setText(QStringLiteral("AKIAFROMFILE"));
    child<QSpinBox>(dialog, "maxConcurrentEpisodes")->setValue(4);
    QSignalSpy saved(&dialog, &SettingsDialog::saved);
    dialog.accept();
    QCOMPARE(saved.size(), 1);
    QVERIFY(!dialog.isVisible());
    QVERIFY(lookups > 0);
    const SyncConfig next = dialog.configToApply(running);
    QCOMPARE(next.credentials.accessKeyId, QByteArray("AKIAFROMFILE"));
    QCOMPARE(next.credentials.secretAccessKey, QByteArray("file-secret"));
    QCOMPARE(next.maxConcurrentEpisodes, 4);
    // The secret is nowhere in the settings file.
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("file-secret"));
}

void TestSettingsDialog::brokenConfigurationIsRefused()
{
    const SyncConfig running = runningConfig();
    SettingsDialog dialog(*m_store);
    dialog.setCredentialLookup([running](const QString &id) -> Expected<ResolvedCredentials, CredentialLookupError> {
        if (id == QLatin1String("AKIARUNNING"))
            return ResolvedCredentials{running.credentials, ResolvedCredentials::Source::Environment, {}};
        return CredentialLookupError{CredentialLookupError::Kind::NotFound,
            QStringLiteral("No secret key for access key %1 in the environment or the credentials file.").arg(id)};
    });
    dialog.setSettings(ConsoleSettings::fromConfig(running));
    dialog.show();
    QSignalSpy saved(&dialog, &SettingsDialog::saved);

    child<QLineEdit>(dialog, "bucket")->clear();
    dialog.accept();
    QCOMPARE(dialog.statusText(), QStringLiteral("Enter a bucket name."));
    child<QLineEdit>(dialog, "bucket")->setText(QStringLiteral("b"));
    child<QLineEdit>(dialog, "endpoint")->setText(QStringLiteral("not a url"));
    dialog.accept();
    QVERIFY(!dialog.statusText().isEmpty());
    QVERIFY(dialog.isVisible());
    child<QLineEdit>(dialog, "endpoint")->setText(QStringLiteral("http://10.1.2.3:9100"));
    // An access key id nobody has a secret for: the engine could not sign a request.
    child<QLineEdit>(dialog, "accessKeyId")->setText(QStringLiteral("AKIAUNKNOWN"));
    dialog.accept();
    QCOMPARE(dialog.statusText(),
        QStringLiteral("No secret key for access key AKIAUNKNOWN in the environment or the credentials file."));
    QVERIFY(dialog.isVisible());
    QCOMPARE(saved.size(), 0);
    QVERIFY(!QSettings().contains(QStringLiteral("Storage/bucket")));

    child<QLineEdit>(dialog, "accessKeyId")->setText(QStringLiteral("AKIARUNNING"));
    dialog.accept();
    QCOMPARE(saved.size(), 1);
}

void TestSettingsDialog::windowTitleNamesTheStorageInForce()
{
    QTemporaryDir dir;
    auto engine = openEngine(engineConfig(m_fixture.server(), dir));
    QVERIFY(engine);
    MainWindow window(*engine);
    const QString endpoint = m_fixture.server().endpoint().toString();
    QCOMPARE(window.windowTitle(),
        QStringLiteral("Keystone Console — %1 @ %2 (MinIO / S3)").arg(m_fixture.server().bucket(), endpoint));

    // Settings applied to the engine (as the app does on settingsChanged) show in the title.
    SyncConfig moved = engine->config();
    moved.bucket = QStringLiteral("other-bucket");
    bool applied = false;
    engine->applyConfig(moved, [&applied](const SyncResult<void> &result) { applied = result.ok(); });
    QCOMPARE(window.windowTitle(), QStringLiteral("Keystone Console — other-bucket @ %1 (MinIO / S3)").arg(endpoint));
    QTRY_VERIFY(applied);

    // And the dialog opened next shows that, not the settings saved before.
    ConsoleSettings saved;
    saved.bucket = QStringLiteral("saved-bucket");
    QSettings settings;
    saved.save(settings);
    window.openSettings();
    SettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<SettingsDialog *>()) != nullptr);
    QCOMPARE(child<QLineEdit>(*dialog, "bucket")->text(), QStringLiteral("other-bucket"));
}

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"

// SettingsDialog offscreen: provider presets, QSettings round trip in an isolated location (the secret never lands
// there), and Test connection against the strict S3 server (success, and SignatureDoesNotMatch with a wrong
// secret), without blocking the GUI thread. No session bus: the keychain is deliberately unreachable here, so no
// test ever touches a developer's real keychain (tst_credentialstore covers the keychain itself).
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
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>

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

} // namespace

class TestSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void presetsFillEndpointAndAddressing();
    void valuesRoundTripWithoutTheSecret();
    void loadConfigFillsSyncConfig();
    void signatureAndPartSizeFollowProvider();
    void ossSignatureRoundTrips();
    void ossEndpointSetsRegion();
    void ossPathStyleIsRefused();
    void testConnectionSucceeds();
    void testConnectionShowsSignatureMismatch();
    void apiTokenIsShownAndCopied();
    void mainWindowOpensSettings();

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
    std::unique_ptr<S3ServerProcess> m_server;
    std::unique_ptr<CredentialStore> m_store;
};

void TestSettingsDialog::initTestCase()
{
    QVERIFY(g_noSessionBus);
    QStandardPaths::setTestModeEnabled(true);
    m_settingsDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_settingsDir->isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KeystoneTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_settingsdialog"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir->path());
    QVERIFY(QSettings().fileName().startsWith(m_settingsDir->path()));
    m_store = std::make_unique<CredentialStore>();
    QString error;
    m_server = std::make_unique<S3ServerProcess>(S3ServerProcess::Kind::Strict);
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

void TestSettingsDialog::init()
{
    QSettings().clear();
}

void TestSettingsDialog::enterServerSettings(SettingsDialog &dialog, const QString &secret)
{
    dialog.applyPreset(EndpointProfile::Provider::Custom);
    child<QLineEdit>(dialog, "endpoint")->setText(m_server->endpoint().toString());
    child<QLineEdit>(dialog, "region")->setText(QString::fromLatin1(m_server->region()));
    child<QLineEdit>(dialog, "bucket")->setText(m_server->bucket());
    child<QLineEdit>(dialog, "accessKeyId")->setText(QString::fromLatin1(m_server->accessKeyId()));
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

        // The secret goes to the keychain only. There is none here: the dialog says so and stays open,
        // and nothing is written.
        dialog.show();
        dialog.accept();
        QTRY_VERIFY(dialog.statusText().contains(QLatin1String("No keychain available")));
        QVERIFY(dialog.isVisible());
        QCOMPARE(saved.size(), 0);
        QVERIFY(!QSettings().contains(QStringLiteral("Storage/bucket")));

        // Without a (changed) secret the non-secret values are saved and the dialog closes.
        child<QLineEdit>(dialog, "secretKey")->clear();
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

namespace {

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
    enterServerSettings(dialog, QString::fromLatin1(m_server->secretAccessKey()));
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
    child<QLineEdit>(dialog, "secretKey")->setText(QString::fromLatin1(m_server->secretAccessKey()));
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

void TestSettingsDialog::mainWindowOpensSettings()
{
    QTemporaryDir dir;
    auto engine = openEngine(engineConfig(*m_server, dir));
    QVERIFY(engine);
    MainWindow window(*engine);
    window.setApiInfo(QStringLiteral("http://127.0.0.1:1"), QByteArray("abc"));
    QSignalSpy changed(&window, &MainWindow::settingsChanged);
    auto *action = window.findChild<QAction *>(QStringLiteral("actionSettings"));
    QVERIFY(action);
    action->trigger();
    SettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<SettingsDialog *>()) != nullptr);
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("apiToken"))->text(), QStringLiteral("abc"));
    // Regenerate goes out to the app, and what the app answers shows in the open dialog.
    QSignalSpy regenerate(&window, &MainWindow::apiTokenRegenerationRequested);
    connect(&window, &MainWindow::apiTokenRegenerationRequested, &window,
        [&window] { window.setApiInfo(QStringLiteral("http://127.0.0.1:1"), QByteArray("def")); });
    child<QPushButton>(*dialog, "regenerateToken")->click();
    QCOMPARE(regenerate.size(), 1);
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("apiToken"))->text(), QStringLiteral("def"));
    dialog->findChild<QLineEdit *>(QStringLiteral("bucket"))->setText(QStringLiteral("from-window"));
    dialog->accept();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(QSettings().value(QStringLiteral("Storage/bucket")).toString(), QStringLiteral("from-window"));
}

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"

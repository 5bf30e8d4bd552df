#include "settingsdialog.h"

#include "config/credentialresolver.h"
#include "config/credentialstore.h"
#include "core/bytesize.h"
#include "statecolors.h"
#include "storage/curltransport.h"
#include "storage/partplan.h"
#include "storage/plaintextendpoint.h"
#include "storage/s3client.h"
#include "sync/synclimits.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPointer>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <memory>

SettingsDialog::SettingsDialog(CredentialStore &store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
{
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    createWidgets();
    // Without a session bus a keychain call could only fail late (or try X11 autolaunch): decided up front. A bus
    // without a secret service shows up as the first keychain call's NoKeychain error instead.
    QString reason;
    setKeychainAvailable(CredentialResolver::keychainUsable(QProcessEnvironment::systemEnvironment(), &reason));
    setSettings(ConsoleSettings());
}

SettingsDialog::~SettingsDialog() = default;

SyncConfig SettingsDialog::loadConfig(QSettings &settings)
{
    SyncConfig config;
    ConsoleSettings::load(settings).applyTo(config);
    return config;
}

void SettingsDialog::createWidgets()
{
    auto lineEdit = [this](const char *name) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(QLatin1String(name));
        return edit;
    };
    auto spinBox = [this](const char *name, int minimum, int maximum, const QString &suffix) {
        auto *spin = new QSpinBox(this);
        spin->setObjectName(QLatin1String(name));
        spin->setRange(minimum, maximum);
        spin->setSuffix(suffix);
        return spin;
    };

    // Storage
    m_provider = new QComboBox(this);
    m_provider->setObjectName(QStringLiteral("provider"));
    m_provider->addItem(tr("AWS S3"), int(EndpointProfile::Provider::AwsS3));
    m_provider->addItem(tr("Alibaba Cloud OSS (native)"), int(EndpointProfile::Provider::AlibabaOss));
    m_provider->addItem(tr("Cloudflare R2"), int(EndpointProfile::Provider::CloudflareR2));
    m_provider->addItem(tr("Backblaze B2 (S3 API)"), int(EndpointProfile::Provider::BackblazeB2));
    m_provider->addItem(tr("Wasabi"), int(EndpointProfile::Provider::Wasabi));
    m_provider->addItem(tr("MinIO / custom S3-compatible"), int(EndpointProfile::Provider::Custom));
    connect(m_provider, &QComboBox::activated, this,
        [this](int index) { applyPreset(EndpointProfile::Provider(m_provider->itemData(index).toInt())); });
    connect(m_provider, &QComboBox::currentIndexChanged, this, &SettingsDialog::providerChanged);
    m_endpoint = lineEdit("endpoint");
    m_endpoint->setPlaceholderText(endpointPlaceholder(EndpointProfile::Provider::Custom));
    connect(m_endpoint, &QLineEdit::editingFinished, this, &SettingsDialog::endpointEdited);
    m_endpointWarning = new QLabel(this);
    m_endpointWarning->setObjectName(QStringLiteral("endpointWarning"));
    m_endpointWarning->setWordWrap(true);
    m_endpointWarning->hide();
    connect(m_endpoint, &QLineEdit::textChanged, this, &SettingsDialog::showEndpointWarning);
    m_region = lineEdit("region");
    m_bucket = lineEdit("bucket");
    m_keyPrefix = lineEdit("keyPrefix");
    m_pathStyle = new QRadioButton(tr("&Path style (host/bucket/key)"), this);
    m_pathStyle->setObjectName(QStringLiteral("pathStyle"));
    m_virtualHosted = new QRadioButton(tr("&Virtual-hosted (bucket.host/key)"), this);
    m_virtualHosted->setObjectName(QStringLiteral("virtualHosted"));
    m_signatureVersion = new QComboBox(this);
    m_signatureVersion->setObjectName(QStringLiteral("signatureVersion"));
    m_signatureVersion->addItem(tr("V4"), int(EndpointProfile::SignatureVersion::V4));
    m_signatureVersion->addItem(tr("V1 (legacy)"), int(EndpointProfile::SignatureVersion::V1));
    m_signatureVersion->setToolTip(tr("Alibaba Cloud OSS request signatures: V4, or V1 for older deployments."));
    auto *addressing = new QVBoxLayout;
    addressing->addWidget(m_pathStyle);
    addressing->addWidget(m_virtualHosted);

    auto *storageBox = new QGroupBox(tr("Storage"), this);
    auto *storage = new QFormLayout(storageBox);
    storage->addRow(tr("Pro&vider:"), m_provider);
    storage->addRow(tr("&Endpoint:"), m_endpoint);
    storage->addRow(QString(), m_endpointWarning);
    storage->addRow(tr("&Region:"), m_region);
    storage->addRow(tr("&Bucket:"), m_bucket);
    storage->addRow(tr("Key pre&fix:"), m_keyPrefix);
    storage->addRow(tr("Addressing:"), addressing);
    storage->addRow(tr("Si&gnature:"), m_signatureVersion);

    // Credentials
    m_accessKeyId = lineEdit("accessKeyId");
    m_secretKey = lineEdit("secretKey");
    m_secretKey->setEchoMode(QLineEdit::Password);
    m_secretKey->setPlaceholderText(tr("stored in the system keychain"));
    m_testButton = new QPushButton(tr("&Test connection"), this);
    m_testButton->setObjectName(QStringLiteral("testConnection"));
    connect(m_testButton, &QPushButton::clicked, this, &SettingsDialog::testConnection);
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton);
    testRow->addWidget(m_testResult, 1);

    auto *credentialsBox = new QGroupBox(tr("Credentials"), this);
    auto *credentials = new QFormLayout(credentialsBox);
    m_keychainNote = new QLabel(this);
    m_keychainNote->setObjectName(QStringLiteral("keychainNote"));
    m_keychainNote->setWordWrap(true);
    m_keychainNote->hide();
    m_credentialSource = new QLabel(this);
    m_credentialSource->setObjectName(QStringLiteral("credentialSource"));
    m_credentialSource->setWordWrap(true);
    m_credentialSource->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_credentialSource->hide();
    credentials->addRow(tr("Access &key ID:"), m_accessKeyId);
    credentials->addRow(tr("&Secret key:"), m_secretKey);
    credentials->addRow(testRow);

    // Limits (the part-size minimum follows the provider: providerChanged())
    const int maxPart = int(PartPlan::kMaxPartSize / PartPlan::kMiB);
    m_partSize = spinBox("partSize", ConsoleSettings::minPartSizeMiB(provider()), maxPart, tr(" MiB"));
    m_parallelParts
        = spinBox("parallelParts", SyncLimits::kMinRequestsPerEpisode, SyncLimits::kMaxRequestsPerEpisode, QString());
    m_maxEpisodes = spinBox("maxConcurrentEpisodes", SyncLimits::kMinEpisodes, SyncLimits::kMaxEpisodes, QString());
    m_bandwidth = spinBox("bandwidthLimit", 0, 100000, tr(" MiB/s"));
    m_bandwidth->setSpecialValueText(tr("Unlimited"));
    m_schedule = lineEdit("bandwidthSchedule");
    m_schedule->setPlaceholderText(tr("e.g. 08:00,10M 20:00,off"));
    m_schedule->setToolTip(tr("Upload limits by time of day, as rclone's timetable; weekdays optional "
                              "(Mon-08:00,2M Sat-00:00,off). Replaces the bandwidth limit while set."));
    m_recordingLimit = lineEdit("recordingLimit");
    m_recordingLimit->setPlaceholderText(tr("automatic: a tenth of the uplink"));
    m_recordingLimit->setToolTip(tr("Upload limit in recording mode, e.g. 5M; 0 holds uploads while recording."));

    auto *limitsBox = new QGroupBox(tr("Uploads"), this);
    auto *limits = new QFormLayout(limitsBox);
    limits->addRow(tr("P&art size:"), m_partSize);
    limits->addRow(tr("Requests in flight &per episode:"), m_parallelParts);
    limits->addRow(tr("Concurrent &episodes:"), m_maxEpisodes);
    limits->addRow(tr("Band&width limit:"), m_bandwidth);
    limits->addRow(tr("Band&width schedule:"), m_schedule);
    limits->addRow(tr("Recording &limit:"), m_recordingLimit);

    // API
    m_apiUrl = lineEdit("apiUrl");
    m_apiUrl->setReadOnly(true);
    m_apiToken = lineEdit("apiToken");
    m_apiToken->setReadOnly(true);
    m_apiToken->setEchoMode(QLineEdit::Password);
    // Wide enough to see that there is a token (and most of it when shown), beside three buttons.
    m_apiToken->setMinimumWidth(m_apiToken->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 32);
    m_showToken = new QPushButton(tr("Sho&w"), this);
    m_showToken->setObjectName(QStringLiteral("showToken"));
    m_showToken->setCheckable(true);
    connect(m_showToken, &QPushButton::toggled, this, [this](bool shown) {
        m_apiToken->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_showToken->setText(shown ? tr("Hi&de") : tr("Sho&w"));
    });
    m_copyToken = new QPushButton(tr("&Copy"), this);
    m_copyToken->setObjectName(QStringLiteral("copyToken"));
    connect(
        m_copyToken, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_apiToken->text()); });
    m_regenerateToken = new QPushButton(tr("&Regenerate"), this);
    m_regenerateToken->setObjectName(QStringLiteral("regenerateToken"));
    m_regenerateToken->setToolTip(tr("Replace the token; scripts using the old one must read the new token file."));
    connect(m_regenerateToken, &QPushButton::clicked, this, &SettingsDialog::tokenRegenerationRequested);
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_apiToken, 1);
    tokenRow->addWidget(m_showToken);
    tokenRow->addWidget(m_copyToken);
    tokenRow->addWidget(m_regenerateToken);

    auto *apiBox = new QGroupBox(tr("Local API"), this);
    auto *api = new QFormLayout(apiBox);
    api->addRow(tr("Listening on:"), m_apiUrl);
    api->addRow(tr("Token:"), tokenRow);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_fixedNote = new QLabel(this);
    m_fixedNote->setObjectName(QStringLiteral("fixedNote"));
    m_fixedNote->setWordWrap(true);
    m_fixedNote->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *columns = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(storageBox);
    left->addWidget(credentialsBox);
    left->addStretch();
    auto *right = new QVBoxLayout;
    right->addWidget(limitsBox);
    right->addWidget(apiBox);
    right->addStretch();
    columns->addLayout(left, 3);
    columns->addLayout(right, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_fixedNote);
    layout->addLayout(columns);
    // Full width: wrapped in a column, these would squeeze the rows above them (a dialog sizes to its hint).
    layout->addWidget(m_keychainNote);
    layout->addWidget(m_credentialSource);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    setApiInfo(QString(), QByteArray());
}

bool SettingsDialog::event(QEvent *event)
{
    const bool handled = QDialog::event(event);
    // A message that appears (a test's result, a validation error, wrapped over several lines) grows the dialog
    // instead of squeezing the rows above it out of sight.
    if (event->type() == QEvent::LayoutRequest && layout()) {
        const int needed = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                         : layout()->totalMinimumSize().height();
        if (needed > height())
            resize(width(), needed);
    }
    return handled;
}

void SettingsDialog::applyPreset(EndpointProfile::Provider provider)
{
    const int index = m_provider->findData(int(provider));
    if (index >= 0)
        m_provider->setCurrentIndex(index);
    const EndpointProfile preset = EndpointProfile::preset(provider);
    m_endpoint->setText(preset.endpoint.toString());
    m_region->setText(preset.region);
    (preset.pathStyle ? m_pathStyle : m_virtualHosted)->setChecked(true);
}

// What to type where the preset cannot fill the endpoint (R2's names the account, B2's the region).
QString SettingsDialog::endpointPlaceholder(EndpointProfile::Provider provider)
{
    const QString form = EndpointProfile::requiredEndpointForm(provider);
    return form.isEmpty() ? tr("https://host[:port]") : form;
}

EndpointProfile::Provider SettingsDialog::provider() const
{
    return EndpointProfile::Provider(m_provider->currentData().toInt());
}

void SettingsDialog::providerChanged()
{
    const EndpointProfile::Provider current = provider();
    m_signatureVersion->setEnabled(
        current == EndpointProfile::Provider::AlibabaOss && !m_fixed.isFixed(FixedSettings::Field::SignatureVersion));
    m_partSize->setMinimum(ConsoleSettings::minPartSizeMiB(current));
    m_endpoint->setPlaceholderText(endpointPlaceholder(current));
}

void SettingsDialog::endpointEdited()
{
    if (!EndpointProfile::regionFollowsEndpoint(provider()))
        return;
    const QString region = EndpointProfile::regionFromHost(provider(), QUrl(m_endpoint->text().trimmed()).host());
    if (!region.isEmpty())
        m_region->setText(region);
}

void SettingsDialog::showEndpointWarning()
{
    const QString warning = PlainTextEndpoint::warning(QUrl(m_endpoint->text().trimmed()));
    m_endpointWarning->setText(warning.isEmpty() ? QString() : tr("Warning: %1").arg(warning));
    m_endpointWarning->setVisible(!warning.isEmpty());
}

void SettingsDialog::setSettings(const ConsoleSettings &settings)
{
    const int index = m_provider->findData(int(settings.provider));
    m_provider->setCurrentIndex(index >= 0 ? index : m_provider->count() - 1);
    m_endpoint->setText(settings.endpoint);
    m_region->setText(settings.region);
    m_bucket->setText(settings.bucket);
    m_keyPrefix->setText(settings.keyPrefix);
    (settings.pathStyle ? m_pathStyle : m_virtualHosted)->setChecked(true);
    m_signatureVersion->setCurrentIndex(m_signatureVersion->findData(int(settings.signatureVersion)));
    providerChanged(); // before the part size: its minimum depends on the provider
    m_accessKeyId->setText(settings.accessKeyId);
    m_partSize->setValue(settings.partSizeMiB);
    m_parallelParts->setValue(settings.parallelParts);
    m_maxEpisodes->setValue(settings.maxConcurrentEpisodes);
    m_bandwidth->setValue(settings.bandwidthLimitMiBps);
    m_schedule->setText(settings.bandwidthSchedule);
    m_recordingLimit->setText(settings.recordingLimit);

    m_secretKey->clear();
    m_loadedSecret.clear();
    m_loadedKeyId = settings.accessKeyId;
    updateCredentialSource();
    const int generation = ++m_secretRead;
    if (settings.accessKeyId.isEmpty() || !m_keychainAvailable)
        return;
    m_store.readSecret(settings.accessKeyId,
        [this, guard = QPointer<SettingsDialog>(this), generation](const CredentialResult<QString> &result) {
            if (!guard || generation != m_secretRead)
                return;
            if (result) {
                m_loadedSecret = result.value();
                if (m_secretKey->text().isEmpty())
                    m_secretKey->setText(m_loadedSecret);
            } else if (result.error().kind == CredentialError::Kind::NoKeychain) {
                setKeychainAvailable(false);
            } else if (result.error().kind != CredentialError::Kind::NotFound) {
                m_status->setText(result.error().message);
            }
        });
}

void SettingsDialog::setCredentialLookup(CredentialLookup lookup)
{
    m_lookup = std::move(lookup);
    updateCredentialSource();
}

void SettingsDialog::updateCredentialSource()
{
    // Only for the id the dialog was opened with: what runs now. An id typed since has no source yet.
    const auto found = m_lookup ? m_lookup(m_loadedKeyId)
                                : Expected<ResolvedCredentials, CredentialLookupError>(
                                    CredentialLookupError{CredentialLookupError::Kind::NotFound, {}});
    m_credentialSource->setText(found ? tr("In use: %1").arg(found.value().description) : QString());
    m_credentialSource->setVisible(found.ok());
}

void SettingsDialog::setKeychainAvailable(bool available)
{
    m_keychainAvailable = available;
    m_keychainNote->setVisible(!available);
    if (available) {
        m_keychainNote->clear();
        m_secretKey->setPlaceholderText(tr("stored in the system keychain"));
        m_secretKey->setEnabled(true);
        return;
    }
    // Nowhere to keep a secret typed here: the field is off, the engine takes it from where a headless server does.
    m_keychainNote->setText(tr("No keychain on this system: the secret key is taken from the environment "
                               "(AWS_SECRET_ACCESS_KEY or OSS_ACCESS_KEY_SECRET) or from the credentials file "
                               "(--credentials-file, mode 0600), so it stays empty here."));
    m_secretKey->clear();
    m_secretKey->setPlaceholderText(tr("from the environment or the credentials file"));
    m_secretKey->setEnabled(false);
    m_loadedSecret.clear();
}

void SettingsDialog::setFixedSettings(const FixedSettings &fixed)
{
    m_fixed = fixed;
    applyFixed();
}

void SettingsDialog::applyFixed()
{
    using Field = FixedSettings::Field;
    const auto mark = [this](QWidget *widget, Field field) {
        const bool fixed = m_fixed.isFixed(field);
        widget->setToolTip(fixed ? m_fixed.explanation(field) : QString());
        auto *edit = qobject_cast<QLineEdit *>(widget);
        auto *spin = qobject_cast<QSpinBox *>(widget);
        if (!edit && !spin) {
            widget->setEnabled(!fixed);
            return;
        }
        // Read-only rather than disabled, so the value can still be selected and copied; greyed like disabled.
        if (edit)
            edit->setReadOnly(fixed);
        if (spin) {
            spin->setReadOnly(fixed);
            spin->setButtonSymbols(fixed ? QAbstractSpinBox::NoButtons : QAbstractSpinBox::UpDownArrows);
        }
        QPalette palette = QApplication::palette(widget);
        if (fixed) {
            palette.setColor(QPalette::Base, palette.color(QPalette::Window));
            palette.setColor(QPalette::Text, palette.color(QPalette::Disabled, QPalette::Text));
        }
        widget->setPalette(palette);
    };
    mark(m_provider, Field::Provider);
    mark(m_endpoint, Field::Endpoint);
    mark(m_region, Field::Region);
    mark(m_bucket, Field::Bucket);
    mark(m_keyPrefix, Field::KeyPrefix);
    mark(m_pathStyle, Field::Addressing);
    mark(m_virtualHosted, Field::Addressing);
    mark(m_accessKeyId, Field::Credentials);
    mark(m_secretKey, Field::Credentials);
    mark(m_partSize, Field::PartSize);
    mark(m_parallelParts, Field::ParallelParts);
    mark(m_maxEpisodes, Field::MaxConcurrentEpisodes);
    mark(m_bandwidth, Field::BandwidthLimit);
    mark(m_schedule, Field::BandwidthSchedule);
    mark(m_recordingLimit, Field::RecordingLimit);
    m_signatureVersion->setToolTip(m_fixed.isFixed(Field::SignatureVersion)
            ? m_fixed.explanation(Field::SignatureVersion)
            : tr("Alibaba Cloud OSS request signatures: V4, or V1 for older deployments."));
    providerChanged(); // the signature combo's state
    m_fixedNote->setText(m_fixed.summary());
    m_fixedNote->setVisible(!m_fixed.isEmpty());
}

QString SettingsDialog::fixedNoteText() const
{
    return m_fixedNote->isVisibleTo(this) ? m_fixedNote->text() : QString();
}

QString SettingsDialog::keychainNoteText() const
{
    return m_keychainNote->isVisibleTo(this) ? m_keychainNote->text() : QString();
}

SyncConfig SettingsDialog::configToApply(const SyncConfig &running) const
{
    SyncConfig config = running;
    settings().applyEditableTo(config, m_fixed);
    if (!m_fixed.isFixed(FixedSettings::Field::Credentials))
        config.credentials = m_accepted;
    return config;
}

ConsoleSettings SettingsDialog::settings() const
{
    ConsoleSettings settings;
    settings.provider = provider();
    settings.endpoint = m_endpoint->text().trimmed();
    settings.region = m_region->text().trimmed();
    settings.bucket = m_bucket->text().trimmed();
    settings.keyPrefix = m_keyPrefix->text().trimmed();
    settings.pathStyle = m_pathStyle->isChecked();
    // The combo is disabled but keeps its choice for other providers, which only sign one way.
    settings.signatureVersion = settings.provider == EndpointProfile::Provider::AlibabaOss
        ? EndpointProfile::SignatureVersion(m_signatureVersion->currentData().toInt())
        : EndpointProfile::SignatureVersion::V4;
    settings.accessKeyId = m_accessKeyId->text().trimmed();
    settings.partSizeMiB = m_partSize->value();
    settings.parallelParts = m_parallelParts->value();
    settings.maxConcurrentEpisodes = m_maxEpisodes->value();
    settings.bandwidthLimitMiBps = m_bandwidth->value();
    settings.bandwidthSchedule = m_schedule->text().simplified();
    settings.recordingLimit = m_recordingLimit->text().trimmed();
    return settings;
}

QString SettingsDialog::secretKey() const
{
    return m_secretKey->text();
}

void SettingsDialog::setApiInfo(const QString &listenUrl, const QByteArray &token)
{
    m_apiUrl->setText(listenUrl.isEmpty() ? tr("not running") : listenUrl);
    m_apiToken->setText(QString::fromLatin1(token));
    m_showToken->setEnabled(!token.isEmpty());
    m_copyToken->setEnabled(!token.isEmpty());
    m_regenerateToken->setEnabled(!token.isEmpty());
}

QString SettingsDialog::testResultText() const
{
    return m_testResult->text();
}

QString SettingsDialog::statusText() const
{
    return m_status->text();
}

QString SettingsDialog::validationError() const
{
    const ConsoleSettings entered = settings();
    if (const QString invalid = entered.profile().validationError(); !invalid.isEmpty())
        return invalid;
    if (entered.bucket.isEmpty())
        return tr("Enter a bucket name.");
    if (const auto schedule = BandwidthSchedule::parse(entered.bandwidthSchedule); !schedule)
        return tr("Bandwidth schedule: %1").arg(schedule.error().message);
    if (!entered.recordingLimit.isEmpty() && ByteSize::parse(entered.recordingLimit) < 0)
        return tr("Recording limit: enter a rate such as 5M, 0 to hold uploads, or nothing for automatic.");
    return {};
}

void SettingsDialog::testConnection()
{
    if (m_testing)
        return;
    const ConsoleSettings entered = settings();
    const EndpointProfile profile = entered.profile();
    if (const QString invalid = validationError(); !invalid.isEmpty()) {
        finishTest(false, invalid);
        return;
    }
    AwsCredentials credentials;
    credentials.accessKeyId = entered.accessKeyId.toUtf8();
    credentials.secretAccessKey = m_secretKey->text().toUtf8();
    if (credentials.secretAccessKey.isEmpty() && m_lookup) { // no keychain, or none stored: what the engine would use
        const auto found = m_lookup(entered.accessKeyId);
        if (found)
            credentials = found.value().credentials;
    }
    if (!credentials.isValid()) {
        finishTest(false,
            m_keychainAvailable ? tr("Enter the access key ID and the secret key.")
                                : tr("Enter the access key ID; no secret key for it was found in the environment or "
                                     "the credentials file."));
        return;
    }

    m_testing = true;
    m_testButton->setEnabled(false);
    m_testResult->setText(tr("Testing…"));

    // The worker owns its transport; the result comes back through QThread::finished, delivered queued to
    // this (GUI) thread. The thread deletes itself, so closing the dialog mid-test is safe.
    auto result = std::make_shared<StorageResult<void>>();
    QThread *thread = QThread::create([profile, credentials, bucket = entered.bucket, result] {
        TransportOptions options;
        options.caBundle = profile.caBundle;
        options.connectTimeoutMs = 10000;
        options.stallTimeoutSeconds = 15;
        CurlTransport transport(options);
        S3Client client(profile, credentials, transport);
        *result = client.headBucket(bucket);
        // A HEAD response has no body, so a refusal only says "403". Ask once more with a GET of an object that
        // does not exist: its error body names the reason (SignatureDoesNotMatch, InvalidAccessKeyId, ...).
        if (!*result && (result->error().httpStatus == 400 || result->error().httpStatus == 403)) {
            const StorageResult<QByteArray> probe
                = client.getObject(bucket, QStringLiteral(".keystone-connection-test"));
            if (!probe && probe.error().httpStatus == result->error().httpStatus)
                *result = probe.error();
        }
    });
    thread->setObjectName(QStringLiteral("settings-test-connection"));
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, result, bucket = entered.bucket] {
        if (*result)
            finishTest(true, tr("Connected: bucket \"%1\" is reachable with these credentials.").arg(bucket));
        else
            finishTest(false, result->error().toString());
    });
    thread->start();
}

void SettingsDialog::finishTest(bool ok, const QString &message)
{
    m_testing = false;
    m_testButton->setEnabled(!m_saving);
    m_testResult->setText(ok ? message : tr("Failed: %1").arg(message));
    QPalette palette = m_testResult->palette();
    palette.setColor(QPalette::WindowText, ok ? StateColors::success(palette) : StateColors::failure(palette));
    m_testResult->setPalette(palette);
    Q_EMIT connectionTested(ok, message);
}

void SettingsDialog::setBusy(bool busy)
{
    m_saving = busy;
    m_buttons->setEnabled(!busy);
    m_testButton->setEnabled(!busy && !m_testing);
}

void SettingsDialog::accept()
{
    if (m_saving)
        return;
    // A configuration the engine would refuse is neither saved nor applied.
    if (const QString invalid = validationError(); !invalid.isEmpty()) {
        m_status->setText(invalid);
        return;
    }
    if (m_fixed.isFixed(FixedSettings::Field::Credentials)) {
        saveAndClose(); // the running credentials stay (configToApply)
        return;
    }
    const QString keyId = m_accessKeyId->text().trimmed();
    const QString secret = m_keychainAvailable ? m_secretKey->text() : QString();
    const bool secretChanged = !secret.isEmpty() && (secret != m_loadedSecret || keyId != m_loadedKeyId);
    if (!secretChanged) {
        acceptWithoutNewSecret(keyId);
        return;
    }
    if (keyId.isEmpty()) {
        m_status->setText(tr("Enter the access key ID the secret key belongs to."));
        return;
    }
    setBusy(true);
    m_status->setText(tr("Saving the secret key in the keychain…"));
    m_store.writeSecret(keyId, secret,
        [this, guard = QPointer<SettingsDialog>(this), keyId, secret](const CredentialResult<void> &result) {
            if (!guard)
                return;
            setBusy(false);
            if (!result && result.error().kind == CredentialError::Kind::NoKeychain) {
                // Found out only now (a bus without a secret service): say where the secret comes from instead; the
                // next OK goes that way.
                setKeychainAvailable(false);
                m_status->setText(tr("The secret key was not saved: there is no keychain on this system."));
                return;
            }
            if (!result) {
                m_status->setText(tr("The secret key was not saved: %1").arg(result.error().message));
                return;
            }
            m_loadedSecret = secret;
            m_loadedKeyId = keyId;
            m_accepted = AwsCredentials{keyId.toUtf8(), secret.toUtf8(), {}};
            saveAndClose();
        });
}

void SettingsDialog::acceptWithoutNewSecret(const QString &keyId)
{
    const QString shown = m_keychainAvailable ? m_secretKey->text() : QString();
    if (!m_keychainAvailable || keyId.isEmpty() || keyId == m_loadedKeyId) {
        acceptWithLookup(keyId, shown);
        return;
    }
    // Another access key id and no secret typed: the keychain may hold one for it (keystone-console credentials set).
    setBusy(true);
    m_store.readSecret(
        keyId, [this, guard = QPointer<SettingsDialog>(this), keyId, shown](const CredentialResult<QString> &result) {
            if (!guard)
                return;
            setBusy(false);
            if (result) {
                m_accepted = AwsCredentials{keyId.toUtf8(), result.value().toUtf8(), {}};
                saveAndClose();
                return;
            }
            if (result.error().kind == CredentialError::Kind::NoKeychain)
                setKeychainAvailable(false);
            acceptWithLookup(keyId, shown);
        });
}

void SettingsDialog::acceptWithLookup(const QString &keyId, const QString &shownSecret)
{
    if (!m_lookup) { // nobody to ask: what the dialog shows is all there is
        m_accepted = AwsCredentials{keyId.toUtf8(), shownSecret.toUtf8(), {}};
        saveAndClose();
        return;
    }
    const auto found = m_lookup(keyId);
    if (!found) {
        m_status->setText(found.error().message); // the engine would have no credentials: say which are missing
        return;
    }
    m_accepted = found.value().credentials;
    saveAndClose();
}

void SettingsDialog::saveAndClose()
{
    // Fixed values are the command line's or the config file's, not the user's: the saved ones stay for a start
    // without them.
    QSettings store;
    ConsoleSettings kept = ConsoleSettings::load(store);
    kept.takeEditable(settings(), m_fixed);
    kept.save(store);
    store.sync();
    m_status->clear();
    Q_EMIT saved();
    QDialog::accept();
}

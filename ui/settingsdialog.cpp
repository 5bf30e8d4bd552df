#include "settingsdialog.h"

#include "apipage.h"
#include "config/credentialresolver.h"
#include "config/credentialstore.h"
#include "core/bytesize.h"
#include "credentialspage.h"
#include "settingsfield.h"
#include "storagepage.h"
#include "sync/connectionprobe.h"
#include "uploadspage.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProcessEnvironment>
#include <QSettings>
#include <QVBoxLayout>

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
    m_storage = new StoragePage(this);
    m_credentials = new CredentialsPage(this);
    connect(m_credentials, &CredentialsPage::testRequested, this, &SettingsDialog::testConnection);
    m_uploads = new UploadsPage(m_storage->provider(), this);
    connect(m_storage, &StoragePage::providerChanged, m_uploads, &UploadsPage::setProvider);
    m_api = new ApiPage(this);
    connect(m_api, &ApiPage::tokenRegenerationRequested, this, &SettingsDialog::tokenRegenerationRequested);

    m_status = SettingsField::note(this, "status");
    m_fixedNote = SettingsField::note(this, "fixedNote");
    m_fixedNote->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *columns = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(m_storage);
    left->addWidget(m_credentials);
    left->addStretch();
    auto *right = new QVBoxLayout;
    right->addWidget(m_uploads);
    right->addWidget(m_api);
    right->addStretch();
    columns->addLayout(left, 3);
    columns->addLayout(right, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_fixedNote);
    layout->addLayout(columns);
    // Full width: wrapped in a column, these would squeeze the rows above them (a dialog sizes to its hint).
    layout->addWidget(m_credentials->keychainNote());
    layout->addWidget(m_credentials->credentialSource());
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
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
    m_storage->applyPreset(provider);
}

QString SettingsDialog::endpointPlaceholder(EndpointProfile::Provider provider)
{
    return StoragePage::endpointPlaceholder(provider);
}

void SettingsDialog::setSettings(const ConsoleSettings &settings)
{
    m_storage->load(settings); // before the part size: its minimum depends on the provider
    m_credentials->load(settings);
    m_uploads->load(settings);

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
                m_credentials->showStoredSecret(m_loadedSecret);
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
    m_credentials->showCredentialSource(found ? std::optional(found.value().description) : std::nullopt);
}

void SettingsDialog::setKeychainAvailable(bool available)
{
    m_keychainAvailable = available;
    m_credentials->setKeychainAvailable(available);
    if (!available)
        m_loadedSecret.clear();
}

void SettingsDialog::setFixedSettings(const FixedSettings &fixed)
{
    m_fixed = fixed;
    applyFixed();
}

void SettingsDialog::applyFixed()
{
    m_storage->setFixed(m_fixed);
    m_credentials->setFixed(m_fixed);
    m_uploads->setFixed(m_fixed);
    m_fixedNote->setText(m_fixed.summary());
    m_fixedNote->setVisible(!m_fixed.isEmpty());
}

QString SettingsDialog::fixedNoteText() const
{
    return m_fixedNote->isVisibleTo(this) ? m_fixedNote->text() : QString();
}

QString SettingsDialog::keychainNoteText() const
{
    QLabel *note = m_credentials->keychainNote();
    return note->isVisibleTo(this) ? note->text() : QString();
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
    m_storage->save(settings);
    m_credentials->save(settings);
    m_uploads->save(settings);
    return settings;
}

QString SettingsDialog::secretKey() const
{
    return m_credentials->secretKey();
}

void SettingsDialog::setApiInfo(const QString &listenUrl, const QByteArray &token)
{
    m_api->setApiInfo(listenUrl, token);
}

QString SettingsDialog::testResultText() const
{
    return m_credentials->testResultText();
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

AwsCredentials SettingsDialog::credentialsToTest(const QString &keyId) const
{
    AwsCredentials credentials;
    credentials.accessKeyId = keyId.toUtf8();
    credentials.secretAccessKey = m_credentials->secretKey().toUtf8();
    if (credentials.secretAccessKey.isEmpty() && m_lookup) { // no keychain, or none stored: what the engine would use
        const auto found = m_lookup(keyId);
        if (found)
            credentials = found.value().credentials;
    }
    return credentials;
}

void SettingsDialog::testConnection()
{
    if (m_probe)
        return;
    const ConsoleSettings entered = settings();
    if (const QString invalid = validationError(); !invalid.isEmpty()) {
        finishTest(false, invalid);
        return;
    }
    const AwsCredentials credentials = credentialsToTest(entered.accessKeyId);
    if (!credentials.isValid()) {
        finishTest(false,
            m_keychainAvailable ? tr("Enter the access key ID and the secret key.")
                                : tr("Enter the access key ID; no secret key for it was found in the environment or "
                                     "the credentials file."));
        return;
    }
    // A child of the dialog: closing the dialog mid-test drops the answer (the probe's thread finishes alone).
    m_probe = new ConnectionProbe(entered.profile(), credentials, entered.bucket, this);
    connect(m_probe, &ConnectionProbe::finished, this, &SettingsDialog::finishTest);
    m_credentials->showTesting();
    m_probe->start();
}

void SettingsDialog::finishTest(bool ok, const QString &message)
{
    if (m_probe) {
        m_probe->deleteLater();
        m_probe = nullptr;
    }
    m_credentials->setTestEnabled(!m_saving);
    m_credentials->showTestResult(ok, message);
    Q_EMIT connectionTested(ok, message);
}

void SettingsDialog::setBusy(bool busy)
{
    m_saving = busy;
    m_buttons->setEnabled(!busy);
    m_credentials->setTestEnabled(!busy && !isTesting());
}

// OK: the credentials are settled before anything is saved, and the dialog closes only once they are.
//
//   OK ─┬─ invalid values ─────────────────────────────────────────► stays open, says why
//       ├─ credentials fixed ──────────────────────────────────────► save, close
//       ├─ a new secret typed ─► keychain write ─┬─ ok ─────────────► save, close
//       │                                        └─ failed ─────────► stays open, says why
//       └─ no new secret ─► keychain (another id) ─┬─ found ────────► save, close
//                                                  └─ lookup ─┬─ found ► save, close
//                                                             └─ none ─► stays open, says which are missing
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
    const QString keyId = m_credentials->accessKeyId();
    const QString secret = m_keychainAvailable ? m_credentials->secretKey() : QString();
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
    const QString shown = m_keychainAvailable ? m_credentials->secretKey() : QString();
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

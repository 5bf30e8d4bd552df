#pragma once

#include "consolesettings.h"
#include "credentiallookup.h"
#include "fixedsettings.h"

#include <QDialog>

class CredentialStore;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSettings;
class QSpinBox;
struct StorageError;

// Storage, credentials, limits and API details. It shows the configuration in force (setSettings() with
// ConsoleSettings::fromConfig()); the values the command line or config file fixed (setFixedSettings()) are
// read-only, with a note naming the options. Saving writes the other values to QSettings (groups "Storage" and
// "Sync", see ConsoleSettings); the secret key goes to the keychain through CredentialStore only. The app applies
// configToApply() to the running engine.
// "Test connection" runs a real HeadBucket with the values as entered, on a worker thread (its own
// CurlTransport); the GUI thread never waits. Accepting writes the secret (when it was changed) first and closes
// only once the keychain confirmed; a keychain error stays in the dialog.
// Without a keychain (no session bus or secret service) the secret field is off and a note says where the secret
// comes from instead: the environment or the credentials file, through the app's CredentialLookup. OK closes as long
// as that finds credentials for the access key id; a configuration the engine could not run stays in the dialog
// with the reason.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    // store: where the secret key is read from and written to; must outlive the dialog.
    explicit SettingsDialog(CredentialStore &store, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    // The app starts from this: saved settings applied to a default SyncConfig (no secret, no dataDir).
    static SyncConfig loadConfig(QSettings &settings);

    void setSettings(const ConsoleSettings &settings); // also reads the stored secret for its access key id
    ConsoleSettings settings() const; // the values as entered
    QString secretKey() const;
    // The values the command line or config file fixed: read-only, explained in a tooltip and one note line.
    void setFixedSettings(const FixedSettings &fixed);
    const FixedSettings &fixedSettings() const { return m_fixed; }
    // Where credentials come from when the dialog holds no secret (see CredentialLookup). Set before setSettings().
    void setCredentialLookup(CredentialLookup lookup);
    bool keychainAvailable() const { return m_keychainAvailable; }
    // running with the accepted values applied: the fixed ones stay, the credentials are those entered (and saved
    // in the keychain) or, without a new secret, what the lookup found (the running ones while the id is unchanged).
    // Valid once saved() was emitted.
    SyncConfig configToApply(const SyncConfig &running) const;

    // Shown read-only: where the local API listens and its bearer token (empty: API not running).
    void setApiInfo(const QString &listenUrl, const QByteArray &token);

    // Fills endpoint, region and addressing style with the provider's defaults.
    void applyPreset(EndpointProfile::Provider provider);
    static QString endpointPlaceholder(EndpointProfile::Provider provider);
    // What the values as entered fail on (EndpointProfile::validationError(), or a missing bucket); empty when fine.
    QString validationError() const;

    void testConnection();
    bool isTesting() const { return m_testing; }
    QString testResultText() const; // the last test's outcome in words
    QString statusText() const; // keychain messages, why OK did not close
    QString fixedNoteText() const; // the line about fixed values (empty: none)
    QString keychainNoteText() const; // the line about a missing keychain (empty: there is one)

    void accept() override;

protected:
    bool event(QEvent *event) override;

Q_SIGNALS:
    void connectionTested(bool ok, const QString &message);
    void saved(); // settings written (QSettings and keychain); emitted right before the dialog closes
    void tokenRegenerationRequested(); // the app replaces the token and calls setApiInfo() again

private:
    void createWidgets();
    EndpointProfile::Provider provider() const;
    void providerChanged(); // the controls that depend on the provider: signature, part-size minimum
    void endpointEdited(); // an OSS, B2 or Wasabi endpoint names its region
    void showEndpointWarning(); // plain http:// to another machine (PlainTextEndpoint)
    void finishTest(bool ok, const QString &message);
    // Without a newly entered secret: the keychain's for a changed id, else the lookup's; then saveAndClose().
    void acceptWithoutNewSecret(const QString &keyId);
    void acceptWithLookup(const QString &keyId, const QString &shownSecret);
    void saveAndClose();
    void setBusy(bool busy);
    void setKeychainAvailable(bool available);
    void updateCredentialSource(); // the note of where the secret comes from
    void applyFixed(); // read-only widgets for m_fixed

    CredentialStore &m_store;
    QComboBox *m_provider = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_region = nullptr;
    QLineEdit *m_bucket = nullptr;
    QLineEdit *m_keyPrefix = nullptr;
    QRadioButton *m_pathStyle = nullptr;
    QRadioButton *m_virtualHosted = nullptr;
    QComboBox *m_signatureVersion = nullptr;
    QLineEdit *m_accessKeyId = nullptr;
    QLineEdit *m_secretKey = nullptr;
    QSpinBox *m_partSize = nullptr;
    QSpinBox *m_parallelParts = nullptr;
    QSpinBox *m_maxEpisodes = nullptr;
    QSpinBox *m_bandwidth = nullptr;
    QLineEdit *m_schedule = nullptr;
    QLineEdit *m_recordingLimit = nullptr;
    QLineEdit *m_apiUrl = nullptr;
    QLineEdit *m_apiToken = nullptr;
    QPushButton *m_showToken = nullptr;
    QPushButton *m_copyToken = nullptr;
    QPushButton *m_regenerateToken = nullptr;
    QPushButton *m_testButton = nullptr;
    QLabel *m_endpointWarning = nullptr;
    QLabel *m_testResult = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_fixedNote = nullptr;
    QLabel *m_keychainNote = nullptr;
    QLabel *m_credentialSource = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    FixedSettings m_fixed;
    CredentialLookup m_lookup;
    AwsCredentials m_accepted; // the credentials OK settled on (configToApply)
    bool m_keychainAvailable = true;
    QString m_loadedSecret; // what the keychain held when the dialog opened (to write only on change)
    QString m_loadedKeyId;
    bool m_testing = false;
    bool m_saving = false;
    int m_secretRead = 0; // generation of the secret read in flight (a newer setSettings wins)
};

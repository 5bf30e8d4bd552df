#pragma once

#include "consolesettings.h"
#include "credentiallookup.h"
#include "fixedsettings.h"

#include <QDialog>

class ApiPage;
class ConnectionProbe;
class CredentialStore;
class CredentialsPage;
class QDialogButtonBox;
class QLabel;
class QSettings;
class StoragePage;
class UploadsPage;

// Storage, credentials, limits and API details. It shows the configuration in force (setSettings() with
// ConsoleSettings::fromConfig()); the values the command line or config file fixed (setFixedSettings()) are
// read-only, with a note naming the options. Saving writes the other values to QSettings (groups "Storage" and
// "Sync", see ConsoleSettings); the secret key goes to the keychain through CredentialStore only. The app applies
// configToApply() to the running engine.
// One page per section (StoragePage, CredentialsPage, UploadsPage, ApiPage); the dialog assembles them and owns what
// spans them: validation, the keychain, the fixed values, saving.
// "Test connection" runs a real HeadBucket with the values as entered (ConnectionProbe, off the GUI thread); the GUI
// thread never waits. Accepting writes the secret (when it was changed) first and closes
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
    bool isTesting() const { return m_probe != nullptr; }
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
    void finishTest(bool ok, const QString &message);
    // The credentials "Test connection" uses: as entered, else what the engine would use; invalid when none.
    [[nodiscard]] AwsCredentials credentialsToTest(const QString &keyId) const;
    // Without a newly entered secret: the keychain's for a changed id, else the lookup's; then saveAndClose().
    void acceptWithoutNewSecret(const QString &keyId);
    void acceptWithLookup(const QString &keyId, const QString &shownSecret);
    void saveAndClose();
    void setBusy(bool busy);
    void setKeychainAvailable(bool available);
    void updateCredentialSource(); // the note of where the secret comes from
    void applyFixed(); // read-only widgets for m_fixed

    CredentialStore &m_store;
    StoragePage *m_storage = nullptr;
    CredentialsPage *m_credentials = nullptr;
    UploadsPage *m_uploads = nullptr;
    ApiPage *m_api = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_fixedNote = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    ConnectionProbe *m_probe = nullptr; // while testing

    FixedSettings m_fixed;
    CredentialLookup m_lookup;
    AwsCredentials m_accepted; // the credentials OK settled on (configToApply)
    bool m_keychainAvailable = true;
    QString m_loadedSecret; // what the keychain held when the dialog opened (to write only on change)
    QString m_loadedKeyId;
    bool m_saving = false;
    int m_secretRead = 0; // generation of the secret read in flight (a newer setSettings wins)
};

#pragma once

#include "consolesettings.h"

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

// Storage, credentials, limits and API details. Non-secret values load from and save to QSettings (groups
// "Storage" and "Sync", see ConsoleSettings); the secret key goes to the keychain through CredentialStore only.
// "Test connection" runs a real HeadBucket with the values as entered, on a worker thread (its own
// CurlTransport); the GUI thread never waits. Accepting writes the secret (when it was changed) first and closes
// only once the keychain confirmed; a keychain error stays in the dialog.
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

    // Shown read-only: where the local API listens and its bearer token (empty: API not running).
    void setApiInfo(const QString &listenUrl, const QByteArray &token);

    // Fills endpoint, region and addressing style with the provider's defaults.
    void applyPreset(EndpointProfile::Provider provider);
    // What the values as entered fail on (EndpointProfile::validationError(), or a missing bucket); empty when fine.
    QString validationError() const;

    void testConnection();
    bool isTesting() const { return m_testing; }
    QString testResultText() const; // the last test's outcome in words
    QString statusText() const; // keychain messages

    void accept() override;

Q_SIGNALS:
    void connectionTested(bool ok, const QString &message);
    void saved(); // settings written (QSettings and keychain); emitted right before the dialog closes
    void tokenRegenerationRequested(); // the app replaces the token and calls setApiInfo() again

private:
    void createWidgets();
    EndpointProfile::Provider provider() const;
    void providerChanged(); // the controls that depend on the provider: signature, part-size minimum
    void endpointEdited(); // an OSS endpoint names its region
    void finishTest(bool ok, const QString &message);
    void saveAndClose();
    void setBusy(bool busy);

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
    QLineEdit *m_apiUrl = nullptr;
    QLineEdit *m_apiToken = nullptr;
    QPushButton *m_showToken = nullptr;
    QPushButton *m_copyToken = nullptr;
    QPushButton *m_regenerateToken = nullptr;
    QPushButton *m_testButton = nullptr;
    QLabel *m_testResult = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    QString m_loadedSecret; // what the keychain held when the dialog opened (to write only on change)
    QString m_loadedKeyId;
    bool m_testing = false;
    bool m_saving = false;
    int m_secretRead = 0; // generation of the secret read in flight (a newer setSettings wins)
};

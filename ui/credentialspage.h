#pragma once

#include "consolesettings.h"
#include "fixedsettings.h"

#include <QGroupBox>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

// Settings, "Credentials": the access key id, the secret key (kept in the keychain, never in QSettings) and "Test
// connection" with its result. Two notes belong to it but span the dialog's width (the dialog places them):
// keychainNote() when there is no keychain, credentialSource() for where the running secret comes from.
// The page only shows: the dialog reads and writes the keychain and runs the test (ConnectionProbe).
class CredentialsPage : public QGroupBox
{
    Q_OBJECT

public:
    explicit CredentialsPage(QWidget *parent = nullptr);

    void load(const ConsoleSettings &settings); // the access key id; the secret field is cleared
    void save(ConsoleSettings &settings) const; // the access key id as entered
    void setFixed(const FixedSettings &fixed);

    [[nodiscard]] QString accessKeyId() const; // trimmed
    [[nodiscard]] QString secretKey() const;
    // The keychain's secret, unless one was typed already.
    void showStoredSecret(const QString &secret);
    // Without a keychain the secret field is off and the note says where the secret comes from instead.
    void setKeychainAvailable(bool available);
    void showCredentialSource(const std::optional<QString> &description); // none known: hidden

    void setTestEnabled(bool enabled);
    void showTesting();
    void showTestResult(bool ok, const QString &message);
    [[nodiscard]] QString testResultText() const;

    [[nodiscard]] QLabel *keychainNote() const { return m_keychainNote; }
    [[nodiscard]] QLabel *credentialSource() const { return m_credentialSource; }

Q_SIGNALS:
    void testRequested();

private:
    QLineEdit *m_accessKeyId = nullptr;
    QLineEdit *m_secretKey = nullptr;
    QPushButton *m_testButton = nullptr;
    QLabel *m_testResult = nullptr;
    QLabel *m_keychainNote = nullptr;
    QLabel *m_credentialSource = nullptr;
};

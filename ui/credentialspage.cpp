#include "credentialspage.h"

#include "settingsfield.h"
#include "statecolors.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPushButton>

CredentialsPage::CredentialsPage(QWidget *parent)
    : QGroupBox(tr("Credentials"), parent)
{
    m_accessKeyId = SettingsField::lineEdit(this, "accessKeyId");
    m_secretKey = SettingsField::lineEdit(this, "secretKey");
    m_secretKey->setEchoMode(QLineEdit::Password);
    m_secretKey->setPlaceholderText(tr("stored in the system keychain"));
    m_testButton = new QPushButton(tr("&Test connection"), this);
    m_testButton->setObjectName(QStringLiteral("testConnection"));
    connect(m_testButton, &QPushButton::clicked, this, &CredentialsPage::testRequested);
    m_testResult = SettingsField::note(this, "testResult");
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton);
    testRow->addWidget(m_testResult, 1);

    m_keychainNote = SettingsField::note(this, "keychainNote");
    m_keychainNote->hide();
    m_credentialSource = SettingsField::note(this, "credentialSource");
    m_credentialSource->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_credentialSource->hide();

    auto *form = new QFormLayout(this);
    form->addRow(tr("Access &key ID:"), m_accessKeyId);
    form->addRow(tr("&Secret key:"), m_secretKey);
    form->addRow(testRow);
}

void CredentialsPage::load(const ConsoleSettings &settings)
{
    m_accessKeyId->setText(settings.accessKeyId);
    m_secretKey->clear();
}

void CredentialsPage::save(ConsoleSettings &settings) const
{
    settings.accessKeyId = accessKeyId();
}

void CredentialsPage::setFixed(const FixedSettings &fixed)
{
    SettingsField::markFixed(m_accessKeyId, fixed, FixedSettings::Field::Credentials);
    SettingsField::markFixed(m_secretKey, fixed, FixedSettings::Field::Credentials);
}

QString CredentialsPage::accessKeyId() const
{
    return m_accessKeyId->text().trimmed();
}

QString CredentialsPage::secretKey() const
{
    return m_secretKey->text();
}

void CredentialsPage::showStoredSecret(const QString &secret)
{
    if (m_secretKey->text().isEmpty())
        m_secretKey->setText(secret);
}

void CredentialsPage::setKeychainAvailable(bool available)
{
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
}

void CredentialsPage::showCredentialSource(const std::optional<QString> &description)
{
    m_credentialSource->setText(description ? tr("In use: %1").arg(*description) : QString());
    m_credentialSource->setVisible(description.has_value());
}

void CredentialsPage::setTestEnabled(bool enabled)
{
    m_testButton->setEnabled(enabled);
}

void CredentialsPage::showTesting()
{
    m_testButton->setEnabled(false);
    m_testResult->setText(tr("Testing…"));
}

void CredentialsPage::showTestResult(bool ok, const QString &message)
{
    m_testResult->setText(ok ? message : tr("Failed: %1").arg(message));
    QPalette palette = m_testResult->palette();
    palette.setColor(QPalette::WindowText, ok ? StateColors::success(palette) : StateColors::failure(palette));
    m_testResult->setPalette(palette);
}

QString CredentialsPage::testResultText() const
{
    return m_testResult->text();
}

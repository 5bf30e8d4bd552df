#include "settingscontrol.h"

#include "config/credentialstore.h"
#include "settingsdialog.h"
#include "sync/syncengine.h"

#include <QWidget>

SettingsControl::SettingsControl(SyncEngine &engine, QWidget *window)
    : QObject(window)
    , m_engine(engine)
    , m_window(window)
    , m_credentials(new CredentialStore(this))
{ }

void SettingsControl::setApiInfo(const QString &listenUrl, const QByteArray &token)
{
    m_apiUrl = listenUrl;
    m_apiToken = token;
    if (m_dialog)
        m_dialog->setApiInfo(listenUrl, token);
}

void SettingsControl::open()
{
    auto *dialog = new SettingsDialog(*m_credentials, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFixedSettings(m_fixed);
    dialog->setCredentialLookup(m_lookup);
    dialog->setSettings(ConsoleSettings::fromConfig(m_engine.config())); // what runs, not what was saved
    dialog->setApiInfo(m_apiUrl, m_apiToken);
    connect(dialog, &SettingsDialog::saved, this,
        [this, dialog] { Q_EMIT settingsChanged(dialog->configToApply(m_engine.config())); });
    connect(dialog, &SettingsDialog::tokenRegenerationRequested, this, &SettingsControl::apiTokenRegenerationRequested);
    m_dialog = dialog;
    dialog->open();
}

#pragma once

#include "credentiallookup.h"
#include "fixedsettings.h"
#include "sync/syncconfig.h"

#include <QObject>
#include <QPointer>

class CredentialStore;
class SettingsDialog;
class SyncEngine;
class QWidget;

// The window's side of the settings: opens SettingsDialog on the configuration in force with what the app told it
// (the fixed values, where credentials come from, the API's address and token), keeps an open dialog's API section
// current, and passes an accepted dialog's configuration on. It applies nothing itself: the app does
// (SyncEngine::applyConfig), so the window and the headless server change settings the same way.
class SettingsControl : public QObject
{
    Q_OBJECT

public:
    // window: the dialog's parent; engine: what runs (must outlive this).
    SettingsControl(SyncEngine &engine, QWidget *window);

    // What the dialog shows in its API section (empty: API not running); an open dialog follows.
    void setApiInfo(const QString &listenUrl, const QByteArray &token);
    [[nodiscard]] QString apiUrl() const { return m_apiUrl; }
    // What the dialog marks read-only, and where it finds credentials it holds no secret for.
    void setFixedSettings(const FixedSettings &fixed) { m_fixed = fixed; }
    void setCredentialLookup(CredentialLookup lookup) { m_lookup = std::move(lookup); }
    // Opens the dialog on the configuration in force; settingsChanged() follows when it was accepted.
    void open();

Q_SIGNALS:
    // QSettings and the keychain hold the new values; config is the configuration in force with them applied.
    void settingsChanged(const SyncConfig &config);
    void apiTokenRegenerationRequested();

private:
    SyncEngine &m_engine;
    QWidget *m_window;
    CredentialStore *m_credentials;
    QString m_apiUrl;
    QByteArray m_apiToken;
    QPointer<SettingsDialog> m_dialog; // while open, it shows what setApiInfo() is given
    FixedSettings m_fixed;
    CredentialLookup m_lookup;
};

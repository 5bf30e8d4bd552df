#pragma once

#include "closequestion.h"
#include "credentiallookup.h"
#include "fixedsettings.h"
#include "sync/syncconfig.h"

#include <QMainWindow>

struct EngineChanges;
class EngineBanners;
class EpisodeActions;
class EpisodeDetailsPane;
class EpisodeFilterProxyModel;
class EpisodeLogDock;
class EpisodeTableModel;
class EpisodeTableView;
class MainWindowActions;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class SettingsControl;
class SyncEngine;

// The desktop console: the episode table (sortable, filterable by status and text), the actions on the selected
// episodes (toolbar, context menu, shortcuts), a status bar with counts and throughput, and a dock with the
// selected episode's sync log. Every engine call is asynchronous; the window never waits on disk or network.
// The engine is owned by the caller and must outlive the window.
// The window builds the table and the docks and wires its parts: the actions (MainWindowActions: menus, tool bar,
// enabled states), what they do on episodes (EpisodeActions) and the settings (SettingsControl).
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(SyncEngine &engine, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Registers each path (a file or a folder) as an episode named after it. The one way in for the file and
    // folder dialogs and for drag-and-drop.
    void addEpisodes(const QStringList &paths);

    QList<qint64> selectedIds() const;
    EpisodeTableModel *episodeModel() const { return m_model; }
    EpisodeFilterProxyModel *proxyModel() const { return m_proxy; }
    QTableView *tableView() const;
    EpisodeLogDock *logDock() const { return m_logDock; }
    EpisodeDetailsPane *detailsPane() const { return m_detailsPane; }
    void saveSettings() const; // geometry, dock layout, column widths, sort order

    // What the settings dialog shows in its API section (the app knows it; empty: API not running).
    void setApiInfo(const QString &listenUrl, const QByteArray &token);
    // What the settings dialog marks read-only, and where it finds credentials it holds no secret for (the app).
    void setFixedSettings(const FixedSettings &fixed);
    void setCredentialLookup(CredentialLookup lookup);
    // Opens the settings dialog (the "Settings…" action) on the configuration in force; settingsChanged() follows
    // when it was accepted.
    void openSettings();
    // Whether closing the window can keep the console running in the tray (the app knows: TrayStatus exists).
    void setTrayAvailable(bool available) { m_trayAvailable = available; }

    // What closing the window while uploads run does, once the operator chose it with "Remember my choice".
    using CloseChoice = CloseQuestion::Choice;
    static CloseChoice rememberedCloseChoice();

Q_SIGNALS:
    void commandFailed(const QString &message); // an engine command was refused (also shown in the status bar)
    // The settings dialog was accepted: QSettings and the keychain hold the new values, config is the configuration
    // in force with them applied (SettingsDialog::configToApply). The window applies nothing itself; the app does
    // (SyncEngine::applyConfig). The title follows the engine's configChanged().
    void settingsChanged(const SyncConfig &config);
    // The user asked for a new API token in the settings; the app replaces it and calls setApiInfo().
    void apiTokenRegenerationRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void connectActions();
    void createViewMenu();
    QWidget *createFilterBar();
    void createTable();
    void createStatusBar();
    void restoreSettings();
    void quit(); // File → Quit: closes without offering the tray

    void showAbout();
    void showHelp();
    void showMessage(const QString &text); // in the status bar, for a while
    bool uploadsRunning() const;
    void applyCloseChoice(CloseChoice choice);
    void showContextMenu(const QPoint &position);

    void updateActions();
    void updateSummary();
    void showEngineSummary(const EngineChanges &changes); // pause-all, the storage's health, the throttle
    void updateRecordingToggle(); // the toolbar toggle shows the engine's throttle (EngineBanners, the banner)
    void setRecording(bool on); // the toggle: a command to the engine
    void selectionChanged();

    SyncEngine &m_engine;
    EpisodeTableModel *m_model = nullptr;
    EpisodeFilterProxyModel *m_proxy = nullptr;
    EpisodeTableView *m_view = nullptr;
    EpisodeLogDock *m_logDock = nullptr;
    EpisodeDetailsPane *m_detailsPane = nullptr; // tabified with the log dock
    QComboBox *m_stateFilter = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_summary = nullptr;
    EngineBanners *m_banners = nullptr; // the storage's state and recording mode, above the table
    MainWindowActions *m_actions = nullptr;
    EpisodeActions *m_episodeActions = nullptr;
    SettingsControl *m_settings = nullptr;
    bool m_trayAvailable = false;
    bool m_closeConfirmed = false; // the operator chose to quit: the next close goes through
    bool m_quitRequested = false; // while File → Quit closes the window
};

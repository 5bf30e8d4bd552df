#pragma once

#include "credentiallookup.h"
#include "episodecommand.h"
#include "fixedsettings.h"
#include "sync/storagehealth.h"
#include "sync/syncconfig.h"
#include "sync/throttlestate.h"

#include <QMainWindow>
#include <QPointer>

class CredentialStore;
class EpisodeDetailsPane;
class EpisodeFilterProxyModel;
class EpisodeLogDock;
class EpisodeTableModel;
class EpisodeTableView;
class NoticeBanner;
class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class SettingsDialog;
class SyncEngine;
struct EpisodeRecord;
struct EpisodeStatus;
struct SyncError;

// The desktop console: the episode table (sortable, filterable by status and text), the actions on the selected
// episodes (toolbar, context menu, shortcuts), a status bar with counts and throughput, and a dock with the
// selected episode's sync log. Every engine call is asynchronous; the window never waits on disk or network.
// The engine is owned by the caller and must outlive the window.
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
    // The banner above the table while the storage is not ok (empty when it is).
    static QString storageBannerText(const StorageHealth &health);
    // The banner above the table in recording mode (empty otherwise).
    static QString recordingBannerText(const ThrottleState &state);
    EpisodeLogDock *logDock() const { return m_logDock; }
    EpisodeDetailsPane *detailsPane() const { return m_detailsPane; }
    void saveSettings() const; // geometry, dock layout, column widths, sort order

    // What the settings dialog shows in its API section (the app knows it; empty: API not running).
    void setApiInfo(const QString &listenUrl, const QByteArray &token);
    // What the settings dialog marks read-only, and where it finds credentials it holds no secret for (the app).
    void setFixedSettings(const FixedSettings &fixed) { m_fixedSettings = fixed; }
    void setCredentialLookup(CredentialLookup lookup) { m_credentialLookup = std::move(lookup); }
    // Opens the settings dialog (the "Settings…" action) on the configuration in force; settingsChanged() follows
    // when it was accepted.
    void openSettings();
    // Whether closing the window can keep the console running in the tray (the app knows: TrayStatus exists).
    void setTrayAvailable(bool available) { m_trayAvailable = available; }

    // What closing the window while uploads run does, once the operator chose it with "Remember my choice".
    enum class CloseChoice { Ask, KeepInTray, Quit };
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
    void createActions();
    void createMenus();
    void createToolBar();
    QWidget *createFilterBar();
    void createTable();
    void createStatusBar();
    void restoreSettings();
    QAction *addAction(const QString &name, const QString &text, const QKeySequence &shortcut, int standardIcon);

    void addFiles();
    void addFolder();
    void syncSelected();
    void pauseSelected();
    void resumeSelected();
    void retrySelected();
    void rescanSelected();
    void moveSelectedToTop(); // priority above every other pending episode
    void cancelSelected();
    void cancelSelectedNow();
    void removeSelected();
    void removeSelectedNow();
    void showAbout();
    void showHelp();
    bool uploadsRunning() const;
    void askHowToClose(bool offerTray);
    void applyCloseChoice(CloseChoice choice);
    void openLocalFolders();
    void copyObjectUrls();
    void showContextMenu(const QPoint &position);

    // Runs an engine command (enqueue, retry, cancel, …) on every selected episode it applies to (EpisodeCommand)
    // and reports one summary for the selection: done, skipped by state, failed (CommandTally).
    template <typename Command>
    void runOnSelected(EpisodeCommand which, Command command, const QString &doneFormat);
    void reportSummary(const QString &summary, bool anyFailed);
    QList<EpisodeRecord> selectedRecords() const;
    void updateActions();
    void updateSummary();
    void updateStorageBanner();
    void updateRecording(); // the banner and the toolbar toggle from the engine's throttle
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
    NoticeBanner *m_storageBanner = nullptr; // hidden while the storage is ok
    NoticeBanner *m_recordingBanner = nullptr; // hidden while not recording

    QAction *m_addFiles = nullptr;
    QAction *m_addFolder = nullptr;
    QAction *m_sync = nullptr;
    QAction *m_pauseEpisode = nullptr;
    QAction *m_resumeEpisode = nullptr;
    QAction *m_retry = nullptr;
    QAction *m_rescan = nullptr;
    QAction *m_moveToTop = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_remove = nullptr;
    QAction *m_pauseAll = nullptr;
    QAction *m_recording = nullptr; // checkable: recording mode on or off
    QAction *m_resumeAll = nullptr;
    QAction *m_openFolder = nullptr;
    QAction *m_copyUrl = nullptr;
    QAction *m_settings = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_help = nullptr;
    QAction *m_about = nullptr;
    QAction *m_aboutQt = nullptr;
    bool m_trayAvailable = false;
    bool m_closeConfirmed = false; // the operator chose to quit: the next close goes through
    bool m_quitRequested = false; // while File → Quit closes the window
    CredentialStore *m_credentials = nullptr;
    QString m_apiUrl;
    QByteArray m_apiToken;
    QPointer<SettingsDialog> m_settingsDialog; // while open, it shows what setApiInfo() is given
    FixedSettings m_fixedSettings;
    CredentialLookup m_credentialLookup;
};

#pragma once

#include "catalog/episoderecord.h"

#include <QList>
#include <QObject>

class QAction;
class QKeySequence;
class QMainWindow;
class QMenu;

// The main window's commands as QActions (names for the tests, shortcuts, tooltips, icons), where they appear (menu
// bar, tool bar, the rows' context menu) and when they are enabled: an episode command when it applies to at least
// one selected episode (EpisodeCommands), Pause all / Resume all by the engine's paused state. What an action does is
// wired by the window (EpisodeActions, SettingsControl, the window itself).
class MainWindowActions : public QObject
{
    Q_OBJECT

public:
    // The actions are the window's (children, shortcuts in its scope).
    explicit MainWindowActions(QMainWindow *window);

    // File, Episode, the window's View menu, Help.
    void createMenus(QMenu *viewMenu);
    void createToolBar();
    void fillContextMenu(QMenu *menu) const;
    // Enables each action for the selection and the engine's state.
    void update(const QList<EpisodeRecord> &selected, bool allPaused);

    [[nodiscard]] QAction *addFiles() const { return m_addFiles; }
    [[nodiscard]] QAction *addFolder() const { return m_addFolder; }
    [[nodiscard]] QAction *sync() const { return m_sync; }
    [[nodiscard]] QAction *pauseEpisode() const { return m_pauseEpisode; }
    [[nodiscard]] QAction *resumeEpisode() const { return m_resumeEpisode; }
    [[nodiscard]] QAction *retry() const { return m_retry; }
    [[nodiscard]] QAction *rescan() const { return m_rescan; }
    [[nodiscard]] QAction *moveToTop() const { return m_moveToTop; }
    [[nodiscard]] QAction *cancel() const { return m_cancel; }
    [[nodiscard]] QAction *remove() const { return m_remove; }
    [[nodiscard]] QAction *pauseAll() const { return m_pauseAll; }
    [[nodiscard]] QAction *resumeAll() const { return m_resumeAll; }
    [[nodiscard]] QAction *recording() const { return m_recording; } // checkable: recording mode on or off
    [[nodiscard]] QAction *openFolder() const { return m_openFolder; }
    [[nodiscard]] QAction *copyUrl() const { return m_copyUrl; }
    [[nodiscard]] QAction *settings() const { return m_settings; }
    [[nodiscard]] QAction *quit() const { return m_quit; }
    [[nodiscard]] QAction *help() const { return m_help; }
    [[nodiscard]] QAction *about() const { return m_about; }
    [[nodiscard]] QAction *aboutQt() const { return m_aboutQt; }

private:
    void createEpisodeActions();
    void createApplicationActions(); // settings, quit, help, about
    [[nodiscard]] QAction *addAction(
        const QString &name, const QString &text, const QKeySequence &shortcut, int standardIcon);

    QMainWindow *m_window;
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
    QAction *m_recording = nullptr;
    QAction *m_resumeAll = nullptr;
    QAction *m_openFolder = nullptr;
    QAction *m_copyUrl = nullptr;
    QAction *m_settings = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_help = nullptr;
    QAction *m_about = nullptr;
    QAction *m_aboutQt = nullptr;
};

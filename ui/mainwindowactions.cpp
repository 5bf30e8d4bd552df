#include "mainwindowactions.h"

#include "episodecommand.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QStyle>
#include <QToolBar>

#include <algorithm>

MainWindowActions::MainWindowActions(QMainWindow *window)
    : QObject(window)
    , m_window(window)
{
    createEpisodeActions();
    createApplicationActions();
}

QAction *MainWindowActions::addAction(
    const QString &name, const QString &text, const QKeySequence &shortcut, int standardIcon)
{
    auto *action = new QAction(
        standardIcon < 0 ? QIcon() : m_window->style()->standardIcon(QStyle::StandardPixmap(standardIcon)), text,
        m_window);
    action->setObjectName(name);
    action->setShortcut(shortcut);
    action->setShortcutContext(Qt::WindowShortcut);
    if (!shortcut.isEmpty())
        action->setToolTip(
            tr("%1 (%2)").arg(text, shortcut.toString(QKeySequence::NativeText)).remove(QLatin1Char('&')));
    m_window->addAction(action);
    return action;
}

void MainWindowActions::createEpisodeActions()
{
    m_addFiles
        = addAction(QStringLiteral("actionAddFiles"), tr("Add &files…"), QKeySequence::Open, QStyle::SP_FileIcon);
    m_addFolder = addAction(QStringLiteral("actionAddFolder"), tr("Add f&older…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), QStyle::SP_DirIcon);
    m_sync = addAction(
        QStringLiteral("actionSync"), tr("&Sync now"), QKeySequence(Qt::CTRL | Qt::Key_Return), QStyle::SP_ArrowUp);
    m_pauseEpisode = addAction(
        QStringLiteral("actionPause"), tr("&Pause"), QKeySequence(Qt::CTRL | Qt::Key_P), QStyle::SP_MediaPause);
    m_pauseEpisode->setToolTip(tr("Pause the selected episodes; their verified parts stay (Ctrl+P)"));
    m_resumeEpisode = addAction(QStringLiteral("actionResume"), tr("Resu&me"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), QStyle::SP_MediaPlay);
    m_retry = addAction(
        QStringLiteral("actionRetry"), tr("&Retry"), QKeySequence(Qt::CTRL | Qt::Key_R), QStyle::SP_BrowserReload);
    m_rescan = addAction(QStringLiteral("actionRescan"), tr("Re&scan"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
        QStyle::SP_FileDialogContentsView);
    m_rescan->setToolTip(tr("Re-read the episode's folder and continue with the files that did not change"));
    m_moveToTop = addAction(QStringLiteral("actionMoveToTop"), tr("Move to &top"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Up), QStyle::SP_TitleBarShadeButton);
    m_moveToTop->setToolTip(tr("Upload the selected pending episodes before every other pending one"));
    m_cancel = addAction(
        QStringLiteral("actionCancel"), tr("&Cancel"), QKeySequence(Qt::CTRL | Qt::Key_Period), QStyle::SP_BrowserStop);
    m_remove = addAction(
        QStringLiteral("actionRemove"), tr("Remove from &list"), QKeySequence::Delete, QStyle::SP_TrashIcon);
    m_pauseAll = addAction(QStringLiteral("actionPauseAll"), tr("&Pause all"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), QStyle::SP_MediaPause);
    m_resumeAll = addAction(QStringLiteral("actionResumeAll"), tr("Res&ume all"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), QStyle::SP_MediaPlay);
    m_recording = addAction(QStringLiteral("actionRecording"), tr("Recordin&g mode"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), QStyle::SP_MediaVolume);
    m_recording->setCheckable(true);
    m_recording->setToolTip(tr("While recording, uploads yield the disk and the uplink to the recorder"));
    m_openFolder = addAction(QStringLiteral("actionOpenFolder"), tr("Open local &folder"),
        QKeySequence(Qt::CTRL | Qt::Key_E), QStyle::SP_DirOpenIcon);
    m_copyUrl = addAction(
        QStringLiteral("actionCopyUrl"), tr("Copy object &URL"), QKeySequence::Copy, QStyle::SP_FileLinkIcon);
}

void MainWindowActions::createApplicationActions()
{
    m_settings = addAction(QStringLiteral("actionSettings"), tr("Se&ttings…"), QKeySequence::Preferences,
        QStyle::SP_FileDialogDetailedView);
    // The platform's Preferences key is empty on a plain X11 session (no desktop theme): Ctrl+, everywhere.
    QList<QKeySequence> preferences = QKeySequence::keyBindings(QKeySequence::Preferences);
    if (!preferences.contains(QKeySequence(Qt::CTRL | Qt::Key_Comma)))
        preferences.append(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settings->setShortcuts(preferences);
    m_settings->setMenuRole(QAction::PreferencesRole);

    m_quit = addAction(QStringLiteral("actionQuit"), tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), -1);
    m_quit->setMenuRole(QAction::QuitRole);
    m_help = addAction(QStringLiteral("actionHelp"), tr("Keystone Console &Help"), QKeySequence::HelpContents,
        QStyle::SP_DialogHelpButton);
    if (m_help->shortcut().isEmpty())
        m_help->setShortcut(QKeySequence(Qt::Key_F1));
    m_about = addAction(QStringLiteral("actionAbout"), tr("&About Keystone Console"), {}, -1);
    m_about->setMenuRole(QAction::AboutRole);
    m_aboutQt = addAction(QStringLiteral("actionAboutQt"), tr("About &Qt"), {}, -1);
    m_aboutQt->setMenuRole(QAction::AboutQtRole);
}

void MainWindowActions::createMenus(QMenu *viewMenu)
{
    QMenu *file = m_window->menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addActions({m_addFiles, m_addFolder});
    file->addSeparator();
    file->addAction(m_settings);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *episode = m_window->menuBar()->addMenu(tr("&Episode"));
    episode->setObjectName(QStringLiteral("episodeMenu"));
    episode->addActions({m_sync, m_pauseEpisode, m_resumeEpisode, m_retry, m_rescan, m_moveToTop, m_cancel});
    episode->addSeparator();
    episode->addActions({m_pauseAll, m_resumeAll, m_recording});
    episode->addSeparator();
    episode->addActions({m_openFolder, m_copyUrl});
    episode->addSeparator();
    episode->addAction(m_remove);

    m_window->menuBar()->addMenu(viewMenu);

    QMenu *help = m_window->menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    help->addAction(m_help);
    help->addSeparator();
    help->addActions({m_about, m_aboutQt});
}

void MainWindowActions::createToolBar()
{
    // The commands used every shift, with their names; the rest are in the menus and the row's context menu. The
    // search has its own row above the table, so nothing the operator needs hides behind the tool bar's overflow.
    QToolBar *toolBar = m_window->addToolBar(tr("Episodes"));
    toolBar->setObjectName(QStringLiteral("episodesToolBar"));
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addActions({m_addFiles, m_addFolder});
    toolBar->addSeparator();
    toolBar->addActions({m_sync, m_pauseEpisode, m_resumeEpisode, m_retry, m_cancel, m_remove});
    toolBar->addSeparator();
    toolBar->addActions({m_pauseAll, m_resumeAll});
    toolBar->addSeparator();
    toolBar->addAction(m_recording);
}

void MainWindowActions::fillContextMenu(QMenu *menu) const
{
    menu->addActions({m_sync, m_pauseEpisode, m_resumeEpisode, m_retry, m_rescan, m_moveToTop, m_cancel});
    menu->addSeparator();
    menu->addActions({m_openFolder, m_copyUrl});
    menu->addSeparator();
    menu->addAction(m_remove);
}

void MainWindowActions::update(const QList<EpisodeRecord> &records, bool allPaused)
{
    const auto anyApplies = [&records](EpisodeCommand command) {
        return std::any_of(records.cbegin(), records.cend(),
            [command](const EpisodeRecord &record) { return EpisodeCommands::applies(command, record); });
    };
    m_sync->setEnabled(anyApplies(EpisodeCommand::Sync));
    m_pauseEpisode->setEnabled(anyApplies(EpisodeCommand::Pause));
    m_resumeEpisode->setEnabled(anyApplies(EpisodeCommand::Resume));
    m_retry->setEnabled(anyApplies(EpisodeCommand::Retry));
    m_rescan->setEnabled(anyApplies(EpisodeCommand::Rescan));
    m_cancel->setEnabled(anyApplies(EpisodeCommand::Cancel));
    m_moveToTop->setEnabled(anyApplies(EpisodeCommand::MoveToTop));
    m_remove->setEnabled(anyApplies(EpisodeCommand::Remove));
    m_openFolder->setEnabled(!records.isEmpty());
    m_copyUrl->setEnabled(std::any_of(
        records.cbegin(), records.cend(), [](const EpisodeRecord &record) { return !record.cloudBucket.isEmpty(); }));
    m_pauseAll->setEnabled(!allPaused);
    m_resumeAll->setEnabled(allPaused);
}

#include "mainwindow.h"

#include "aboutdialog.h"
#include "commandtally.h"
#include "config/credentialstore.h"
#include "episodedetailspane.h"
#include "episodefilterproxymodel.h"
#include "episodelogdock.h"
#include "episodetablemodel.h"
#include "episodetableview.h"
#include "helpbrowser.h"
#include "noticebanner.h"
#include "progressdelegate.h"
#include "settingsdialog.h"
#include "statecolors.h"
#include "sync/episodepriority.h"
#include "sync/progresstext.h"
#include "sync/syncengine.h"
#include "uilogging.h"
#include "windowtitle.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace {

constexpr int kMessageTimeoutMs = 8000;
constexpr int kMaxFoldersOpened = 5; // opening a file manager per row of a big selection helps nobody
const QString kSettingsGroup = QStringLiteral("MainWindow");
const QString kCloseChoiceKey = QStringLiteral("MainWindow/closeChoice"); // "tray" or "quit"; absent: ask

QStringList localPaths(const QMimeData *mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    return paths;
}

// The folder an episode lives in: the folder itself for a folder episode, the file's folder otherwise. Decided
// from the record only (fileCount), so the GUI thread never stats the disk.
QString localFolder(const EpisodeRecord &record)
{
    if (record.fileCount > 1)
        return record.localPath;
    return QFileInfo(record.localPath).absolutePath();
}

} // namespace

MainWindow::MainWindow(SyncEngine &engine, QWidget *parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_model(new EpisodeTableModel(engine, this))
    , m_proxy(new EpisodeFilterProxyModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    // Which bucket, where: two consoles side by side can be told apart, and a change of settings shows.
    setWindowTitle(WindowTitle::forConfig(m_engine.config()));
    connect(&m_engine, &SyncEngine::configChanged, this,
        [this] { setWindowTitle(WindowTitle::forConfig(m_engine.config())); });
    setWindowIcon(QIcon(QStringLiteral(":/icons/keystone-console.svg")));
    setAcceptDrops(true);
    m_proxy->setSourceModel(m_model);

    createActions();
    createTable();
    createToolBar();
    m_logDock = new EpisodeLogDock(m_engine, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_detailsPane = new EpisodeDetailsPane(m_engine, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_detailsPane);
    tabifyDockWidget(m_logDock, m_detailsPane);
    createMenus();
    createStatusBar();
    restoreSettings();

    connect(m_model, &EpisodeTableModel::summaryChanged, this, [this] {
        updateSummary();
        updateActions();
    });
    connect(&m_engine, &SyncEngine::pausedChanged, this, [this] {
        updateSummary();
        updateActions();
    });
    connect(&m_engine, &SyncEngine::storageHealthChanged, this, [this] {
        updateStorageBanner();
        updateSummary();
    });
    updateStorageBanner();
    connect(&m_engine, &SyncEngine::throttleChanged, this, &MainWindow::updateRecording);
    updateRecording();
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::selectionChanged);
    updateSummary();
    updateActions();
}

MainWindow::~MainWindow() = default;

QTableView *MainWindow::tableView() const
{
    return m_view;
}

QAction *MainWindow::addAction(const QString &name, const QString &text, const QKeySequence &shortcut, int standardIcon)
{
    auto *action = new QAction(
        standardIcon < 0 ? QIcon() : style()->standardIcon(QStyle::StandardPixmap(standardIcon)), text, this);
    action->setObjectName(name);
    action->setShortcut(shortcut);
    action->setShortcutContext(Qt::WindowShortcut);
    if (!shortcut.isEmpty())
        action->setToolTip(
            tr("%1 (%2)").arg(text, shortcut.toString(QKeySequence::NativeText)).remove(QLatin1Char('&')));
    QWidget::addAction(action);
    return action;
}

void MainWindow::createActions()
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

    connect(m_addFiles, &QAction::triggered, this, &MainWindow::addFiles);
    connect(m_addFolder, &QAction::triggered, this, &MainWindow::addFolder);
    connect(m_sync, &QAction::triggered, this, &MainWindow::syncSelected);
    connect(m_pauseEpisode, &QAction::triggered, this, &MainWindow::pauseSelected);
    connect(m_resumeEpisode, &QAction::triggered, this, &MainWindow::resumeSelected);
    connect(m_retry, &QAction::triggered, this, &MainWindow::retrySelected);
    connect(m_rescan, &QAction::triggered, this, &MainWindow::rescanSelected);
    connect(m_moveToTop, &QAction::triggered, this, &MainWindow::moveSelectedToTop);
    connect(m_cancel, &QAction::triggered, this, &MainWindow::cancelSelected);
    connect(m_remove, &QAction::triggered, this, &MainWindow::removeSelected);
    connect(m_pauseAll, &QAction::triggered, &m_engine, &SyncEngine::pauseAll);
    connect(m_resumeAll, &QAction::triggered, &m_engine, &SyncEngine::resumeAll);
    connect(m_recording, &QAction::toggled, this, &MainWindow::setRecording);
    connect(m_openFolder, &QAction::triggered, this, &MainWindow::openLocalFolders);
    connect(m_copyUrl, &QAction::triggered, this, &MainWindow::copyObjectUrls);

    m_credentials = new CredentialStore(this);
    m_settings = addAction(QStringLiteral("actionSettings"), tr("Se&ttings…"), QKeySequence::Preferences,
        QStyle::SP_FileDialogDetailedView);
    // The platform's Preferences key is empty on a plain X11 session (no desktop theme): Ctrl+, everywhere.
    QList<QKeySequence> preferences = QKeySequence::keyBindings(QKeySequence::Preferences);
    if (!preferences.contains(QKeySequence(Qt::CTRL | Qt::Key_Comma)))
        preferences.append(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settings->setShortcuts(preferences);
    m_settings->setMenuRole(QAction::PreferencesRole);
    connect(m_settings, &QAction::triggered, this, &MainWindow::openSettings);

    m_quit = addAction(QStringLiteral("actionQuit"), tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), -1);
    m_quit->setMenuRole(QAction::QuitRole);
    connect(m_quit, &QAction::triggered, this, [this] {
        // Quit means quit: the question (if uploads run) offers no tray, and a remembered "tray" does not apply.
        m_quitRequested = true;
        close();
        m_quitRequested = false;
    });
    m_help = addAction(QStringLiteral("actionHelp"), tr("Keystone Console &Help"), QKeySequence::HelpContents,
        QStyle::SP_DialogHelpButton);
    if (m_help->shortcut().isEmpty())
        m_help->setShortcut(QKeySequence(Qt::Key_F1));
    connect(m_help, &QAction::triggered, this, &MainWindow::showHelp);
    m_about = addAction(QStringLiteral("actionAbout"), tr("&About Keystone Console"), {}, -1);
    m_about->setMenuRole(QAction::AboutRole);
    connect(m_about, &QAction::triggered, this, &MainWindow::showAbout);
    m_aboutQt = addAction(QStringLiteral("actionAboutQt"), tr("About &Qt"), {}, -1);
    m_aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addActions({m_addFiles, m_addFolder});
    file->addSeparator();
    file->addAction(m_settings);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *episode = menuBar()->addMenu(tr("&Episode"));
    episode->setObjectName(QStringLiteral("episodeMenu"));
    episode->addActions({m_sync, m_pauseEpisode, m_resumeEpisode, m_retry, m_rescan, m_moveToTop, m_cancel});
    episode->addSeparator();
    episode->addActions({m_pauseAll, m_resumeAll, m_recording});
    episode->addSeparator();
    episode->addActions({m_openFolder, m_copyUrl});
    episode->addSeparator();
    episode->addAction(m_remove);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    view->addMenu(m_view->createColumnsMenu(view));
    view->addAction(m_detailsPane->toggleViewAction());
    view->addAction(m_logDock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    help->addAction(m_help);
    help->addSeparator();
    help->addActions({m_about, m_aboutQt});
}

void MainWindow::showAbout()
{
    AboutDialog::Facts facts = AboutDialog::runningFacts();
    facts.dataDir = m_engine.config().dataDir;
    facts.apiUrl = m_apiUrl;
    auto *dialog = new AboutDialog(facts, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showHelp()
{
    auto *help = findChild<HelpBrowser *>(QString(), Qt::FindDirectChildrenOnly);
    if (!help)
        help = new HelpBrowser(this); // kept: F1 again raises the same window where it was left
    help->show();
    help->raise();
    help->activateWindow();
}

void MainWindow::setApiInfo(const QString &listenUrl, const QByteArray &token)
{
    m_apiUrl = listenUrl;
    m_apiToken = token;
    if (m_settingsDialog)
        m_settingsDialog->setApiInfo(listenUrl, token);
}

void MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(*m_credentials, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFixedSettings(m_fixedSettings);
    dialog->setCredentialLookup(m_credentialLookup);
    dialog->setSettings(ConsoleSettings::fromConfig(m_engine.config())); // what runs, not what was saved
    dialog->setApiInfo(m_apiUrl, m_apiToken);
    connect(dialog, &SettingsDialog::saved, this,
        [this, dialog] { Q_EMIT settingsChanged(dialog->configToApply(m_engine.config())); });
    connect(dialog, &SettingsDialog::tokenRegenerationRequested, this, &MainWindow::apiTokenRegenerationRequested);
    m_settingsDialog = dialog;
    dialog->open();
}

void MainWindow::createToolBar()
{
    // The commands used every shift, with their names; the rest are in the menus and the row's context menu. The
    // search has its own row above the table, so nothing the operator needs hides behind the tool bar's overflow.
    QToolBar *toolBar = addToolBar(tr("Episodes"));
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

QWidget *MainWindow::createFilterBar()
{
    auto *bar = new QWidget(this);
    bar->setObjectName(QStringLiteral("filterBar"));
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(6, 4, 6, 4);

    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("searchField"));
    m_search->setPlaceholderText(tr("Search name, id, path, error… (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search, 1);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &EpisodeFilterProxyModel::setSearchText);
    auto *find = new QAction(this);
    find->setObjectName(QStringLiteral("actionFind"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_search, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    QWidget::addAction(find);

    m_stateFilter = new QComboBox(bar);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateFilter->addItem(tr("All episodes"), -1);
    for (const EpisodeState state : {EpisodeState::Scanning, EpisodeState::Pending, EpisodeState::InProgress,
             EpisodeState::Completed, EpisodeState::Failed, EpisodeState::Cancelled})
        m_stateFilter->addItem(EpisodeTableModel::stateText(state), int(state));
    layout->addWidget(m_stateFilter);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this] {
        const int state = m_stateFilter->currentData().toInt();
        m_proxy->setStateFilter(state < 0 ? std::nullopt : std::optional(EpisodeState(state)));
    });
    return bar;
}

void MainWindow::createTable()
{
    m_view = new EpisodeTableView(this);
    m_view->setObjectName(QStringLiteral("episodeTable"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(EpisodeTableModel::ProgressColumn, new ProgressDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(EpisodeTableModel::IdColumn, Qt::DescendingOrder); // newest first
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 14);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    m_view->applyDefaultColumns();
    connect(m_view, &QTableView::customContextMenuRequested, this, &MainWindow::showContextMenu);

    // The storage's state, said once above the table instead of as an error on every row.
    m_storageBanner = new NoticeBanner(QStringLiteral("storageBanner"), this);
    // Recording mode, said where the operator looks: uploads yield to the recorder, and how much.
    m_recordingBanner = new NoticeBanner(QStringLiteral("recordingBanner"), this);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(createFilterBar());
    layout->addWidget(m_storageBanner);
    layout->addWidget(m_recordingBanner);
    layout->addWidget(m_view);
    setCentralWidget(central);
}

QString MainWindow::storageBannerText(const StorageHealth &health)
{
    const QString since = QLocale().toString(health.since.toLocalTime(), QLocale::ShortFormat);
    switch (health.state) {
    case StorageHealth::State::Ok:
        break;
    case StorageHealth::State::Unreachable:
        return tr("Storage unreachable since %1: %2\n%3").arg(since, health.detail, health.hint());
    case StorageHealth::State::CredentialsRejected:
        return tr("Credentials rejected since %1: %2\n%3").arg(since, health.detail, health.hint());
    }
    return {};
}

void MainWindow::updateStorageBanner()
{
    m_storageBanner->say(storageBannerText(m_engine.storageHealth()));
}

void MainWindow::setRecording(bool on)
{
    RecordingCommand command;
    command.recording = on;
    m_engine.setRecording(command, [this, guard = QPointer<MainWindow>(this)](const SyncResult<ThrottleState> &result) {
        if (!guard)
            return;
        if (!result)
            statusBar()->showMessage(result.error().message, kMessageTimeoutMs);
        updateRecording(); // the toggle shows what the engine decided (a growing folder may keep it recording)
    });
}

QString MainWindow::recordingBannerText(const ThrottleState &state)
{
    if (!state.isRecording())
        return {};
    const QString why = state.reason == ThrottleState::Reason::FolderGrowth
        ? tr("Recording: a watched folder is growing.")
        : state.until.isValid()
        ? tr("Recording mode until %1.").arg(QLocale().toString(state.until.toLocalTime().time(), QLocale::ShortFormat))
        : tr("Recording mode.");
    const QString what = state.holding
        ? tr("Uploads hold until it ends; verified parts are kept.")
        : tr("Uploads yield to the recorder: at most %1, one part at a time per episode.")
              .arg(ProgressText::speed(double(state.limitBytesPerSecond)));
    return why + QLatin1Char(' ') + what;
}

void MainWindow::updateRecording()
{
    const ThrottleState state = m_engine.throttle();
    m_recordingBanner->say(recordingBannerText(state));
    const QSignalBlocker blocker(m_recording); // showing the state is not a command
    m_recording->setChecked(state.isRecording());
}

void MainWindow::createStatusBar()
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    statusBar()->addPermanentWidget(m_summary);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    if (!restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray()))
        resize(1280, 720);
    if (!restoreState(settings.value(QStringLiteral("windowState")).toByteArray()))
        resizeDocks({m_logDock}, {170}, Qt::Vertical);
    QHeaderView *header = m_view->horizontalHeader();
    if (header->restoreState(settings.value(QStringLiteral("tableHeader")).toByteArray()))
        m_view->sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("windowState"), saveState());
    settings.setValue(QStringLiteral("tableHeader"), m_view->horizontalHeader()->saveState());
}

MainWindow::CloseChoice MainWindow::rememberedCloseChoice()
{
    const QString choice = QSettings().value(kCloseChoiceKey).toString();
    if (choice == QLatin1String("tray"))
        return CloseChoice::KeepInTray;
    if (choice == QLatin1String("quit"))
        return CloseChoice::Quit;
    return CloseChoice::Ask;
}

bool MainWindow::uploadsRunning() const
{
    // Uploading now, or due to start: a pending episode counts unless it (or everything) is paused.
    const bool allPaused = m_engine.isPaused();
    const QList<EpisodeStatus> statuses = m_engine.allStatuses();
    return std::any_of(statuses.cbegin(), statuses.cend(), [allPaused](const EpisodeStatus &status) {
        const EpisodeRecord &record = status.record;
        return record.state == EpisodeState::InProgress
            || (record.state == EpisodeState::Pending && !record.paused && !allPaused);
    });
}

// Closing the window while uploads run is ambiguous (hide it? stop them?): ask once, or do what was remembered.
//
//   close ──► nothing running ─────────────────────────────► closes (the app quits)
//        └──► uploads running ─► remembered / asked ─┬─ keep in tray ─► hidden, uploads go on
//                                                    ├─ quit ─────────► closes: attempts stop, verified parts kept
//                                                    └─ cancel ───────► stays open
void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    if (m_closeConfirmed || !uploadsRunning()) {
        QMainWindow::closeEvent(event);
        return;
    }
    event->ignore();
    const bool offerTray = m_trayAvailable && !m_quitRequested;
    CloseChoice choice = rememberedCloseChoice();
    if (choice == CloseChoice::KeepInTray && !offerTray)
        choice = CloseChoice::Ask; // remembered where a tray existed, or the operator asked to quit
    if (choice == CloseChoice::Ask)
        askHowToClose(offerTray);
    else
        applyCloseChoice(choice);
}

void MainWindow::askHowToClose(bool offerTray)
{
    const QList<QMessageBox *> asking = findChildren<QMessageBox *>(QStringLiteral("closeChoice"));
    if (std::any_of(asking.cbegin(), asking.cend(), [](const QMessageBox *box) { return box->isVisible(); }))
        return; // already asking
    auto *box = new QMessageBox(QMessageBox::Question, tr("Uploads are running"),
        tr("Closing the window can keep the uploads going in the tray, or quit: uploads then stop now and continue "
           "from their verified parts the next time Keystone Console starts."),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("closeChoice"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *tray = nullptr;
    if (offerTray) {
        tray = box->addButton(tr("Keep uploading in the tray"), QMessageBox::AcceptRole);
        tray->setObjectName(QStringLiteral("keepInTrayButton"));
        box->setDefaultButton(tray);
    }
    QPushButton *quit = box->addButton(tr("Quit and pause"), QMessageBox::DestructiveRole);
    quit->setObjectName(QStringLiteral("quitButton"));
    box->addButton(QMessageBox::Cancel);
    auto *remember = new QCheckBox(tr("Remember my choice"), box);
    remember->setObjectName(QStringLiteral("rememberChoice"));
    box->setCheckBox(remember);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, tray, quit, remember](QAbstractButton *button) {
        const CloseChoice choice
            = button == tray ? CloseChoice::KeepInTray : (button == quit ? CloseChoice::Quit : CloseChoice::Ask);
        if (choice == CloseChoice::Ask)
            return;
        if (remember->isChecked())
            QSettings().setValue(
                kCloseChoiceKey, choice == CloseChoice::KeepInTray ? QStringLiteral("tray") : QStringLiteral("quit"));
        box->hide();
        applyCloseChoice(choice);
    });
    box->open();
}

void MainWindow::applyCloseChoice(CloseChoice choice)
{
    if (choice == CloseChoice::KeepInTray) {
        qCInfo(lcUi) << "window closed; uploads continue in the tray";
        hide();
        return;
    }
    qCInfo(lcUi) << "quitting while uploads run; they continue from their verified parts at the next start";
    m_closeConfirmed = true;
    close();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addEpisodes(paths);
}

void MainWindow::addEpisodes(const QStringList &paths)
{
    QPointer<MainWindow> self(this);
    for (const QString &path : paths) {
        const QString clean = QDir::cleanPath(path);
        const QString name = QFileInfo(clean).fileName();
        qCInfo(lcUi) << "registering" << clean << "as" << name;
        m_engine.registerEpisode(clean, name, [self, clean](const SyncResult<EpisodeStatus> &result) {
            if (!self)
                return;
            if (!result) {
                const QString message = tr("Cannot add %1: %2").arg(clean, result.error().message);
                self->statusBar()->showMessage(message, kMessageTimeoutMs);
                Q_EMIT self->commandFailed(message);
                return;
            }
            self->statusBar()->showMessage(tr("Added %1").arg(result.value().record.name), kMessageTimeoutMs);
        });
    }
}

void MainWindow::addFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add episode files"));
    addEpisodes(files);
}

void MainWindow::addFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add episode folder"));
    if (!folder.isEmpty())
        addEpisodes({folder});
}

QList<qint64> MainWindow::selectedIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids.append(index.data(EpisodeTableModel::IdRole).toLongLong());
    return ids;
}

QList<EpisodeRecord> MainWindow::selectedRecords() const
{
    QList<EpisodeRecord> records;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        const int row = m_proxy->mapToSource(index).row();
        if (row >= 0)
            records.append(m_model->statusAt(row).record);
    }
    return records;
}

void MainWindow::reportSummary(const QString &summary, bool anyFailed)
{
    qCInfo(lcUi) << summary;
    statusBar()->showMessage(summary, kMessageTimeoutMs);
    if (anyFailed)
        Q_EMIT commandFailed(summary);
}

template <typename Command>
void MainWindow::runOnSelected(EpisodeCommand which, Command command, const QString &doneFormat)
{
    QPointer<MainWindow> self(this);
    auto tally = std::make_shared<CommandTally>(doneFormat, [self](const QString &summary, bool anyFailed) {
        if (self)
            self->reportSummary(summary, anyFailed);
    });
    QList<qint64> ids;
    for (const EpisodeRecord &record : selectedRecords()) {
        if (EpisodeCommands::applies(which, record))
            ids.append(record.id);
        else
            tally->skip(record.state);
    }
    tally->expect(int(ids.size()));
    for (const qint64 id : ids) {
        command(id, [tally, id](const SyncError *error) {
            if (error)
                //: one failure in a multi-selection summary: "episode 7: <why>"
                tally->failed(tr("episode %1: %2").arg(id).arg(error->message));
            else
                tally->done();
        });
    }
    tally->finishIfIdle();
}

namespace {

// An engine command with a status answer, as runOnSelected calls it: (id, done(error or null)).
template <typename Result>
auto answerOf(const std::function<void(const SyncError *)> &done)
{
    return [done](const SyncResult<Result> &result) { done(result ? nullptr : &result.error()); };
}

} // namespace

void MainWindow::syncSelected()
{
    runOnSelected(
        EpisodeCommand::Sync, [this](qint64 id, auto done) { m_engine.enqueue(id, answerOf<EpisodeStatus>(done)); },
        m_engine.isPaused() ? tr("Queued %1; uploads are paused: Resume all to start them") : tr("Synced %1"));
}

void MainWindow::pauseSelected()
{
    runOnSelected(
        EpisodeCommand::Pause,
        [this](qint64 id, auto done) { m_engine.pauseEpisode(id, answerOf<EpisodeStatus>(done)); }, tr("Paused %1"));
}

void MainWindow::resumeSelected()
{
    runOnSelected(
        EpisodeCommand::Resume,
        [this](qint64 id, auto done) { m_engine.resumeEpisode(id, answerOf<EpisodeStatus>(done)); }, tr("Resumed %1"));
}

void MainWindow::retrySelected()
{
    runOnSelected(
        EpisodeCommand::Retry, [this](qint64 id, auto done) { m_engine.retry(id, answerOf<EpisodeStatus>(done)); },
        tr("Retried %1"));
}

void MainWindow::rescanSelected()
{
    runOnSelected(
        EpisodeCommand::Rescan, [this](qint64 id, auto done) { m_engine.rescan(id, answerOf<EpisodeStatus>(done)); },
        tr("Rescanning %1"));
}

void MainWindow::moveSelectedToTop()
{
    const QList<qint64> ids = selectedIds();
    // Above every other pending episode: one more than the highest of them (clamped to the range; at the top of the
    // range equal priorities go by registration order). Selected ones already above that keep their priority.
    int othersMax = EpisodePriority::kMin - 1;
    for (const EpisodeStatus &status : m_engine.allStatuses()) {
        if (status.record.state == EpisodeState::Pending && !ids.contains(status.record.id))
            othersMax = std::max(othersMax, status.record.priority);
    }
    const int top = std::clamp(othersMax + 1, EpisodePriority::kMin, EpisodePriority::kMax);
    runOnSelected(
        EpisodeCommand::MoveToTop,
        [this, top](qint64 id, auto done) { m_engine.setPriority(id, top, answerOf<EpisodeStatus>(done)); },
        tr("Moved %1 to the top"));
}

// Cancelling discards what was verified (the multipart uploads are aborted; a retry starts from 0 %), so it asks
// first when anything selected has verified bytes.
void MainWindow::cancelSelected()
{
    qint64 verified = 0;
    int withVerified = 0;
    for (const qint64 id : selectedIds()) {
        // The engine's snapshot, not the table's (a tenth of a second older): what a cancel would discard now.
        const std::optional<EpisodeStatus> status = m_engine.status(id);
        if (status && EpisodeCommands::applies(EpisodeCommand::Cancel, status->record) && status->progress
            && status->progress->committedBytes > 0) {
            verified += status->progress->committedBytes;
            ++withVerified;
        }
    }
    if (withVerified == 0) {
        cancelSelectedNow();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Cancel upload"),
        tr("%1 of the selection are already verified in the storage. Cancelling discards them: a retry starts "
           "from the beginning. Pausing keeps them.")
            .arg(ProgressText::size(verified)),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("cancelConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *discard = box->addButton(tr("Cancel and discard"), QMessageBox::DestructiveRole);
    discard->setObjectName(QStringLiteral("discardButton"));
    QPushButton *pause = box->addButton(tr("Pause instead"), QMessageBox::AcceptRole);
    pause->setObjectName(QStringLiteral("pauseInsteadButton"));
    QPushButton *keep = box->addButton(tr("Keep uploading"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepButton"));
    box->setDefaultButton(keep);
    connect(discard, &QPushButton::clicked, this, &MainWindow::cancelSelectedNow);
    connect(pause, &QPushButton::clicked, this, &MainWindow::pauseSelected);
    box->open();
}

void MainWindow::cancelSelectedNow()
{
    runOnSelected(
        EpisodeCommand::Cancel, [this](qint64 id, auto done) { m_engine.cancel(id, answerOf<EpisodeStatus>(done)); },
        tr("Cancelled %1"));
}

// Removing forgets the episode's row and its history (the local files and the uploaded objects stay): it asks.
void MainWindow::removeSelected()
{
    int removable = 0;
    for (const EpisodeRecord &record : selectedRecords())
        removable += EpisodeCommands::applies(EpisodeCommand::Remove, record) ? 1 : 0;
    if (removable == 0) {
        removeSelectedNow(); // reports why nothing was removed
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove from list"),
        tr("Remove %1 from the list? The local files and the objects in the bucket are not touched; the episodes' "
           "history is forgotten.")
            .arg(ProgressText::count(removable, ProgressText::Noun::Episode)),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("removeConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *remove = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("removeButton"));
    QPushButton *keep = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(keep);
    connect(remove, &QPushButton::clicked, this, &MainWindow::removeSelectedNow);
    box->open();
}

void MainWindow::removeSelectedNow()
{
    runOnSelected(
        EpisodeCommand::Remove,
        [this](qint64 id, auto done) {
            m_engine.remove(id, [done](const SyncResult<void> &result) { done(result ? nullptr : &result.error()); });
        },
        tr("Removed %1"));
}

void MainWindow::openLocalFolders()
{
    const QList<EpisodeRecord> records = selectedRecords();
    for (qsizetype i = 0; i < records.size() && i < kMaxFoldersOpened; ++i) {
        if (!QDesktopServices::openUrl(QUrl::fromLocalFile(localFolder(records.at(i)))))
            statusBar()->showMessage(tr("Cannot open %1").arg(localFolder(records.at(i))), kMessageTimeoutMs);
    }
}

void MainWindow::copyObjectUrls()
{
    QStringList urls;
    const QList<EpisodeRecord> records = selectedRecords();
    for (const EpisodeRecord &record : records) {
        if (!record.cloudBucket.isEmpty())
            urls.append(m_engine.config().profile.objectUrl(record.cloudBucket, record.cloudKeyPrefix + u'/'));
    }
    if (urls.isEmpty())
        return;
    QApplication::clipboard()->setText(urls.join(u'\n'));
    statusBar()->showMessage(
        tr("Copied %1").arg(ProgressText::count(urls.size(), ProgressText::Noun::ObjectUrl)), kMessageTimeoutMs);
}

void MainWindow::showContextMenu(const QPoint &position)
{
    QMenu menu(this);
    menu.addActions({m_sync, m_pauseEpisode, m_resumeEpisode, m_retry, m_rescan, m_moveToTop, m_cancel});
    menu.addSeparator();
    menu.addActions({m_openFolder, m_copyUrl});
    menu.addSeparator();
    menu.addAction(m_remove);
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void MainWindow::selectionChanged()
{
    updateActions();
    const QList<qint64> ids = selectedIds();
    m_logDock->showEpisode(ids.size() == 1 ? ids.first() : 0);
    m_detailsPane->showSelection(ids);
}

void MainWindow::updateActions()
{
    const QList<EpisodeRecord> records = selectedRecords();
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
    m_pauseAll->setEnabled(!m_engine.isPaused());
    m_resumeAll->setEnabled(m_engine.isPaused());
}

void MainWindow::updateSummary()
{
    const EpisodeTableModel::Summary summary = m_model->summary();
    QStringList parts;
    const auto add = [&](EpisodeState state, const QString &text) {
        if (summary.count(state) > 0)
            parts.append(text.arg(summary.count(state)));
    };
    // The API's state names, as in the table and the CLI.
    for (const EpisodeState state : {EpisodeState::Scanning, EpisodeState::InProgress, EpisodeState::Pending,
             EpisodeState::Completed, EpisodeState::Failed, EpisodeState::Cancelled})
        add(state, tr("%1 ") + ProgressText::stateName(state));
    if (parts.isEmpty())
        parts.append(tr("No episodes yet: drop a folder or file here"));
    QString text = parts.join(QStringLiteral(" · "));
    if (summary.count(EpisodeState::InProgress) > 0)
        text += tr(" — %1").arg(ProgressText::speed(summary.bytesPerSecond));
    if (m_engine.isPaused())
        text += tr(" — paused");
    const StorageHealth health = m_engine.storageHealth();
    if (!health.isOk())
        text += tr(" — storage %1").arg(StorageHealth::stateName(health.state));
    m_summary->setText(text);
}

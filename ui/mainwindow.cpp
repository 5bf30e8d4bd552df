#include "mainwindow.h"

#include "aboutdialog.h"
#include "closequestion.h"
#include "enginebanners.h"
#include "episodeactions.h"
#include "episodedetailspane.h"
#include "episodefilterproxymodel.h"
#include "episodelogdock.h"
#include "episodetablemodel.h"
#include "episodetableview.h"
#include "helpbrowser.h"
#include "mainwindowactions.h"
#include "progressdelegate.h"
#include "settingscontrol.h"
#include "sync/progresstext.h"
#include "sync/syncengine.h"
#include "uilogging.h"
#include "windowtitle.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QPointer>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace {

constexpr int kMessageTimeoutMs = 8000;
const QString kSettingsGroup = QStringLiteral("MainWindow");

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

    m_actions = new MainWindowActions(this);
    m_settings = new SettingsControl(m_engine, this);
    createTable();
    m_episodeActions = new EpisodeActions(m_engine, EpisodeSelection(m_view, m_proxy, m_model), this);
    connectActions();
    m_actions->createToolBar();
    m_logDock = new EpisodeLogDock(m_engine, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_detailsPane = new EpisodeDetailsPane(m_engine, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_detailsPane);
    tabifyDockWidget(m_logDock, m_detailsPane);
    createViewMenu();
    createStatusBar();
    restoreSettings();

    connect(m_model, &EpisodeTableModel::summaryChanged, this, [this] {
        updateSummary();
        updateActions();
    });
    connect(&m_engine, &SyncEngine::changed, this, &MainWindow::showEngineSummary);
    updateRecordingToggle();
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::selectionChanged);
    updateSummary();
    updateActions();
}

MainWindow::~MainWindow() = default;

QTableView *MainWindow::tableView() const
{
    return m_view;
}

// What each action does: the episode commands go to EpisodeActions, the settings to SettingsControl, the rest stays.
void MainWindow::connectActions()
{
    EpisodeActions *episodes = m_episodeActions;
    connect(m_actions->addFiles(), &QAction::triggered, episodes, &EpisodeActions::addFiles);
    connect(m_actions->addFolder(), &QAction::triggered, episodes, &EpisodeActions::addFolder);
    connect(m_actions->sync(), &QAction::triggered, episodes, &EpisodeActions::syncSelected);
    connect(m_actions->pauseEpisode(), &QAction::triggered, episodes, &EpisodeActions::pauseSelected);
    connect(m_actions->resumeEpisode(), &QAction::triggered, episodes, &EpisodeActions::resumeSelected);
    connect(m_actions->retry(), &QAction::triggered, episodes, &EpisodeActions::retrySelected);
    connect(m_actions->rescan(), &QAction::triggered, episodes, &EpisodeActions::rescanSelected);
    connect(m_actions->moveToTop(), &QAction::triggered, episodes, &EpisodeActions::moveSelectedToTop);
    connect(m_actions->cancel(), &QAction::triggered, episodes, &EpisodeActions::cancelSelected);
    connect(m_actions->remove(), &QAction::triggered, episodes, &EpisodeActions::removeSelected);
    connect(m_actions->pauseAll(), &QAction::triggered, &m_engine, &SyncEngine::pauseAll);
    connect(m_actions->resumeAll(), &QAction::triggered, &m_engine, &SyncEngine::resumeAll);
    connect(m_actions->recording(), &QAction::toggled, this, &MainWindow::setRecording);
    connect(m_actions->openFolder(), &QAction::triggered, episodes, &EpisodeActions::openLocalFolders);
    connect(m_actions->copyUrl(), &QAction::triggered, episodes, &EpisodeActions::copyObjectUrls);
    connect(m_actions->settings(), &QAction::triggered, m_settings, &SettingsControl::open);
    connect(m_actions->quit(), &QAction::triggered, this, &MainWindow::quit);
    connect(m_actions->help(), &QAction::triggered, this, &MainWindow::showHelp);
    connect(m_actions->about(), &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_actions->aboutQt(), &QAction::triggered, qApp, &QApplication::aboutQt);

    connect(episodes, &EpisodeActions::message, this, &MainWindow::showMessage);
    connect(episodes, &EpisodeActions::commandFailed, this, &MainWindow::commandFailed);
    connect(m_settings, &SettingsControl::settingsChanged, this, &MainWindow::settingsChanged);
    connect(
        m_settings, &SettingsControl::apiTokenRegenerationRequested, this, &MainWindow::apiTokenRegenerationRequested);
}

void MainWindow::quit()
{
    // Quit means quit: the question (if uploads run) offers no tray, and a remembered "tray" does not apply.
    m_quitRequested = true;
    close();
    m_quitRequested = false;
}

void MainWindow::createViewMenu()
{
    auto *view = new QMenu(tr("&View"), menuBar());
    view->setObjectName(QStringLiteral("viewMenu"));
    view->addMenu(m_view->createColumnsMenu(view));
    view->addAction(m_detailsPane->toggleViewAction());
    view->addAction(m_logDock->toggleViewAction());
    m_actions->createMenus(view);
}

void MainWindow::showMessage(const QString &text)
{
    statusBar()->showMessage(text, kMessageTimeoutMs);
}

void MainWindow::showAbout()
{
    AboutDialog::Facts facts = AboutDialog::runningFacts();
    facts.dataDir = m_engine.config().dataDir;
    facts.apiUrl = m_settings->apiUrl();
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
    m_settings->setApiInfo(listenUrl, token);
}

void MainWindow::setFixedSettings(const FixedSettings &fixed)
{
    m_settings->setFixedSettings(fixed);
}

void MainWindow::setCredentialLookup(CredentialLookup lookup)
{
    m_settings->setCredentialLookup(std::move(lookup));
}

void MainWindow::openSettings()
{
    m_settings->open();
}

void MainWindow::addEpisodes(const QStringList &paths)
{
    m_episodeActions->addEpisodes(paths);
}

QList<qint64> MainWindow::selectedIds() const
{
    return EpisodeSelection(m_view, m_proxy, m_model).ids();
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

    // The storage's state and recording mode, said once above the table where the operator looks.
    m_banners = new EngineBanners(m_engine, this);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(createFilterBar());
    layout->addWidget(m_banners);
    layout->addWidget(m_view);
    setCentralWidget(central);
}

void MainWindow::showEngineSummary(const EngineChanges &changes)
{
    if (changes.throttle)
        updateRecordingToggle();
    if (changes.paused || changes.storageHealth)
        updateSummary();
    if (changes.paused)
        updateActions();
}

void MainWindow::setRecording(bool on)
{
    RecordingCommand command;
    command.recording = on;
    m_engine.setRecording(command, [this, guard = QPointer<MainWindow>(this)](const SyncResult<ThrottleState> &result) {
        if (!guard)
            return;
        if (!result)
            showMessage(result.error().message);
        updateRecordingToggle(); // the toggle shows what the engine decided (a growing folder may keep it recording)
    });
}

void MainWindow::updateRecordingToggle()
{
    QAction *toggle = m_actions->recording();
    const QSignalBlocker blocker(toggle); // showing the state is not a command
    toggle->setChecked(m_engine.throttle().isRecording());
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
    return CloseQuestion::remembered();
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
        CloseQuestion::ask(this, offerTray, [this](CloseChoice chosen) { applyCloseChoice(chosen); });
    else
        applyCloseChoice(choice);
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

void MainWindow::showContextMenu(const QPoint &position)
{
    QMenu menu(this);
    m_actions->fillContextMenu(&menu);
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
    m_actions->update(EpisodeSelection(m_view, m_proxy, m_model).records(), m_engine.isPaused());
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

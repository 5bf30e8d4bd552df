#include "mainwindow.h"

#include "config/credentialstore.h"
#include "episodedetailspane.h"
#include "episodefilterproxymodel.h"
#include "episodelogdock.h"
#include "episodetablemodel.h"
#include "progressdelegate.h"
#include "settingsdialog.h"
#include "sync/episodepriority.h"
#include "sync/progresstext.h"
#include "sync/syncengine.h"
#include "uilogging.h"
#include "windowtitle.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QPointer>
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
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::selectionChanged);
    updateSummary();
    updateActions();
}

MainWindow::~MainWindow() = default;

QAction *MainWindow::addAction(const QString &name, const QString &text, const QKeySequence &shortcut, int standardIcon)
{
    auto *action = new QAction(style()->standardIcon(QStyle::StandardPixmap(standardIcon)), text, this);
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
    m_openFolder = addAction(QStringLiteral("actionOpenFolder"), tr("Open local &folder"),
        QKeySequence(Qt::CTRL | Qt::Key_E), QStyle::SP_DirOpenIcon);
    m_copyUrl = addAction(
        QStringLiteral("actionCopyUrl"), tr("Copy object &URL"), QKeySequence::Copy, QStyle::SP_FileLinkIcon);

    connect(m_addFiles, &QAction::triggered, this, &MainWindow::addFiles);
    connect(m_addFolder, &QAction::triggered, this, &MainWindow::addFolder);
    connect(m_sync, &QAction::triggered, this, &MainWindow::syncSelected);
    connect(m_retry, &QAction::triggered, this, &MainWindow::retrySelected);
    connect(m_rescan, &QAction::triggered, this, &MainWindow::rescanSelected);
    connect(m_moveToTop, &QAction::triggered, this, &MainWindow::moveSelectedToTop);
    connect(m_cancel, &QAction::triggered, this, &MainWindow::cancelSelected);
    connect(m_remove, &QAction::triggered, this, &MainWindow::removeSelected);
    connect(m_pauseAll, &QAction::triggered, &m_engine, &SyncEngine::pauseAll);
    connect(m_resumeAll, &QAction::triggered, &m_engine, &SyncEngine::resumeAll);
    connect(m_openFolder, &QAction::triggered, this, &MainWindow::openLocalFolders);
    connect(m_copyUrl, &QAction::triggered, this, &MainWindow::copyObjectUrls);

    m_credentials = new CredentialStore(this);
    m_settings = addAction(QStringLiteral("actionSettings"), tr("Se&ttings…"), QKeySequence::Preferences,
        QStyle::SP_FileDialogDetailedView);
    m_settings->setMenuRole(QAction::PreferencesRole);
    connect(m_settings, &QAction::triggered, this, &MainWindow::openSettings);
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
    QToolBar *toolBar = addToolBar(tr("Episodes"));
    toolBar->setObjectName(QStringLiteral("episodesToolBar"));
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addActions({m_addFiles, m_addFolder});
    toolBar->addSeparator();
    toolBar->addActions({m_sync, m_retry, m_rescan, m_moveToTop, m_cancel, m_remove});
    toolBar->addSeparator();
    toolBar->addActions({m_pauseAll, m_resumeAll});
    toolBar->addSeparator();
    toolBar->addAction(m_settings);

    auto *spacer = new QWidget(toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolBar->addWidget(spacer);

    m_stateFilter = new QComboBox(toolBar);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateFilter->addItem(tr("All episodes"), -1);
    for (const EpisodeState state : {EpisodeState::Scanning, EpisodeState::Pending, EpisodeState::InProgress,
             EpisodeState::Completed, EpisodeState::Failed, EpisodeState::Cancelled})
        m_stateFilter->addItem(EpisodeTableModel::stateText(state), int(state));
    toolBar->addWidget(m_stateFilter);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this] {
        const int state = m_stateFilter->currentData().toInt();
        m_proxy->setStateFilter(state < 0 ? std::nullopt : std::optional(EpisodeState(state)));
    });

    m_search = new QLineEdit(toolBar);
    m_search->setObjectName(QStringLiteral("searchField"));
    m_search->setPlaceholderText(tr("Search name, id, path, error…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    toolBar->addWidget(m_search);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &EpisodeFilterProxyModel::setSearchText);
    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_search, [this] { m_search->setFocus(Qt::ShortcutFocusReason); });
    QWidget::addAction(find);
}

void MainWindow::createTable()
{
    m_view = new QTableView(this);
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
    header->setStretchLastSection(true);
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    const int widths[] = {56, 220, 90, 160, 240, 96, 84, 70, 300, 160};
    for (int column = 0; column < EpisodeTableModel::ColumnCount; ++column)
        header->resizeSection(column, widths[column]);
    connect(m_view, &QTableView::customContextMenuRequested, this, &MainWindow::showContextMenu);

    // The storage's state, said once above the table instead of as an error on every row.
    m_storageBanner = new QLabel(this);
    m_storageBanner->setObjectName(QStringLiteral("storageBanner"));
    m_storageBanner->setWordWrap(true);
    m_storageBanner->setTextFormat(Qt::PlainText);
    m_storageBanner->setContentsMargins(10, 6, 10, 6);
    m_storageBanner->setAutoFillBackground(true);
    QPalette warning = m_storageBanner->palette();
    warning.setColor(QPalette::Window, QColor(0xfd, 0xed, 0xc8));
    warning.setColor(QPalette::WindowText, QColor(0x5c, 0x3b, 0x00));
    m_storageBanner->setPalette(warning);
    m_storageBanner->hide();
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_storageBanner);
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
    const StorageHealth health = m_engine.storageHealth();
    m_storageBanner->setText(storageBannerText(health));
    m_storageBanner->setVisible(!health.isOk());
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

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
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

void MainWindow::reportFailure(const QString &format, qint64 id, const SyncError &error)
{
    const QString message = format.arg(id).arg(error.message);
    qCInfo(lcUi) << message;
    statusBar()->showMessage(message, kMessageTimeoutMs);
    Q_EMIT commandFailed(message);
}

template <typename Command>
void MainWindow::runOnSelected(Command command, const QString &failureFormat)
{
    QPointer<MainWindow> self(this);
    const QList<qint64> ids = selectedIds();
    for (const qint64 id : ids) {
        (m_engine.*command)(id, [self, id, failureFormat](const SyncResult<EpisodeStatus> &result) {
            if (self && !result)
                self->reportFailure(failureFormat, id, result.error());
        });
    }
}

void MainWindow::syncSelected()
{
    runOnSelected(&SyncEngine::enqueue, tr("Cannot sync episode %1: %2"));
}

void MainWindow::retrySelected()
{
    runOnSelected(&SyncEngine::retry, tr("Cannot retry episode %1: %2"));
}

void MainWindow::rescanSelected()
{
    runOnSelected(&SyncEngine::rescan, tr("Cannot rescan episode %1: %2"));
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
    QPointer<MainWindow> self(this);
    for (const EpisodeRecord &record : selectedRecords()) {
        if (record.priority >= top)
            continue;
        m_engine.setPriority(record.id, top, [self, id = record.id](const SyncResult<EpisodeStatus> &result) {
            if (self && !result)
                self->reportFailure(tr("Cannot move episode %1 to the top: %2"), id, result.error());
        });
    }
}

void MainWindow::cancelSelected()
{
    runOnSelected(&SyncEngine::cancel, tr("Cannot cancel episode %1: %2"));
}

void MainWindow::removeSelected()
{
    QPointer<MainWindow> self(this);
    const QList<qint64> ids = selectedIds();
    for (const qint64 id : ids) {
        m_engine.remove(id, [self, id](const SyncResult<void> &result) {
            if (self && !result)
                self->reportFailure(tr("Cannot remove episode %1: %2"), id, result.error());
        });
    }
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
    menu.addActions({m_sync, m_retry, m_rescan, m_moveToTop, m_cancel});
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
    bool canSync = false, canRetry = false, canRescan = false, canCancel = false, canMove = false, hasUrl = false;
    const QList<EpisodeRecord> records = selectedRecords();
    for (const EpisodeRecord &record : records) {
        const EpisodeState state = record.state;
        canSync |= state == EpisodeState::Pending || state == EpisodeState::Failed || state == EpisodeState::Cancelled;
        canRetry |= state == EpisodeState::Failed || state == EpisodeState::Cancelled;
        canRescan
            |= state != EpisodeState::InProgress && state != EpisodeState::Completed && state != EpisodeState::Scanning;
        // Cancelling a scan withdraws a registration (a rescan: the episode stays as it was).
        canCancel
            |= state == EpisodeState::Pending || state == EpisodeState::InProgress || state == EpisodeState::Scanning;
        canMove |= state == EpisodeState::Pending;
        hasUrl |= !record.cloudBucket.isEmpty();
    }
    m_sync->setEnabled(canSync);
    m_retry->setEnabled(canRetry);
    m_rescan->setEnabled(canRescan);
    m_cancel->setEnabled(canCancel);
    m_moveToTop->setEnabled(canMove);
    m_remove->setEnabled(!records.isEmpty());
    m_openFolder->setEnabled(!records.isEmpty());
    m_copyUrl->setEnabled(hasUrl);
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

#include "episodedetailspane.h"

#include "episodefilesmodel.h"
#include "progressdelegate.h"
#include "sync/objectkeys.h"
#include "sync/progresstext.h"
#include "sync/syncengine.h"
#include "uilogging.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPointer>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace {

const QString kNone = QStringLiteral("—");

QString whenText(const QDateTime &time)
{
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat) : kNone;
}

// How long the attempts ran, each from its start to its end (a running one: to now). The waits between attempts
// (retry backoff, pauses, the queue) are not in it.
qint64 attemptsRunMs(const QList<SyncLogEntry> &attempts, const QDateTime &now)
{
    qint64 ms = 0;
    for (const SyncLogEntry &attempt : attempts) {
        const QDateTime end = attempt.finishedAt.isValid() ? attempt.finishedAt : now;
        ms += std::max<qint64>(0, attempt.startedAt.msecsTo(end));
    }
    return ms;
}

qint64 verifiedBytes(const EpisodeStatus &status)
{
    if (status.record.state == EpisodeState::Completed)
        return status.record.totalBytes;
    return status.progress ? status.progress->committedBytes : 0;
}

} // namespace

EpisodeDetailsPane::EpisodeDetailsPane(SyncEngine &engine, QWidget *parent)
    : QDockWidget(tr("Details"), parent)
    , m_engine(engine)
{
    setObjectName(QStringLiteral("detailsDock"));
    auto *body = new QWidget(this);
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 6, 6, 6);
    m_hint = new QLabel(body);
    m_hint->setObjectName(QStringLiteral("detailsHint"));
    m_hint->setWordWrap(true);
    m_content = createContent();
    layout->addWidget(m_hint);
    layout->addWidget(m_content, 1);
    setWidget(body);

    m_readTimer.setSingleShot(true);
    connect(&m_readTimer, &QTimer::timeout, this, &EpisodeDetailsPane::readFiles);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        showCountdown();
        showTimings();
    });
    connect(&m_engine, &SyncEngine::changed, this, &EpisodeDetailsPane::onEngineChanged);
    connect(&m_engine, &SyncEngine::logAppended, this, [this](qint64 id) {
        if (id == m_id)
            readAttempts();
    });
    showEpisode(0);
}

EpisodeDetailsPane::~EpisodeDetailsPane() = default;

QWidget *EpisodeDetailsPane::createContent()
{
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *columns = new QHBoxLayout;
    auto *header = new QFormLayout;
    addField(header, Field::Name, QStringLiteral("name"), tr("Name:"));
    addField(header, Field::State, QStringLiteral("state"), tr("State:"));
    addField(header, Field::LocalPath, QStringLiteral("localPath"), tr("Local path:"));
    addField(header, Field::ObjectPrefix, QStringLiteral("objectPrefix"), tr("Object prefix:"))
        ->setToolTip(tr("Every file of the episode is stored below this prefix."));
    addField(header, Field::ManifestKey, QStringLiteral("manifestKey"), tr("Manifest key:"))
        ->setToolTip(tr("The manifest is written last: it marks the episode complete in the storage."));
    addField(header, Field::ManifestEtag, QStringLiteral("manifestEtag"), tr("Manifest ETag:"));
    addField(header, Field::ResumableUploads, QStringLiteral("resumableUploads"), tr("Resumable uploads:"))
        ->setToolTip(tr("Multipart uploads kept on the storage: the next attempt continues them instead of starting "
                        "over."));
    addField(header, Field::LastError, QStringLiteral("lastError"), tr("Last error:"));
    auto *timings = new QFormLayout;
    addField(timings, Field::Queued, QStringLiteral("queued"), tr("Queued:"))
        ->setToolTip(tr("When the episode was registered."));
    addField(timings, Field::Started, QStringLiteral("started"), tr("Started:"))
        ->setToolTip(tr("When its first sync attempt started."));
    addField(timings, Field::Completed, QStringLiteral("completed"), tr("Completed:"));
    addField(timings, Field::Duration, QStringLiteral("duration"), tr("Duration:"))
        ->setToolTip(tr("From the start of the first attempt to completion, waits between attempts included."));
    addField(timings, Field::TimeUploading, QStringLiteral("timeUploading"), tr("Time uploading:"))
        ->setToolTip(tr("The time the sync attempts ran, added up; waits between attempts are not counted."));
    const QString speedTip = tr("Verified bytes divided by the time the sync attempts ran (waits for a retry, pauses "
                                "and the queue are not counted). Bytes sent but never verified are not counted.");
    addField(timings, Field::AverageSpeed, QStringLiteral("averageSpeed"), tr("Average speed:"))->setToolTip(speedTip);
    addField(timings, Field::NextRetry, QStringLiteral("nextRetry"), tr("Next retry:"));
    columns->addLayout(header, 3);
    columns->addSpacing(12);
    columns->addLayout(timings, 2);
    layout->addLayout(columns);

    m_files = new EpisodeFilesModel(this);
    m_filesView = new QTableView(content);
    m_filesView->setObjectName(QStringLiteral("detailsFilesView"));
    m_filesView->setModel(m_files);
    m_filesView->setItemDelegateForColumn(EpisodeFilesModel::ProgressColumn, new ProgressDelegate(m_filesView));
    m_filesView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_filesView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_filesView->setAlternatingRowColors(true);
    m_filesView->setWordWrap(false);
    m_filesView->verticalHeader()->hide();
    m_filesView->horizontalHeader()->setStretchLastSection(true);
    m_filesView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_filesView, &QWidget::customContextMenuRequested, this, &EpisodeDetailsPane::showFilesContextMenu);
    // Once per new list of files, not per progress tick (it measures at most the header's precision, 1000 rows).
    connect(m_files, &QAbstractItemModel::modelReset, this, [this] {
        m_filesView->resizeColumnsToContents();
        // A state changes as the upload goes on: room for the longest from the start.
        EpisodeFileRecord longest; // "completed · etag not checked"
        longest.etagChecked = false;
        const int state = m_filesView->fontMetrics().horizontalAdvance(EpisodeFilesModel::stateText(longest)) + 16;
        m_filesView->setColumnWidth(
            EpisodeFilesModel::StateColumn, std::max(state, m_filesView->columnWidth(EpisodeFilesModel::StateColumn)));
    });
    layout->addWidget(m_filesView, 1);

    m_copyKey = new QAction(tr("Copy object key"), this);
    m_copyKey->setObjectName(QStringLiteral("actionCopyObjectKey"));
    m_copyKey->setShortcut(QKeySequence::Copy);
    m_copyKey->setShortcutContext(Qt::WidgetWithChildrenShortcut); // Ctrl+C in the files table only
    connect(m_copyKey, &QAction::triggered, this, &EpisodeDetailsPane::copyObjectKeys);
    m_filesView->addAction(m_copyKey);
    m_filesView->installEventFilter(this); // Ctrl+C: see eventFilter()
    return content;
}

QLabel *EpisodeDetailsPane::addField(QFormLayout *form, Field field, const QString &name, const QString &label)
{
    auto *value = new QLabel(kNone, this);
    value->setObjectName(name + QStringLiteral("Value"));
    value->setTextFormat(Qt::PlainText); // names, paths and keys are shown as they are
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setWordWrap(true);
    form->addRow(label, value);
    m_fields.insert(int(field), value);
    return value;
}

void EpisodeDetailsPane::setField(Field field, const QString &text)
{
    m_fields.value(int(field))->setText(text.isEmpty() ? kNone : text);
}

QString EpisodeDetailsPane::fieldText(Field field) const
{
    return m_fields.value(int(field))->text();
}

QString EpisodeDetailsPane::hintText() const
{
    return m_hint->isVisibleTo(this) ? m_hint->text() : QString();
}

void EpisodeDetailsPane::showSelection(const QList<qint64> &ids)
{
    showEpisode(ids.size() == 1 ? ids.first() : 0);
    if (ids.size() > 1)
        m_hint->setText(tr("%1 episodes selected: select one to see its details.").arg(ids.size()));
}

void EpisodeDetailsPane::showEpisode(qint64 id)
{
    if (id == m_id && id > 0)
        return;
    m_id = id;
    ++m_request;
    m_readTimer.stop();
    m_readInFlight = false;
    m_readWanted = false;
    m_readIntervalMs = kMinReadIntervalMs;
    m_attempts.clear();
    m_files->clear();
    m_status = id > 0 ? m_engine.status(id) : std::nullopt;
    m_hint->setVisible(!m_status);
    m_content->setVisible(bool(m_status));
    if (!m_status) {
        m_hint->setText(id > 0 ? tr("Episode %1 is gone.").arg(id) : tr("Select an episode to see its details."));
        updateTicking();
        return;
    }
    showHeader();
    showTimings();
    showCountdown();
    updateTicking();
    readFiles();
    readAttempts();
}

void EpisodeDetailsPane::onEngineChanged(const EngineChanges &changes)
{
    if (m_id <= 0 || !std::binary_search(changes.changedIds.cbegin(), changes.changedIds.cend(), m_id))
        return;
    const auto status = m_engine.status(m_id);
    if (!status) { // removed
        showEpisode(0);
        return;
    }
    const bool stateChanged = !m_status || m_status->record.state != status->record.state;
    m_status = status;
    showHeader();
    showTimings();
    showCountdown();
    updateTicking();
    scheduleFilesRead();
    if (stateChanged)
        readAttempts(); // an attempt ended: its end time is in the log now
}

void EpisodeDetailsPane::scheduleFilesRead()
{
    m_readWanted = true;
    if (m_readInFlight || m_readTimer.isActive())
        return;
    const qint64 since = m_lastRead.isValid() ? m_lastRead.elapsed() : m_readIntervalMs;
    m_readTimer.start(int(std::max<qint64>(0, m_readIntervalMs - since)));
}

void EpisodeDetailsPane::readFiles()
{
    if (m_id <= 0)
        return;
    m_readWanted = false;
    m_readInFlight = true;
    m_lastRead.start();
    ++m_reads;
    const quint64 request = m_request;
    const qint64 id = m_id;
    QPointer<EpisodeDetailsPane> self(this);
    m_engine.episodeFiles(id, [self, request, id](const SyncResult<QList<EpisodeFileRecord>> &result) {
        if (!self || request != self->m_request)
            return;
        self->m_readInFlight = false;
        self->m_readIntervalMs = std::max<qint64>(kMinReadIntervalMs, kReadCostFactor * self->m_lastRead.elapsed());
        if (!result) {
            qCWarning(lcUi) << "cannot read the files of episode" << id << result.error().message;
        } else {
            self->showFiles(result.value());
            Q_EMIT self->filesShown(id);
        }
        if (self->m_readWanted)
            self->scheduleFilesRead();
    });
}

void EpisodeDetailsPane::readAttempts()
{
    const quint64 request = m_request;
    const qint64 id = m_id;
    QPointer<EpisodeDetailsPane> self(this);
    // Every attempt (limit 0): the first one's start and the time they all ran are timings of the whole episode.
    m_engine.logs(id, 0, [self, request, id](const SyncResult<QList<SyncLogEntry>> &result) {
        if (!self || request != self->m_request)
            return;
        if (!result) {
            qCWarning(lcUi) << "cannot read the attempts of episode" << id << result.error().message;
            return;
        }
        self->m_attempts = result.value();
        self->showTimings();
        self->updateTicking();
        Q_EMIT self->attemptsShown(id);
    });
}

void EpisodeDetailsPane::showFiles(const QList<EpisodeFileRecord> &files)
{
    // The cap is the status as it is now, not as it was when the read was asked for: the newest the views know.
    if (const auto now = m_engine.status(m_id))
        m_status = now;
    const EpisodeRecord &record = m_status->record;
    m_files->setFiles(files, ObjectKeys::episodePrefix(record, m_engine.config().keyPrefix), verifiedBytes(*m_status));
    setField(Field::ResumableUploads, QLocale().toString(m_files->resumableUploads()));
}

void EpisodeDetailsPane::showHeader()
{
    const EpisodeRecord &record = m_status->record;
    const QString prefix = ObjectKeys::episodePrefix(record, m_engine.config().keyPrefix);
    const bool completed = record.state == EpisodeState::Completed;
    setField(Field::Name, record.name);
    setField(Field::State, ProgressText::stateAndStage(*m_status));
    setField(Field::LocalPath, record.localPath);
    setField(Field::ObjectPrefix, prefix + QLatin1Char('/'));
    setField(Field::ManifestKey, ObjectKeys::manifestKey(prefix));
    setField(Field::ManifestEtag, completed ? QString::fromLatin1(record.manifestEtag) : QString());
    setField(Field::LastError,
        record.hasError() ? tr("%1: %2").arg(record.lastErrorCode, record.lastErrorMessage) : QString());
    // Before completion the keys follow the configuration in force; afterwards the record's own prefix.
    m_fields.value(int(Field::ObjectPrefix))
        ->setToolTip(completed ? tr("Where the episode's files are stored.")
                               : tr("Where the episode's files go, with the storage settings in force."));
}

void EpisodeDetailsPane::showTimings()
{
    if (!m_status)
        return;
    const EpisodeRecord &record = m_status->record;
    const bool completed = record.state == EpisodeState::Completed;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime started = m_attempts.isEmpty() ? QDateTime() : m_attempts.last().startedAt;
    setField(Field::Queued, whenText(record.createdAt));
    setField(Field::Started, whenText(started));
    setField(Field::Completed, completed ? whenText(record.syncedAt) : QString());
    setField(Field::Duration,
        completed && started.isValid() ? ProgressText::duration(started.secsTo(record.syncedAt)) : QString());
    const qint64 runMs = attemptsRunMs(m_attempts, now);
    setField(Field::TimeUploading, m_attempts.isEmpty() ? QString() : ProgressText::duration(runMs / 1000));
    const qint64 bytes = verifiedBytes(*m_status);
    setField(Field::AverageSpeed,
        runMs > 0 && bytes > 0 ? ProgressText::speed(double(bytes) * 1000.0 / double(runMs)) : QString());
}

void EpisodeDetailsPane::showCountdown()
{
    if (!m_status)
        return;
    const EpisodeRecord &record = m_status->record;
    const bool waiting = m_status->stage == EpisodeStage::WaitingRetry && record.nextRetryAt.isValid();
    setField(Field::NextRetry,
        waiting ? tr("%1 (%2)").arg(
            ProgressText::countdown(record.nextRetryAt, QDateTime::currentDateTimeUtc()), whenText(record.nextRetryAt))
                : QString());
}

void EpisodeDetailsPane::updateTicking()
{
    const bool waiting = m_status && m_status->stage == EpisodeStage::WaitingRetry;
    const bool running = std::any_of(m_attempts.cbegin(), m_attempts.cend(),
        [](const SyncLogEntry &attempt) { return !attempt.finishedAt.isValid(); });
    if (m_status && (waiting || running)) {
        if (!m_tick.isActive())
            m_tick.start();
    } else {
        m_tick.stop();
    }
}

void EpisodeDetailsPane::copyObjectKeys()
{
    QModelIndexList rows = m_filesView->selectionModel()->selectedRows();
    if (rows.isEmpty() && m_filesView->currentIndex().isValid())
        rows.append(m_filesView->currentIndex());
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList keys;
    for (const QModelIndex &row : std::as_const(rows))
        keys.append(m_files->rowAt(row.row()).objectKey);
    if (!keys.isEmpty())
        QApplication::clipboard()->setText(keys.join(QLatin1Char('\n')));
}

bool EpisodeDetailsPane::eventFilter(QObject *watched, QEvent *event)
{
    const bool key = event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress;
    if (watched != m_filesView || !key || !static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy))
        return QDockWidget::eventFilter(watched, event);
    // Ctrl+C here is ours, not the window's (its "Copy object URL" has the same key): taking the override keeps
    // the shortcut map out, and the key press that follows copies the files' keys.
    event->accept();
    if (event->type() == QEvent::KeyPress)
        copyObjectKeys();
    return true;
}

void EpisodeDetailsPane::showFilesContextMenu(const QPoint &position)
{
    const QModelIndex index = m_filesView->indexAt(position);
    if (!index.isValid())
        return;
    if (!m_filesView->selectionModel()->isRowSelected(index.row(), {}))
        m_filesView->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QMenu menu(this);
    menu.addAction(m_copyKey);
    menu.exec(m_filesView->viewport()->mapToGlobal(position));
}

#include "episodeactions.h"

#include "commandtally.h"
#include "sync/episodepriority.h"
#include "sync/progresstext.h"
#include "sync/syncengine.h"
#include "uilogging.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QUrl>

#include <algorithm>

namespace {

constexpr int kMaxFoldersOpened = 5; // opening a file manager per row of a big selection helps nobody

// The folder an episode lives in: the folder itself for a folder episode, the file's folder otherwise. Decided
// from the record only (fileCount), so the GUI thread never stats the disk.
QString localFolder(const EpisodeRecord &record)
{
    if (record.fileCount > 1)
        return record.localPath;
    return QFileInfo(record.localPath).absolutePath();
}

} // namespace

EpisodeActions::EpisodeActions(SyncEngine &engine, EpisodeSelection selection, QWidget *window)
    : QObject(window)
    , m_engine(engine)
    , m_selection(selection)
    , m_window(window)
{ }

void EpisodeActions::addEpisodes(const QStringList &paths)
{
    QPointer<EpisodeActions> self(this);
    for (const QString &path : paths) {
        const QString clean = QDir::cleanPath(path);
        const QString name = QFileInfo(clean).fileName();
        qCInfo(lcUi) << "registering" << clean << "as" << name;
        m_engine.registerEpisode(clean, name, [self, clean](const SyncResult<EpisodeStatus> &result) {
            if (!self)
                return;
            if (!result) {
                const QString message = tr("Cannot add %1: %2").arg(clean, result.error().message);
                Q_EMIT self->message(message);
                Q_EMIT self->commandFailed(message);
                return;
            }
            Q_EMIT self->message(tr("Added %1").arg(result.value().record.name));
        });
    }
}

void EpisodeActions::addFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(m_window, tr("Add episode files"));
    addEpisodes(files);
}

void EpisodeActions::addFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(m_window, tr("Add episode folder"));
    if (!folder.isEmpty())
        addEpisodes({folder});
}

void EpisodeActions::reportSummary(const QString &summary, bool anyFailed)
{
    qCInfo(lcUi) << summary;
    Q_EMIT message(summary);
    if (anyFailed)
        Q_EMIT commandFailed(summary);
}

template <typename Command>
void EpisodeActions::runOnSelected(EpisodeCommand which, Command command, const QString &doneFormat)
{
    QPointer<EpisodeActions> self(this);
    auto tally = std::make_shared<CommandTally>(doneFormat, [self](const QString &summary, bool anyFailed) {
        if (self)
            self->reportSummary(summary, anyFailed);
    });
    QList<qint64> ids;
    for (const EpisodeRecord &record : m_selection.records()) {
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

void EpisodeActions::syncSelected()
{
    runOnSelected(
        EpisodeCommand::Sync, [this](qint64 id, auto done) { m_engine.enqueue(id, answerOf<EpisodeStatus>(done)); },
        m_engine.isPaused() ? tr("Queued %1; uploads are paused: Resume all to start them") : tr("Synced %1"));
}

void EpisodeActions::pauseSelected()
{
    runOnSelected(
        EpisodeCommand::Pause,
        [this](qint64 id, auto done) { m_engine.pauseEpisode(id, answerOf<EpisodeStatus>(done)); }, tr("Paused %1"));
}

void EpisodeActions::resumeSelected()
{
    runOnSelected(
        EpisodeCommand::Resume,
        [this](qint64 id, auto done) { m_engine.resumeEpisode(id, answerOf<EpisodeStatus>(done)); }, tr("Resumed %1"));
}

void EpisodeActions::retrySelected()
{
    runOnSelected(
        EpisodeCommand::Retry, [this](qint64 id, auto done) { m_engine.retry(id, answerOf<EpisodeStatus>(done)); },
        tr("Retried %1"));
}

void EpisodeActions::rescanSelected()
{
    runOnSelected(
        EpisodeCommand::Rescan, [this](qint64 id, auto done) { m_engine.rescan(id, answerOf<EpisodeStatus>(done)); },
        tr("Rescanning %1"));
}

void EpisodeActions::moveSelectedToTop()
{
    const QList<qint64> ids = m_selection.ids();
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
void EpisodeActions::cancelSelected()
{
    qint64 verified = 0;
    int withVerified = 0;
    for (const qint64 id : m_selection.ids()) {
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
        QMessageBox::NoButton, m_window);
    box->setObjectName(QStringLiteral("cancelConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *discard = box->addButton(tr("Cancel and discard"), QMessageBox::DestructiveRole);
    discard->setObjectName(QStringLiteral("discardButton"));
    QPushButton *pause = box->addButton(tr("Pause instead"), QMessageBox::AcceptRole);
    pause->setObjectName(QStringLiteral("pauseInsteadButton"));
    QPushButton *keep = box->addButton(tr("Keep uploading"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepButton"));
    box->setDefaultButton(keep);
    connect(discard, &QPushButton::clicked, this, &EpisodeActions::cancelSelectedNow);
    connect(pause, &QPushButton::clicked, this, &EpisodeActions::pauseSelected);
    box->open();
}

void EpisodeActions::cancelSelectedNow()
{
    runOnSelected(
        EpisodeCommand::Cancel, [this](qint64 id, auto done) { m_engine.cancel(id, answerOf<EpisodeStatus>(done)); },
        tr("Cancelled %1"));
}

// Removing forgets the episode's row and its history (the local files and the uploaded objects stay): it asks.
void EpisodeActions::removeSelected()
{
    int removable = 0;
    for (const EpisodeRecord &record : m_selection.records())
        removable += EpisodeCommands::applies(EpisodeCommand::Remove, record) ? 1 : 0;
    if (removable == 0) {
        removeSelectedNow(); // reports why nothing was removed
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove from list"),
        tr("Remove %1 from the list? The local files and the objects in the bucket are not touched; the episodes' "
           "history is forgotten.")
            .arg(ProgressText::count(removable, ProgressText::Noun::Episode)),
        QMessageBox::NoButton, m_window);
    box->setObjectName(QStringLiteral("removeConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *remove = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("removeButton"));
    QPushButton *keep = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(keep);
    connect(remove, &QPushButton::clicked, this, &EpisodeActions::removeSelectedNow);
    box->open();
}

void EpisodeActions::removeSelectedNow()
{
    runOnSelected(
        EpisodeCommand::Remove,
        [this](qint64 id, auto done) {
            m_engine.remove(id, [done](const SyncResult<void> &result) { done(result ? nullptr : &result.error()); });
        },
        tr("Removed %1"));
}

void EpisodeActions::openLocalFolders()
{
    const QList<EpisodeRecord> records = m_selection.records();
    for (qsizetype i = 0; i < records.size() && i < kMaxFoldersOpened; ++i) {
        if (!QDesktopServices::openUrl(QUrl::fromLocalFile(localFolder(records.at(i)))))
            Q_EMIT message(tr("Cannot open %1").arg(localFolder(records.at(i))));
    }
}

void EpisodeActions::copyObjectUrls()
{
    QStringList urls;
    const QList<EpisodeRecord> records = m_selection.records();
    for (const EpisodeRecord &record : records) {
        if (!record.cloudBucket.isEmpty())
            urls.append(m_engine.config().profile.objectUrl(record.cloudBucket, record.cloudKeyPrefix + u'/'));
    }
    if (urls.isEmpty())
        return;
    QApplication::clipboard()->setText(urls.join(u'\n'));
    Q_EMIT message(tr("Copied %1").arg(ProgressText::count(urls.size(), ProgressText::Noun::ObjectUrl)));
}

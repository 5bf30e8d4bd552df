#include "episoderegistry.h"

#include "episodescanner.h"
#include "synclogging.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSet>
#include <QThread>

#include <algorithm>

namespace {

constexpr int kMaxNameLength = 200;

// Names become part of object keys: one path segment of printable characters.
std::optional<QString> nameProblem(const QString &name)
{
    if (name.trimmed().isEmpty())
        return EpisodeRegistry::tr("the name is empty");
    if (name.size() > kMaxNameLength)
        return EpisodeRegistry::tr("the name is longer than %1 characters").arg(kMaxNameLength);
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return EpisodeRegistry::tr("the name cannot be '.' or '..'");
    for (const QChar c : name) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\') || c.category() == QChar::Other_Control)
            return EpisodeRegistry::tr("the name cannot contain '/', '\\' or control characters");
    }
    return std::nullopt;
}

} // namespace

EpisodeRegistry::EpisodeRegistry(const SyncConfig &config, EpisodeLedger &ledger, const EpisodeStateMachine &machine,
    SyncJournal &journal, IncompleteUploadCleaner &cleaner, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_ledger(ledger)
    , m_machine(machine)
    , m_journal(journal)
    , m_cleaner(cleaner)
{
    m_scanner = new EpisodeScanner(
        [this](qint64 id, const StorageResult<QList<LocalFile>> &result) { onScanned(id, result); },
        [&store = m_ledger.store()](qint64 id, int files, qint64 bytes) { store.setScanCount(id, files, bytes); },
        this);
}

EpisodeRegistry::~EpisodeRegistry()
{
    delete m_scanner; // waits for its workers while the store and catalog still exist
}

SyncResult<EpisodeRecord> EpisodeRegistry::registerEpisode(const QString &path, const QString &name, ScanDone done)
{
    return addEpisode(path, name, {}, {}, std::move(done));
}

SyncResult<EpisodeRecord> EpisodeRegistry::registerWatchedFolder(
    const QString &path, const QString &name, const QString &marker)
{
    return addEpisode(path, name, marker, QFileInfo(path).absoluteFilePath(), {});
}

SyncResult<QStringList> EpisodeRegistry::watchedFolders()
{
    auto paths = m_ledger.catalog().watchedFolders();
    if (!paths)
        return EpisodeLedger::catalogError(paths.error());
    return paths.value();
}

SyncResult<void> EpisodeRegistry::recordWatchedFolder(const QString &path, qint64 episodeId)
{
    auto recorded = m_ledger.catalog().recordWatchedFolder(path, episodeId, QDateTime::currentDateTimeUtc());
    if (!recorded)
        return EpisodeLedger::catalogError(recorded.error());
    return {};
}

SyncResult<EpisodeRecord> EpisodeRegistry::addEpisode(
    const QString &path, const QString &name, const QString &excludedFile, const QString &watchedFolder, ScanDone done)
{
    const QString episodeName = name.isEmpty() ? QFileInfo(path).fileName() : name;
    if (const auto problem = nameProblem(episodeName))
        return SyncError{SyncError::Code::InvalidInput, *problem};
    // One stat here for the common mistake, answered at once; the tree itself is listed on a worker.
    if (!QFileInfo::exists(path))
        return SyncError{SyncError::Code::InvalidInput, EpisodeRegistry::tr("%1 does not exist").arg(path)};

    EpisodeRecord episode;
    episode.name = episodeName;
    episode.localPath = QFileInfo(path).absoluteFilePath();
    episode.createdAt = QDateTime::currentDateTimeUtc();
    episode.state = EpisodeState::Scanning;
    auto id = m_ledger.catalog().insertEpisode(episode, {}, watchedFolder);
    if (!id)
        return EpisodeLedger::catalogError(id.error());
    episode.id = id.value();
    m_ledger.show(episode);
    Scan scan;
    scan.done = std::move(done);
    startScan(episode, excludedFile, std::move(scan));
    return episode;
}

SyncResult<EpisodeRecord> EpisodeRegistry::rescan(qint64 id, ScanDone done)
{
    auto current = m_ledger.record(id);
    if (!current)
        return current;
    EpisodeRecord episode = current.value();
    if (auto allowed = m_machine.rescan(episode); !allowed)
        return allowed.error();
    m_ledger.show(episode); // scanning, in memory only: until the scan ends the catalog's record holds
    Scan scan;
    scan.before = current.value();
    scan.done = std::move(done);
    startScan(episode, scanExclusion(episode.localPath), std::move(scan));
    return episode;
}

void EpisodeRegistry::resumeScan(const EpisodeRecord &episode)
{
    startScan(episode, scanExclusion(episode.localPath), {});
}

bool EpisodeRegistry::isScanning(qint64 id) const
{
    return m_scanner->isScanning(id);
}

void EpisodeRegistry::cancelScan(qint64 id)
{
    m_scanner->cancel(id);
}

void EpisodeRegistry::keepPriority(qint64 id, int priority)
{
    if (const auto scan = m_scans.find(id); scan != m_scans.end() && scan->second.before)
        scan->second.before->priority = priority;
}

void EpisodeRegistry::stopAll()
{
    m_stopped = true;
    m_scanner->cancelAll();
}

QString EpisodeRegistry::scanExclusion(const QString &path) const
{
    return QFileInfo(path).isDir() ? m_config.watch.marker : QString();
}

void EpisodeRegistry::startScan(const EpisodeRecord &episode, const QString &excludedFile, Scan scan)
{
    m_scans[episode.id] = std::move(scan);
    m_scanner->start(episode.id, episode.localPath, excludedFile, m_config.maxFilesPerEpisode);
}

void EpisodeRegistry::onScanned(qint64 id, const StorageResult<QList<LocalFile>> &result)
{
    Q_ASSERT(QThread::currentThread() == thread()); // the catalog connection is the engine thread's
    auto node = m_scans.extract(id);
    if (node.empty() || m_stopped)
        return; // a scan stopped by the shutdown resumes at the next start
    const Scan &scan = node.mapped();
    SyncResult<EpisodeRecord> outcome = result ? applyScan(id, result.value()) : scanError(id, result.error());
    if (!outcome)
        abandonScan(id, outcome.error(), scan);
    if (scan.done)
        scan.done(outcome);
}

SyncError EpisodeRegistry::scanError(qint64 id, const StorageError &error)
{
    if (error.s3Code == QLatin1String("TooManyFiles"))
        return {SyncError::Code::TooManyFiles, error.message, {}};
    if (error.s3Code == QLatin1String("UnsupportedFiles"))
        return {SyncError::Code::UnsupportedFiles, error.message, error.paths};
    if (error.kind == StorageError::Kind::Cancelled)
        return {SyncError::Code::Cancelled, EpisodeRegistry::tr("the scan of episode %1 was cancelled").arg(id), {}};
    return {SyncError::Code::InvalidInput, error.message, {}};
}

EpisodeRegistry::Merge EpisodeRegistry::merge(const QList<EpisodeFileRecord> &recorded, const QList<LocalFile> &scanned)
{
    QHash<QString, EpisodeFileRecord> before;
    for (const EpisodeFileRecord &file : recorded)
        before.insert(file.relativePath, file);
    Merge merged;
    for (const LocalFile &file : scanned) {
        const auto it = before.constFind(file.relativePath);
        if (it != before.cend() && it->identity().sameFileAs(file.identity())) {
            merged.files.append(*it);
            merged.files.last().device = file.device; // a row from before schema v5 learns them (replaceFiles too)
            merged.files.last().inode = file.inode;
            ++merged.kept;
            before.erase(it);
        } else {
            merged.files.append({file.relativePath, file.size, file.mtimeMs, {}, {}, 0, {}, file.device, file.inode});
        }
        merged.totalBytes += file.size;
    }
    // What is left in `before` changed or is gone: uploads kept for its resume will never be completed.
    merged.replaced = before.values();
    // A set, not a search of the new list per file: a rescan of 100,000 changed files must not take 10^10 steps.
    QSet<QString> nowPaths;
    nowPaths.reserve(merged.files.size());
    for (const EpisodeFileRecord &file : std::as_const(merged.files))
        nowPaths.insert(file.relativePath);
    merged.gone = int(std::count_if(before.cbegin(), before.cend(),
        [&nowPaths](const EpisodeFileRecord &file) { return !nowPaths.contains(file.relativePath); }));
    return merged;
}

SyncResult<EpisodeRecord> EpisodeRegistry::applyScan(qint64 id, const QList<LocalFile> &scanned)
{
    auto current = m_ledger.record(id);
    if (!current)
        return current;
    EpisodeRecord episode = current.value(); // scanning; its counts are replaced below
    auto recorded = m_ledger.catalog().loadFiles(id);
    if (!recorded)
        return EpisodeLedger::catalogError(recorded.error());
    const Merge merged = merge(recorded.value(), scanned);
    episode.totalBytes = merged.totalBytes;
    episode.fileCount = int(merged.files.size());
    const auto stale = m_ledger.keptUploads(episode, merged.replaced);
    const bool rescan = !recorded.value().isEmpty();
    if (auto changed = m_machine.scanned(episode); !changed)
        return changed.error();
    if (auto replaced = m_ledger.catalog().replaceFiles(id, merged.files); !replaced)
        return EpisodeLedger::catalogError(replaced.error());
    if (auto saved = m_ledger.persist(episode); !saved)
        return saved.error();
    m_cleaner.abort(stale);
    // What the new list kept of the catalog is what it holds verified.
    m_ledger.store().setVerified(id, m_ledger.verifiedOf(episode, merged.files));
    if (rescan)
        m_journal.rescanned(episode, merged.kept, int(merged.files.size()) - merged.kept, merged.gone);
    else
        m_journal.registered(episode);
    Q_EMIT episodeQueued();
    const auto shown = m_ledger.store().status(id);
    return shown ? shown->record : episode;
}

void EpisodeRegistry::abandonScan(qint64 id, const SyncError &error, const Scan &scan)
{
    if (scan.before) { // a rescan: the episode stays as it was, with the files the catalog still holds
        m_ledger.show(*scan.before);
        m_journal.scanAbandoned(*scan.before, error.message, false);
        return;
    }
    // A registration that cannot be completed is withdrawn: its files were never listed, so there is nothing of
    // it to keep.
    if (const auto status = m_ledger.store().status(id))
        m_journal.scanAbandoned(status->record, error.message, true);
    auto deleted = m_ledger.catalog().deleteEpisode(id);
    if (!deleted && deleted.error().code != CatalogError::Code::NotFound)
        qCWarning(lcSync) << "episode" << id << "could not be withdrawn:" << deleted.error().message;
    m_ledger.store().remove(id);
}

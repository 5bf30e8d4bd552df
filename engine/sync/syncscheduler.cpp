#include "syncscheduler.h"

#include "episodepriority.h"
#include "episodescanner.h"
#include "episodesynchooks.h"
#include "errorhint.h"
#include "objectkeys.h"
#include "storage/curlshare.h"
#include "storage/localfiles.h"
#include "storage/uploadjob.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcSync, "keystone.sync", QtWarningMsg)

namespace {

// The texts of the free functions here, in the translation context SyncScheduler (lupdate places a free tr() in
// no context).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SyncScheduler)
};

constexpr int kMaxNameLength = 200;
constexpr const char *kCatalogUnwritable = "catalog_unwritable"; // error code while uploads wait for the catalog
// Requests in flight of the small lane, beside the shared budget: enough for a small episode of many files to keep
// a few going, few enough that the lane adds little to what the adaptive budget found the link can take.
constexpr int kSmallLaneRequests = 4;
// Small episodes at once in the lane: each costs a few round trips and catalog writes besides its bytes (≈ 15 ms
// on loopback), so one at a time could never finish 2,000 of them before two large uploads (docs/performance.md).
constexpr int kSmallLaneEpisodes = 4;
// How long a killed job's thread may take to end before it is left behind: a job notices a kill within a poll slice
// (100 ms), so only a thread blocked in a read (a file on a hung network mount) takes longer. A cancelled episode
// frees its slot after this at most; a stop waits this long beyond its grace period at most.
constexpr int kStuckJobMs = 2000;

// Names become part of object keys: one path segment of printable characters.
std::optional<QString> nameProblem(const QString &name)
{
    if (name.trimmed().isEmpty())
        return Text::tr("the name is empty");
    if (name.size() > kMaxNameLength)
        return Text::tr("the name is longer than %1 characters").arg(kMaxNameLength);
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return Text::tr("the name cannot be '.' or '..'");
    for (const QChar c : name) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\') || c.category() == QChar::Other_Control)
            return Text::tr("the name cannot contain '/', '\\' or control characters");
    }
    return std::nullopt;
}

} // namespace

SyncScheduler::SyncScheduler(SyncConfig config, EpisodeStatusStore &store, std::shared_ptr<SyncCounterSet> counters)
    : m_config(std::move(config))
    , m_store(store)
    , m_machine(m_config.episodeRetry)
    , m_partSlots(m_config.upload.adaptive ? m_config.upload.adaptive->slots()
                                           : std::make_shared<PartSlots>(std::max(1, m_config.maxPartsInFlight)))
    , m_smallLaneSlots(std::make_shared<PartSlots>(kSmallLaneRequests))
    , m_counters(std::move(counters))
{
    m_config.upload.partSlots = m_partSlots;
    if (!m_config.transport.bandwidth) // one bucket for every episode's transfers (0: unlimited), kept for live limits
        m_config.transport.bandwidth = std::make_shared<BandwidthLimiter>(m_config.bandwidthLimit);
    if (!m_config.transport.share) // DNS answers and TLS sessions carry over from one episode to the next
        m_config.transport.share = std::make_shared<CurlShare>();
    m_config.upload.keepIncompleteUpload = true; // a later attempt resumes what retries could not finish
    m_cleaner = std::make_unique<IncompleteUploadCleaner>(m_config.profile, m_config.credentials, m_config.transport);
    m_scanner = new EpisodeScanner(
        [this](qint64 id, const StorageResult<QList<LocalFile>> &result) { onScanned(id, result); },
        [&store = m_store](qint64 id, int files, qint64 bytes) { store.setScanCount(id, files, bytes); }, this);
}

SyncScheduler::~SyncScheduler()
{
    shutdown();
    delete m_scanner; // waits for its workers while the store and catalog still exist
    for (StuckJob &stuck : m_stuck) {
        if (stuck.job->wait(0))
            continue;
        // Deleting it would wait for its thread forever: the process may exit with that thread still blocked.
        qCWarning(lcSync) << "an upload thread still blocked is left behind";
        static_cast<void>(stuck.job.release());
        static_cast<void>(stuck.hooks.release());
    }
}

SyncError SyncScheduler::catalogError(const CatalogError &error)
{
    const auto code = error.code == CatalogError::Code::NotFound ? SyncError::Code::NotFound
        : error.code == CatalogError::Code::Conflict             ? SyncError::Code::Conflict
                                                                 : SyncError::Code::CatalogFailed;
    return {code, error.message};
}

SyncResult<void> SyncScheduler::initialize()
{
    auto opened = Catalog::open(m_config.dataDir);
    if (!opened)
        return catalogError(opened.error());
    m_catalog = std::move(opened.value());

    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (auto closed = m_catalog->closeInterruptedLogs(now); !closed)
        return catalogError(closed.error());
    auto episodes = m_catalog->loadEpisodes();
    if (!episodes)
        return catalogError(episodes.error());
    QHash<qint64, TransferProgress> verified;
    QList<EpisodeRecord> scanning; // registrations a stop interrupted while their files were listed
    // What is verified shows from the first poll on, whatever the state (one read of every episode's files).
    auto files = m_catalog->loadAllFiles();
    if (!files)
        return catalogError(files.error());
    for (EpisodeRecord &episode : episodes.value()) {
        verified.insert(episode.id, verifiedOf(episode, files.value().value(episode.id)));
        if (episode.state == EpisodeState::Scanning)
            scanning.append(episode);
        if (episode.state != EpisodeState::InProgress)
            continue;
        // A crash interrupted it: back to pending, due now; its verified parts are in the catalog.
        m_machine.interrupt(episode);
        if (auto saved = m_catalog->updateEpisode(episode); !saved)
            return catalogError(saved.error());
        qCInfo(lcSync) << "episode" << episode.id << "was interrupted; it will resume";
    }
    m_store.reset(episodes.value(), verified);
    for (const EpisodeRecord &episode : std::as_const(scanning))
        startScan(episode, scanExclusion(episode.localPath), {});

    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &SyncScheduler::schedule);
    m_timer->start(m_config.schedulerIntervalMs);
    QTimer::singleShot(0, this, &SyncScheduler::schedule);
    return {};
}

TransferProgress SyncScheduler::verifiedOf(const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files) const
{
    return UploadJob::verifiedProgress(
        EpisodeSyncHooks::uploadItems(episode, files, episodeKeyPrefix(episode)), m_config.upload);
}

QString SyncScheduler::episodeKeyPrefix(const EpisodeRecord &episode) const
{
    return ObjectKeys::episodePrefix(m_config.keyPrefix, episode.name);
}

SyncResult<EpisodeRecord> SyncScheduler::record(qint64 id) const
{
    const auto status = m_store.status(id);
    if (!status)
        return SyncError{SyncError::Code::NotFound, tr("there is no episode %1").arg(id)};
    return status->record;
}

SyncResult<void> SyncScheduler::persist(const EpisodeRecord &episode)
{
    if (auto saved = m_catalog->updateEpisode(episode); !saved)
        return catalogError(saved.error());
    m_store.upsert(episode);
    Q_EMIT statusChanged(episode.id, episode.state);
    return {};
}

SyncResult<EpisodeRecord> SyncScheduler::transition(
    qint64 id, SyncResult<void> (EpisodeStateMachine::*change)(EpisodeRecord &) const)
{
    auto episode = record(id);
    if (!episode)
        return episode;
    if (auto changed = (m_machine.*change)(episode.value()); !changed)
        return changed.error();
    if (auto saved = persist(episode.value()); !saved)
        return saved.error();
    QTimer::singleShot(0, this, &SyncScheduler::schedule);
    return episode;
}

void SyncScheduler::liftCredentialsHold()
{
    // A person asked for another try: after rejected credentials, that try is the probe (they may be fixed now).
    if (m_store.storageHealth().state == StorageHealth::State::CredentialsRejected)
        setStorageHealth(StorageHealth::State::Ok, {});
}

SyncResult<EpisodeRecord> SyncScheduler::registerEpisode(const QString &path, const QString &name, ScanDone done)
{
    return addEpisode(path, name, {}, {}, std::move(done));
}

SyncResult<EpisodeRecord> SyncScheduler::registerWatchedFolder(
    const QString &path, const QString &name, const QString &marker)
{
    return addEpisode(path, name, marker, QFileInfo(path).absoluteFilePath(), {});
}

SyncResult<QStringList> SyncScheduler::watchedFolders()
{
    auto paths = m_catalog->watchedFolders();
    if (!paths)
        return catalogError(paths.error());
    return paths.value();
}

SyncResult<void> SyncScheduler::recordWatchedFolder(const QString &path, qint64 episodeId)
{
    if (auto recorded = m_catalog->recordWatchedFolder(path, episodeId, QDateTime::currentDateTimeUtc()); !recorded)
        return catalogError(recorded.error());
    return {};
}

SyncResult<EpisodeRecord> SyncScheduler::addEpisode(
    const QString &path, const QString &name, const QString &excludedFile, const QString &watchedFolder, ScanDone done)
{
    const QString episodeName = name.isEmpty() ? QFileInfo(path).fileName() : name;
    if (const auto problem = nameProblem(episodeName))
        return SyncError{SyncError::Code::InvalidInput, *problem};
    // One stat here for the common mistake, answered at once; the tree itself is listed on a worker.
    if (!QFileInfo::exists(path))
        return SyncError{SyncError::Code::InvalidInput, tr("%1 does not exist").arg(path)};

    EpisodeRecord episode;
    episode.name = episodeName;
    episode.localPath = QFileInfo(path).absoluteFilePath();
    episode.createdAt = QDateTime::currentDateTimeUtc();
    episode.state = EpisodeState::Scanning;
    auto id = m_catalog->insertEpisode(episode, {}, watchedFolder);
    if (!id)
        return catalogError(id.error());
    episode.id = id.value();
    m_store.upsert(episode);
    Q_EMIT statusChanged(episode.id, episode.state);
    Scan scan;
    scan.done = std::move(done);
    startScan(episode, excludedFile, std::move(scan));
    return episode;
}

QString SyncScheduler::scanExclusion(const QString &path) const
{
    return QFileInfo(path).isDir() ? m_config.watch.marker : QString();
}

void SyncScheduler::startScan(const EpisodeRecord &episode, const QString &excludedFile, Scan scan)
{
    m_scans[episode.id] = std::move(scan);
    m_scanner->start(episode.id, episode.localPath, excludedFile, m_config.maxFilesPerEpisode);
}

void SyncScheduler::onScanned(qint64 id, const StorageResult<QList<LocalFile>> &result)
{
    Q_ASSERT(QThread::currentThread() == thread()); // the catalog connection is the engine thread's
    auto node = m_scans.extract(id);
    if (node.empty() || m_shuttingDown)
        return; // a scan stopped by the shutdown resumes at the next start
    const Scan &scan = node.mapped();
    SyncResult<EpisodeRecord> outcome = result ? applyScan(id, result.value()) : scanError(id, result.error());
    if (!outcome)
        abandonScan(id, outcome.error(), scan);
    if (scan.done)
        scan.done(outcome);
}

SyncError SyncScheduler::scanError(qint64 id, const StorageError &error)
{
    if (error.s3Code == QLatin1String("TooManyFiles"))
        return {SyncError::Code::TooManyFiles, error.message, {}};
    if (error.s3Code == QLatin1String("UnsupportedFiles"))
        return {SyncError::Code::UnsupportedFiles, error.message, error.paths};
    if (error.kind == StorageError::Kind::Cancelled)
        return {SyncError::Code::Cancelled, tr("the scan of episode %1 was cancelled").arg(id), {}};
    return {SyncError::Code::InvalidInput, error.message, {}};
}

SyncResult<EpisodeRecord> SyncScheduler::applyScan(qint64 id, const QList<LocalFile> &scanned)
{
    auto current = record(id);
    if (!current)
        return current;
    EpisodeRecord episode = current.value(); // scanning; its counts are replaced below
    auto recorded = m_catalog->loadFiles(id);
    if (!recorded)
        return catalogError(recorded.error());

    QHash<QString, EpisodeFileRecord> before;
    for (const EpisodeFileRecord &file : std::as_const(recorded.value()))
        before.insert(file.relativePath, file);
    QList<EpisodeFileRecord> now;
    int kept = 0;
    episode.totalBytes = 0;
    for (const LocalFile &file : scanned) {
        const auto it = before.constFind(file.relativePath);
        if (it != before.cend() && it->identity().sameFileAs(file.identity())) {
            now.append(*it);
            now.last().device = file.device; // a row from before schema v5 learns them (replaceFiles does too)
            now.last().inode = file.inode;
            ++kept;
            before.erase(it);
        } else {
            now.append({file.relativePath, file.size, file.mtimeMs, {}, {}, 0, {}, file.device, file.inode});
        }
        episode.totalBytes += file.size;
    }
    episode.fileCount = int(now.size());
    // What is left in `before` changed or is gone: uploads kept for its resume will never be completed.
    QList<IncompleteUploadCleaner::Upload> stale;
    for (const EpisodeFileRecord &file : std::as_const(before)) {
        if (!file.uploadId.isEmpty())
            stale.append(
                {m_config.bucket, ObjectKeys::objectKey(episodeKeyPrefix(episode), file.relativePath), file.uploadId});
    }
    // A set, not a search of `now` per file: a rescan of 100,000 changed files must not take 10^10 comparisons.
    QSet<QString> nowPaths;
    nowPaths.reserve(now.size());
    for (const EpisodeFileRecord &file : std::as_const(now))
        nowPaths.insert(file.relativePath);
    const int gone = int(std::count_if(before.cbegin(), before.cend(),
        [&nowPaths](const EpisodeFileRecord &file) { return !nowPaths.contains(file.relativePath); }));
    const bool rescan = !recorded.value().isEmpty();
    if (auto changed = m_machine.scanned(episode); !changed)
        return changed.error();
    if (auto replaced = m_catalog->replaceFiles(id, now); !replaced)
        return catalogError(replaced.error());
    if (auto saved = persist(episode); !saved)
        return saved.error();
    m_cleaner->abort(stale);
    m_store.setVerified(id, verifiedOf(episode, now)); // what `now` kept of the catalog is what it holds verified
    if (rescan)
        m_journal.rescanned(episode, kept, int(now.size()) - kept, gone);
    else
        m_journal.registered(episode);
    QTimer::singleShot(0, this, &SyncScheduler::schedule);
    const auto shown = m_store.status(id);
    return shown ? shown->record : episode;
}

void SyncScheduler::abandonScan(qint64 id, const SyncError &error, const Scan &scan)
{
    if (scan.before) { // a rescan: the episode stays as it was, with the files the catalog still holds
        m_store.upsert(*scan.before);
        Q_EMIT statusChanged(id, scan.before->state);
        m_journal.scanAbandoned(*scan.before, error.message, false);
        return;
    }
    // A registration that cannot be completed is withdrawn: its files were never listed, so there is nothing of
    // it to keep.
    if (const auto status = m_store.status(id))
        m_journal.scanAbandoned(status->record, error.message, true);
    if (auto deleted = m_catalog->deleteEpisode(id); !deleted && deleted.error().code != CatalogError::Code::NotFound)
        qCWarning(lcSync) << "episode" << id << "could not be withdrawn:" << deleted.error().message;
    m_store.remove(id);
}

SyncResult<EpisodeRecord> SyncScheduler::enqueue(qint64 id)
{
    const auto before = record(id);
    auto episode = transition(id, &EpisodeStateMachine::enqueue);
    if (episode)
        liftCredentialsHold();
    journalResumed(before && before.value().paused, episode);
    return episode;
}

SyncResult<EpisodeRecord> SyncScheduler::retry(qint64 id)
{
    const auto before = record(id);
    auto episode = transition(id, &EpisodeStateMachine::retry);
    if (episode)
        liftCredentialsHold();
    journalResumed(before && before.value().paused, episode);
    return episode;
}

void SyncScheduler::journalResumed(bool wasPaused, const SyncResult<EpisodeRecord> &episode)
{
    if (wasPaused && episode && !episode.value().paused)
        m_journal.episodeResumed(episode.value(), verifiedBytes(episode.value().id));
}

qint64 SyncScheduler::verifiedBytes(qint64 id) const
{
    const auto status = m_store.status(id);
    return status && status->progress ? status->progress->committedBytes : 0;
}

SyncResult<void> SyncScheduler::pauseEpisode(qint64 id, RecordDone done)
{
    auto current = record(id);
    if (!current)
        return current.error();
    EpisodeRecord episode = current.value();
    const bool wasPaused = episode.paused;
    if (auto allowed = m_machine.pause(episode); !allowed)
        return allowed;
    // In the catalog before the attempt stops: a crash meanwhile resumes it paused.
    if (!wasPaused) {
        if (auto saved = persist(episode); !saved)
            return saved;
    }
    const auto active = m_active.find(id);
    if (active == m_active.end()) {
        if (!wasPaused)
            m_journal.episodePaused(episode, verifiedBytes(id));
        if (done)
            done(episode);
        return {};
    }
    active->second.pausedByOperator = true;
    active->second.pauseWaiters.push_back(std::move(done));
    // Already stopping (pause-all, new settings draining it): that stop ends it, and the flag keeps it pending.
    stopActive(id, StopReason::Pause);
    return {};
}

SyncResult<EpisodeRecord> SyncScheduler::resumeEpisode(qint64 id)
{
    auto current = record(id);
    if (!current)
        return current;
    EpisodeRecord episode = current.value();
    const bool wasPaused = episode.paused;
    if (auto allowed = m_machine.resume(episode); !allowed)
        return allowed.error();
    if (!wasPaused)
        return episode; // nothing to change (nor to write)
    if (auto saved = persist(episode); !saved)
        return saved.error();
    m_journal.episodeResumed(episode, verifiedBytes(id));
    QTimer::singleShot(0, this, &SyncScheduler::schedule);
    return episode;
}

SyncResult<EpisodeRecord> SyncScheduler::cancel(qint64 id)
{
    if (m_scanner->isScanning(id)) { // the scan stops within one directory entry; its end answers the registration
        m_scanner->cancel(id);
        return record(id);
    }
    auto episode = transition(id, &EpisodeStateMachine::cancel);
    if (episode)
        stopActive(id, StopReason::Cancel); // the job's end closes its log row
    return episode;
}

SyncResult<EpisodeRecord> SyncScheduler::setPriority(qint64 id, int priority)
{
    if (!EpisodePriority::isValid(priority))
        return SyncError{SyncError::Code::InvalidInput,
            tr("the priority must be an integer from %1 to %2").arg(EpisodePriority::kMin).arg(EpisodePriority::kMax)};
    auto episode = record(id);
    if (!episode)
        return episode;
    if (auto saved = m_catalog->setPriority(id, priority); !saved)
        return catalogError(saved.error());
    episode.value().priority = priority;
    m_store.upsert(episode.value());
    if (const auto scan = m_scans.find(id); scan != m_scans.end() && scan->second.before)
        scan->second.before->priority = priority; // an abandoned rescan shows the episode as it was, but this stays
    Q_EMIT statusChanged(id, episode.value().state);
    qCInfo(lcSync) << "episode" << id << "priority" << priority;
    QTimer::singleShot(0, this, &SyncScheduler::schedule);
    return episode;
}

SyncResult<void> SyncScheduler::remove(qint64 id)
{
    auto episode = record(id);
    if (!episode)
        return episode.error();
    if (auto removable = m_machine.checkRemovable(episode.value()); !removable)
        return removable;
    auto files = m_catalog->loadFiles(id);
    if (!files)
        return catalogError(files.error());
    if (auto deleted = m_catalog->deleteEpisode(id); !deleted)
        return catalogError(deleted.error());
    m_store.remove(id);
    // Uploads kept for a resume that will never come: the catalog no longer knows them.
    QList<IncompleteUploadCleaner::Upload> kept;
    for (const EpisodeFileRecord &file : std::as_const(files.value())) {
        if (!file.uploadId.isEmpty())
            kept.append({m_config.bucket, ObjectKeys::objectKey(episodeKeyPrefix(episode.value()), file.relativePath),
                file.uploadId});
    }
    m_cleaner->abort(kept);
    return {};
}

SyncResult<EpisodeRecord> SyncScheduler::rescan(qint64 id, ScanDone done)
{
    auto current = record(id);
    if (!current)
        return current;
    EpisodeRecord episode = current.value();
    if (auto allowed = m_machine.rescan(episode); !allowed)
        return allowed.error();
    m_store.upsert(episode); // scanning, in memory only: until the scan ends the catalog's record holds
    Q_EMIT statusChanged(id, episode.state);
    Scan scan;
    scan.before = current.value();
    scan.done = std::move(done);
    startScan(episode, scanExclusion(episode.localPath), std::move(scan));
    return episode;
}

void SyncScheduler::setPaused(bool paused)
{
    m_paused = paused;
    m_store.setPaused(paused);
    if (paused)
        stopAllActive(StopReason::Pause);
    else
        schedule();
}

void SyncScheduler::stopAllActive(StopReason reason)
{
    QList<qint64> running;
    for (const auto &[id, active] : m_active)
        running.append(id);
    for (const qint64 id : std::as_const(running))
        stopActive(id, reason);
}

namespace {

// The same objects in the same place: the multipart uploads and finished files of the one are valid on the other.
bool sameStorage(const SyncConfig &a, const SyncConfig &b)
{
    const auto prefix = [](QString text) {
        while (text.endsWith(QLatin1Char('/')))
            text.chop(1);
        return text;
    };
    const EndpointProfile &p = a.profile;
    const EndpointProfile &q = b.profile;
    return p.provider == q.provider && p.endpoint == q.endpoint && p.region == q.region && p.pathStyle == q.pathStyle
        && p.signatureVersion == q.signatureVersion && a.bucket == b.bucket
        && prefix(a.keyPrefix) == prefix(b.keyPrefix);
}

// What a running upload has baked into its client and transport beyond the storage itself.
bool sameConnection(const SyncConfig &a, const SyncConfig &b)
{
    return a.credentials.accessKeyId == b.credentials.accessKeyId
        && a.credentials.secretAccessKey == b.credentials.secretAccessKey
        && a.credentials.sessionToken == b.credentials.sessionToken && a.profile.caBundle == b.profile.caBundle
        && a.transport.caBundle == b.transport.caBundle && a.transport.connectTimeoutMs == b.transport.connectTimeoutMs
        && a.transport.stallTimeoutSeconds == b.transport.stallTimeoutSeconds;
}

} // namespace

void SyncScheduler::applyConfig(SyncConfig config)
{
    if (m_shuttingDown)
        return;
    // Fixed for the engine's life: where it keeps its state, what it watches, and what the running uploads share
    // (the bandwidth limiter, the budget of requests, the connection cache): those take the new values in place.
    config.dataDir = m_config.dataDir;
    config.watch = m_config.watch;
    config.transport.bandwidth = m_config.transport.bandwidth;
    config.transport.share = m_config.transport.share;
    config.upload.adaptive = m_config.upload.adaptive;
    config.upload.partSlots = m_partSlots;
    config.upload.keepIncompleteUpload = true;
    // The limit itself is the throttle's to set (ThrottleController::setSettings follows this call).
    if (!config.upload.adaptive)
        m_partSlots->setCapacity(std::max(1, config.maxPartsInFlight));

    const bool drain = m_nextConfig || !sameStorage(m_config, config) || !sameConnection(m_config, config);
    qCInfo(lcSync).noquote() << "settings applied:" << config.bucket << "at" << config.profile.endpoint.toString()
                             << (drain ? "(the running uploads drain first)" : "(limits only)");
    if (drain) {
        // Compared with m_config when the switch happens: the uploads kept so far belong to that storage.
        m_nextConfig = std::move(config);
        for (auto &[id, active] : m_active) {
            if (active.stop == StopReason::None) {
                active.stop = StopReason::Reconfigure;
                active.job->drain();
            }
        }
    } else {
        m_config = std::move(config);
        applyJobLimits();
        // Fewer episodes at once: the newest surplus uploads drain (and resume when a slot is free). The small lane
        // is not one of the slots.
        int surplus = regularSlotsInUse() - std::max(1, m_config.maxConcurrentEpisodes);
        for (auto it = m_active.rbegin(); surplus > 0 && it != m_active.rend(); ++it) {
            if (it->second.smallLane)
                continue;
            if (it->second.stop == StopReason::None) {
                it->second.stop = StopReason::Reconfigure;
                it->second.job->drain();
            }
            --surplus;
        }
    }
    schedule();
}

bool SyncScheduler::switchToNextConfig()
{
    if (!m_active.empty())
        return false;
    SyncConfig next = std::move(*m_nextConfig);
    m_nextConfig.reset();
    if (!sameStorage(m_config, next))
        forgetUploadsOnOldStorage();
    m_config = std::move(next);
    m_cleaner->setStorage(m_config.profile, m_config.credentials, m_config.transport);
    // An outage of the old storage (or a refusal of the old credentials) says nothing about the new: ask again now.
    m_unreachableStreak = 0;
    m_unreachableUntil = {};
    setStorageHealth(StorageHealth::State::Ok, {});
    for (const EpisodeStatus &status : m_store.all()) {
        EpisodeRecord episode = status.record;
        if (episode.state != EpisodeState::Pending || !episode.nextRetryAt.isValid()
            || episode.lastErrorCode != QLatin1String("Unreachable"))
            continue;
        episode.nextRetryAt = {};
        if (auto saved = persist(episode); !saved)
            qCWarning(lcSync) << "episode" << episode.id << "not made due:" << saved.error().message;
    }
    qCInfo(lcSync).noquote() << "now uploading to" << m_config.bucket << "at" << m_config.profile.endpoint.toString();
    return true;
}

void SyncScheduler::forgetUploadsOnOldStorage()
{
    // An episode lives wholly in one place (its manifest lists its objects): what an unfinished one uploaded to the
    // old storage is aborted there (parts not billed forever) and forgotten, so it uploads everything to the new one.
    // Completed episodes stay where they are; their records say where.
    QList<IncompleteUploadCleaner::Upload> kept;
    for (const EpisodeStatus &status : m_store.all()) {
        const EpisodeRecord &episode = status.record;
        if (episode.state == EpisodeState::Completed)
            continue;
        auto files = m_catalog->loadFiles(episode.id);
        if (!files) {
            qCWarning(lcSync) << "episode" << episode.id << "resume state not read:" << files.error().message;
            continue;
        }
        bool started = false;
        for (const EpisodeFileRecord &file : std::as_const(files.value())) {
            if (!file.uploadId.isEmpty())
                kept.append({m_config.bucket, ObjectKeys::objectKey(episodeKeyPrefix(episode), file.relativePath),
                    file.uploadId});
            started = started || !file.uploadId.isEmpty() || file.isCompleted();
        }
        if (!started)
            continue;
        if (auto reset = m_catalog->resetFiles(episode.id); !reset) {
            qCWarning(lcSync) << "episode" << episode.id << "resume state not reset:" << reset.error().message;
            continue;
        }
        m_store.setVerified(episode.id, {}); // nothing of it is on the new storage
    }
    m_cleaner->abort(kept); // with the old storage and credentials: setStorage() comes after
}

SyncResult<QList<EpisodeFileRecord>> SyncScheduler::files(qint64 episodeId)
{
    if (auto known = record(episodeId); !known)
        return known.error();
    auto files = m_catalog->loadFiles(episodeId);
    if (!files)
        return catalogError(files.error());
    return files.value();
}

SyncResult<QList<SyncLogEntry>> SyncScheduler::logs(qint64 episodeId, int limit)
{
    auto entries = m_catalog->syncLogs(episodeId, limit);
    if (!entries)
        return catalogError(entries.error());
    return entries.value();
}

void SyncScheduler::stopActive(qint64 id, StopReason reason)
{
    const auto it = m_active.find(id);
    if (it == m_active.end() || it->second.stop != StopReason::None)
        return;
    it->second.stop = reason;
    it->second.job->kill(reason == StopReason::Cancel ? MultipartUploader::CancelMode::Abort
                                                      : MultipartUploader::CancelMode::KeepForResume);
    // A job stops within a poll slice; one whose thread is blocked in a read (a hung network mount) never would, and
    // an episode a person cancelled or paused must not hold its slot for it.
    if (reason == StopReason::Cancel || it->second.pausedByOperator)
        QTimer::singleShot(kStuckJobMs, this, [this, id, job = it->second.job.get()] { leaveIfStuck(id, job); });
}

void SyncScheduler::leaveIfStuck(qint64 id, const UploadJob *job)
{
    const auto it = m_active.find(id);
    if (it == m_active.end() || it->second.job.get() != job || it->second.job->wait(0))
        return; // it ended (its finished signal is on its way), or another attempt runs now
    qCWarning(lcSync) << "episode" << id << "stopped, but its upload thread does not end (a read blocked?):"
                      << "its slot is freed and the thread left behind";
    it->second.stuck = true;
    onJobFinished(id, StorageError::cancelled());
}

void SyncScheduler::leaveBehind(std::unique_ptr<UploadJob> job, std::unique_ptr<EpisodeSyncHooks> hooks)
{
    UploadJob *raw = job.get();
    QObject::disconnect(raw, nullptr, nullptr, nullptr); // nothing it reports counts any more
    m_stuck.push_back({std::move(hooks), std::move(job)});
    connect(
        raw, &UploadJob::finished, this,
        [this, raw] {
            const auto it = std::find_if(
                m_stuck.begin(), m_stuck.end(), [raw](const StuckJob &stuck) { return stuck.job.get() == raw; });
            if (it == m_stuck.end())
                return;
            it->job->wait(-1); // its thread ends right after this signal
            m_stuck.erase(it);
        },
        Qt::QueuedConnection);
}

void SyncScheduler::applyThrottle(const ThrottleState &state)
{
    m_throttle = state;
    BandwidthLimiter &limiter = *m_config.transport.bandwidth;
    if (limiter.bytesPerSecond() != state.limitBytesPerSecond)
        limiter.setBytesPerSecond(state.limitBytesPerSecond); // a new bucket: only when the rate changes
    applyJobLimits();
    if (state.holding)
        stopAllActive(StopReason::Pause); // verified parts and upload ids kept, as pause-all keeps them
    else
        schedule();
}

void SyncScheduler::applyJobLimits()
{
    for (auto &[id, active] : m_active)
        active.job->setLimits(jobConcurrency(), m_config.upload.partSize);
}

int SyncScheduler::jobConcurrency() const
{
    const int configured = std::max(1, m_config.upload.concurrency);
    return m_throttle.partsPerEpisode > 0 ? std::min(configured, m_throttle.partsPerEpisode) : configured;
}

void SyncScheduler::schedule()
{
    if (m_paused || m_throttle.holding || m_shuttingDown || !m_catalog)
        return;
    if (m_nextConfig && !switchToNextConfig())
        return; // new storage or credentials: nothing starts before the running uploads have drained
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_unreachableUntil.isValid() && now < m_unreachableUntil)
        return; // the storage was unreachable: one probe per backoff step, not one per pending episode
    if (m_catalogRetryAt.isValid() && now < m_catalogRetryAt)
        return; // paused until the catalog can be written again: starting an attempt is the next write that tells
    if (m_store.storageHealth().state == StorageHealth::State::CredentialsRejected)
        return; // every attempt would be refused the same way: wait for new settings or a person's retry
    // While the storage is unreachable, one episode at a time probes it (and the small lane stays shut).
    const bool probing = m_unreachableStreak > 0;
    const int slots = probing ? 1 : m_config.maxConcurrentEpisodes;
    for (const EpisodeRecord &episode : m_store.dueQueue(now)) {
        const bool slotFree = regularSlotsInUse() < slots;
        const bool laneOpen = !probing && smallLaneOpen(slots);
        if (!slotFree && !laneOpen)
            return;
        if (m_active.count(episode.id))
            continue;
        if (slotFree)
            startEpisode(episode, Slot::Regular);
        else if (isSmall(episode))
            startEpisode(episode, Slot::SmallLane);
    }
}

int SyncScheduler::regularSlotsInUse() const
{
    return int(
        std::count_if(m_active.cbegin(), m_active.cend(), [](const auto &entry) { return !entry.second.smallLane; }));
}

bool SyncScheduler::isSmall(const EpisodeRecord &episode) const
{
    return episode.totalBytes < m_config.smallEpisodeBytes;
}

bool SyncScheduler::smallLaneOpen(int slots) const
{
    if (m_config.smallEpisodeBytes <= 0 || regularSlotsInUse() < slots)
        return false;
    // The lane is for when large episodes hold the slots (small ones in every slot move on their own).
    const bool largeRunning = std::any_of(m_active.cbegin(), m_active.cend(),
        [](const auto &entry) { return !entry.second.smallLane && !entry.second.small; });
    const auto inLane
        = std::count_if(m_active.cbegin(), m_active.cend(), [](const auto &entry) { return entry.second.smallLane; });
    return largeRunning && inLane < kSmallLaneEpisodes;
}

void SyncScheduler::startEpisode(EpisodeRecord episode, Slot slot)
{
    auto files = m_catalog->loadFiles(episode.id);
    if (!files) {
        qCWarning(lcSync) << "episode" << episode.id << "cannot be started:" << files.error().message;
        return;
    }
    const EpisodeRecord pending = episode;
    if (episode.lastErrorCode == QLatin1String(kCatalogUnwritable)) { // that was about the catalog, not the episode
        episode.lastErrorCode.clear();
        episode.lastErrorMessage.clear();
    }
    if (!m_machine.start(episode))
        return;
    ++episode.attemptsMade; // the attempt's sync_logs row, written with the state below
    const QDateTime startedAt = QDateTime::currentDateTimeUtc();
    auto logId = m_catalog->startAttempt(episode, startedAt);
    if (!logId) {
        pauseForCatalog(pending, logId.error().message);
        return;
    }
    m_catalogRetryAt = {}; // the catalog took a write: not paused (any more)
    m_store.upsert(episode);
    Q_EMIT statusChanged(episode.id, episode.state);
    Q_EMIT logAppended(episode.id);

    ActiveEpisode &active = m_active[episode.id];
    active.logId = logId.value();
    active.startedAt = startedAt;
    active.small = isSmall(episode);
    active.smallLane = slot == Slot::SmallLane;
    active.hooks = std::make_unique<EpisodeSyncHooks>(
        m_config.dataDir, episode, files.value(), m_config.bucket, episodeKeyPrefix(episode), m_counters, &m_journal);
    UploadOptions upload = m_config.upload;
    upload.concurrency = jobConcurrency();
    TransportOptions transport = m_config.transport;
    if (active.smallLane) {
        upload.partSlots = m_smallLaneSlots; // its own requests: large ones may hold every one of the shared budget
        // Under a bandwidth limit the limiter serves the lane first: sharing bytes per request would give its few
        // requests a few percent of the link beside the large episodes' dozens (docs/design.md, the small lane).
        transport.bandwidthClass = BandwidthLimiter::Class::First;
    }
    UploadJobSpec spec{m_config.profile, m_config.credentials, std::move(transport), std::move(upload), m_config.bucket,
        active.hooks->uploadItems(), m_config.speedWindowMs};
    active.job = std::make_unique<UploadJob>(std::move(spec), active.hooks.get());
    const qint64 id = episode.id;
    active.verifiedAtStart = active.job->progress().committedBytes;
    m_store.setProgress(id, active.job->progress());
    // While the storage is unreachable, one episode probes it every few seconds: the journal says the outage once
    // (storage line) and the probe's outcome only if it changes something.
    active.probing = m_store.storageHealth().state == StorageHealth::State::Unreachable;
    m_journal.attemptStarted(episode, active.verifiedAtStart, !active.probing);
    // Progress goes straight from the transfer thread into the store; only the outcome comes through here.
    connect(
        active.job.get(), &UploadJob::progressChanged, active.job.get(),
        [this, episode](const TransferProgress &progress) {
            m_store.setProgress(episode.id, progress);
            m_journal.progressed(episode, progress);
        },
        Qt::DirectConnection);
    connect(
        active.job.get(), &UploadJob::storageAnswered, this, [this, id] { onStorageAnswered(id); },
        Qt::QueuedConnection);
    // Only while this job is the episode's: one left behind after a cancel (leaveIfStuck) reports to nobody.
    connect(
        active.job.get(), &UploadJob::finished, this,
        [this, id, job = active.job.get()](const StorageError &error) {
            if (const auto it = m_active.find(id); it != m_active.end() && it->second.job.get() == job)
                onJobFinished(id, error);
        },
        Qt::QueuedConnection);
    qCInfo(lcSync) << "episode" << id << "attempt" << episode.attemptsMade << "started"
                   << (active.smallLane ? "in the small lane" : "");
    active.job->start();
}

void SyncScheduler::setStorageHealth(StorageHealth::State state, const QString &detail)
{
    const StorageHealth before = m_store.storageHealth();
    if (before.state == state)
        return;
    const StorageHealth after{state, QDateTime::currentDateTimeUtc(), detail};
    m_store.setStorageHealth(after);
    m_journal.storageHealthChanged(before, after);
}

void SyncScheduler::onStorageAnswered(qint64 id)
{
    m_store.clearUnreachableError(id);
    if (m_store.storageHealth().state != StorageHealth::State::Unreachable && m_unreachableStreak == 0)
        return;
    // The probe got an answer: the outage is over now, not when the probe's episode ends.
    m_unreachableStreak = 0;
    m_unreachableUntil = {};
    setStorageHealth(StorageHealth::State::Ok, {});
    schedule();
}

void SyncScheduler::onJobFinished(qint64 id, const StorageError &error)
{
    auto node = m_active.extract(id);
    if (node.empty())
        return;
    ActiveEpisode &active = node.mapped();
    // Whoever paused it hears how it ended (pending and paused, or what the attempt reached before the pause).
    const auto answerPause = qScopeGuard([this, id, waiters = std::move(active.pauseWaiters)] {
        const auto now = record(id);
        for (const RecordDone &waiter : waiters) {
            if (waiter)
                waiter(now);
        }
    });
    const UploadJob &job = *active.job;
    const EpisodeSyncHooks &hooks = *active.hooks;
    if (active.stuck)
        leaveBehind(std::move(active.job), std::move(active.hooks)); // still alive, but no longer this episode's
    else
        active.job->wait(-1); // the thread ends right after its last signal
    auto current = record(id);
    if (!current)
        return; // removed meanwhile (cannot happen while in progress, but stay safe)
    EpisodeRecord episode = current.value();

    // Attempts in flight together all meet rejected credentials; only the first to end is the one that found out.
    const bool heldByRejectedCredentials = ErrorHint::isCredentialsRejected(error.s3Code)
        && m_store.storageHealth().state == StorageHealth::State::CredentialsRejected;
    if (error.s3Code != QLatin1String("Unreachable") && error.kind != StorageError::Kind::Cancelled) {
        m_unreachableStreak = 0; // it answered (or the episode completed): the outage, if any, is over
        m_unreachableUntil = {};
        if (ErrorHint::isCredentialsRejected(error.s3Code))
            setStorageHealth(StorageHealth::State::CredentialsRejected, error.toString());
        else if (!error.isError() || m_store.storageHealth().state == StorageHealth::State::Unreachable)
            setStorageHealth(StorageHealth::State::Ok, {});
    }
    SyncLogEntry log;
    log.id = active.logId;
    log.episodeId = id;
    log.startedAt = active.startedAt;
    log.finishedAt = QDateTime::currentDateTimeUtc();
    log.bytesCommitted = job.progress().committedBytes;

    if (!error.isError() && episode.state == EpisodeState::InProgress) {
        m_machine.succeed(episode, m_config.bucket, episodeKeyPrefix(episode), hooks.manifestEtag(), log.finishedAt);
        episode.etagsUnchecked = hooks.etagsUnchecked(); // the catalog counts the same from its files on a later read
        log.result = QStringLiteral("completed");
    } else if (error.kind == StorageError::Kind::Cancelled || episode.state != EpisodeState::InProgress) {
        if (active.stop == StopReason::Cancel || episode.state == EpisodeState::Cancelled) {
            log.result = QStringLiteral("cancelled");
        } else {
            m_machine.interrupt(episode);
            log.result = active.stop == StopReason::Pause ? QStringLiteral("paused")
                : active.stop == StopReason::Reconfigure  ? QStringLiteral("reconfigured")
                                                          : QStringLiteral("interrupted");
        }
    } else if (error.s3Code == QLatin1String("Unreachable")) {
        ++m_unreachableStreak;
        m_unreachableUntil = log.finishedAt.addMSecs(m_config.unreachableRetry.delayMs(m_unreachableStreak));
        m_machine.waitForStorage(episode, {error.s3Code, error.detail(), true}, m_unreachableUntil);
        log.result = QStringLiteral("unreachable");
        log.errorCode = error.s3Code;
        log.errorMessage = error.detail();
        log.retryable = true;
        setStorageHealth(StorageHealth::State::Unreachable, error.detail());
    } else if (heldByRejectedCredentials && episode.state == EpisodeState::InProgress) {
        // The same cause a moment later: it waits with the queue for new settings or a person's retry (not an
        // attempt that counts), instead of failing a second time for what the storage state already says.
        m_machine.interrupt(episode);
        log.result = QStringLiteral("held");
        log.errorCode = error.s3Code;
        log.errorMessage = error.detail();
    } else {
        m_machine.fail(episode, {error.s3Code, error.detail(), error.retryable}, log.finishedAt);
        log.result = episode.state == EpisodeState::Pending ? QStringLiteral("retry") : QStringLiteral("failed");
        log.errorCode = error.s3Code;
        log.errorMessage = error.detail();
        log.retryable = error.retryable;
    }
    // A job the catalog could not follow, or an outcome it cannot take, is not shown as progress either: back to
    // pending (the catalog still says in progress, which a restart also resumes), uploads paused.
    const bool wasInProgress = current.value().state == EpisodeState::InProgress; // not cancelled meanwhile
    QString catalogFailure = hooks.catalogFailure();
    if (catalogFailure.isEmpty() || !wasInProgress) {
        if (auto saved = m_catalog->finishAttempt(episode, log); !saved) {
            catalogFailure = saved.error().message;
            qCWarning(lcSync) << "episode" << id << "outcome not recorded:" << catalogFailure;
        }
    }
    if (!catalogFailure.isEmpty() && wasInProgress) {
        EpisodeRecord interrupted = current.value();
        m_machine.interrupt(interrupted);
        log.result = QStringLiteral("paused");
        // May be taken when only the job's writes failed; else a restart closes the row as interrupted.
        static_cast<void>(m_catalog->finishAttempt(interrupted, log));
        pauseForCatalog(interrupted, catalogFailure);
        Q_EMIT logAppended(id);
        schedule();
        return;
    }
    m_store.upsert(episode);
    if (active.stop == StopReason::Cancel)
        forgetAbortedUploads(episode);
    if (active.pausedByOperator && log.result == QLatin1String("paused"))
        m_journal.episodePaused(episode, log.bytesCommitted);
    else if (!(active.probing && log.result == QLatin1String("unreachable")))
        m_journal.attemptEnded(episode, log, active.verifiedAtStart);
    Q_EMIT statusChanged(id, episode.state);
    Q_EMIT logAppended(id);
    schedule();
}

void SyncScheduler::forgetAbortedUploads(const EpisodeRecord &episode)
{
    // The job aborted the multipart uploads it had open: their parts are gone from the storage, so the catalog must
    // not offer them for a resume nor show them as verified. Completed files stay completed.
    if (auto reset = m_catalog->resetFiles(episode.id, Catalog::FilesToReset::IncompleteUploads); !reset) {
        qCWarning(lcSync) << "episode" << episode.id << "aborted uploads not forgotten:" << reset.error().message;
        return;
    }
    showVerified(episode);
}

void SyncScheduler::showVerified(const EpisodeRecord &episode)
{
    if (auto files = m_catalog->loadFiles(episode.id))
        m_store.setVerified(episode.id, verifiedOf(episode, files.value()));
}

void SyncScheduler::pauseForCatalog(EpisodeRecord episode, const QString &detail)
{
    episode.lastErrorCode = QLatin1String(kCatalogUnwritable);
    episode.lastErrorMessage
        = tr("the catalog in %1 cannot be written (%2); uploads are paused and continue once it can be written")
              .arg(m_config.dataDir, detail);
    m_catalogRetryAt = QDateTime::currentDateTimeUtc().addMSecs(m_config.catalogRetryMs);
    qCWarning(lcSync) << "episode" << episode.id << "paused:" << episode.lastErrorMessage;
    m_store.upsert(episode);
    Q_EMIT statusChanged(episode.id, episode.state);
}

void SyncScheduler::shutdown(int graceMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    if (m_timer)
        m_timer->stop();
    m_scanner->cancelAll(); // registrations being scanned stay scanning in the catalog and resume at the next start
    QList<qint64> running;
    for (auto &[id, active] : m_active) {
        running.append(id);
        active.stop = StopReason::Shutdown;
        active.job->drain();
    }
    const QDeadlineTimer grace(std::max(0, graceMs));
    for (const qint64 id : std::as_const(running)) {
        UploadJob &job = *m_active.at(id).job;
        if (!job.wait(int(std::max<qint64>(0, grace.remainingTime())))) {
            job.kill(MultipartUploader::CancelMode::KeepForResume);
            // Bounded: a thread blocked in a read (a hung network mount) is left behind, not waited for forever.
            m_active.at(id).stuck = !job.wait(kStuckJobMs);
        }
        onJobFinished(id, StorageError::cancelled());
    }
    if (!m_cleaner->waitForDone(int(std::max<qint64>(0, grace.remainingTime()))))
        qCWarning(lcSync) << "kept uploads still being aborted at shutdown";
}

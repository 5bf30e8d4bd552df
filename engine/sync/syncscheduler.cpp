#include "syncscheduler.h"

#include "episodepriority.h"
#include "storage/curlshare.h"
#include "synclogging.h"

#include <QTimer>

#include <algorithm>

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

SyncScheduler::SyncScheduler(SyncConfig config, EpisodeStatusStore &store, std::shared_ptr<SyncCounterSet> counters)
    : m_config(std::move(config))
    , m_store(store)
    , m_machine(m_config.episodeRetry)
    , m_partSlots(m_config.upload.adaptive ? m_config.upload.adaptive->slots()
                                           : std::make_shared<PartSlots>(std::max(1, m_config.maxPartsInFlight)))
{
    m_config.upload.partSlots = m_partSlots;
    if (!m_config.transport.bandwidth) // one bucket for every episode's transfers (0: unlimited), kept for live limits
        m_config.transport.bandwidth = std::make_shared<BandwidthLimiter>(m_config.bandwidthLimit);
    if (!m_config.transport.share) // DNS answers and TLS sessions carry over from one episode to the next
        m_config.transport.share = std::make_shared<CurlShare>();
    m_config.upload.keepIncompleteUpload = true; // a later attempt resumes what retries could not finish
    m_cleaner = std::make_unique<IncompleteUploadCleaner>(m_config.profile, m_config.credentials, m_config.transport);
    m_ledger = std::make_unique<EpisodeLedger>(m_config, m_store, m_journal, this);
    m_registry = std::make_unique<EpisodeRegistry>(m_config, *m_ledger, m_machine, m_journal, *m_cleaner, this);
    m_runner = std::make_unique<AttemptRunner>(
        m_config, m_throttle, *m_ledger, m_machine, m_journal, m_outage, m_catalogGate, std::move(counters), this);
    connect(m_runner.get(), &AttemptRunner::logAppended, this, &SyncScheduler::logAppended);
    connect(m_runner.get(), &AttemptRunner::canStartMore, this, &SyncScheduler::schedule);
    connect(m_registry.get(), &EpisodeRegistry::episodeQueued, this, &SyncScheduler::schedule, Qt::QueuedConnection);
}

SyncScheduler::~SyncScheduler()
{
    shutdown();
    m_registry.reset(); // waits for the scan workers while the store and catalog still exist
    m_runner.reset();
}

SyncResult<void> SyncScheduler::initialize()
{
    auto scanning = m_ledger->open(m_machine);
    if (!scanning)
        return scanning.error();
    for (const EpisodeRecord &episode : std::as_const(scanning.value()))
        m_registry->resumeScan(episode);

    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &SyncScheduler::schedule);
    m_timer->start(m_config.schedulerIntervalMs);
    scheduleSoon();
    return {};
}

void SyncScheduler::scheduleSoon()
{
    QTimer::singleShot(0, this, &SyncScheduler::schedule);
}

SyncResult<EpisodeRecord> SyncScheduler::transition(
    qint64 id, SyncResult<void> (EpisodeStateMachine::*change)(EpisodeRecord &) const)
{
    auto episode = m_ledger->record(id);
    if (!episode)
        return episode;
    if (auto changed = (m_machine.*change)(episode.value()); !changed)
        return changed.error();
    if (auto saved = m_ledger->persist(episode.value()); !saved)
        return saved.error();
    scheduleSoon();
    return episode;
}

void SyncScheduler::liftCredentialsHold()
{
    // A person asked for another try: after rejected credentials, that try is the probe (they may be fixed now).
    if (m_store.storageHealth().state == StorageHealth::State::CredentialsRejected)
        m_ledger->setStorageHealth(StorageHealth::State::Ok, {});
}

SyncResult<EpisodeRecord> SyncScheduler::registerEpisode(const QString &path, const QString &name, ScanDone done)
{
    return m_registry->registerEpisode(path, name, std::move(done));
}

SyncResult<EpisodeRecord> SyncScheduler::registerWatchedFolder(
    const QString &path, const QString &name, const QString &marker)
{
    return m_registry->registerWatchedFolder(path, name, marker);
}

SyncResult<QStringList> SyncScheduler::watchedFolders()
{
    return m_registry->watchedFolders();
}

SyncResult<void> SyncScheduler::recordWatchedFolder(const QString &path, qint64 episodeId)
{
    return m_registry->recordWatchedFolder(path, episodeId);
}

SyncResult<EpisodeRecord> SyncScheduler::rescan(qint64 id, ScanDone done)
{
    return m_registry->rescan(id, std::move(done));
}

SyncResult<EpisodeRecord> SyncScheduler::enqueue(qint64 id)
{
    const auto before = m_ledger->record(id);
    auto episode = transition(id, &EpisodeStateMachine::enqueue);
    if (episode)
        liftCredentialsHold();
    journalResumed(before && before.value().paused, episode);
    return episode;
}

SyncResult<EpisodeRecord> SyncScheduler::retry(qint64 id)
{
    const auto before = m_ledger->record(id);
    auto episode = transition(id, &EpisodeStateMachine::retry);
    if (episode)
        liftCredentialsHold();
    journalResumed(before && before.value().paused, episode);
    return episode;
}

void SyncScheduler::journalResumed(bool wasPaused, const SyncResult<EpisodeRecord> &episode)
{
    if (wasPaused && episode && !episode.value().paused)
        m_journal.episodeResumed(episode.value(), m_ledger->verifiedBytes(episode.value().id));
}

SyncResult<void> SyncScheduler::pauseEpisode(qint64 id, RecordDone done)
{
    auto current = m_ledger->record(id);
    if (!current)
        return current.error();
    EpisodeRecord episode = current.value();
    const bool wasPaused = episode.paused;
    if (auto allowed = m_machine.pause(episode); !allowed)
        return allowed;
    // In the catalog before the attempt stops: a crash meanwhile resumes it paused.
    if (!wasPaused) {
        if (auto saved = m_ledger->persist(episode); !saved)
            return saved;
    }
    if (m_runner->pauseWhenRunning(id, done))
        return {}; // done follows once the attempt ended
    if (!wasPaused)
        m_journal.episodePaused(episode, m_ledger->verifiedBytes(id));
    if (done)
        done(episode);
    return {};
}

SyncResult<EpisodeRecord> SyncScheduler::resumeEpisode(qint64 id)
{
    auto current = m_ledger->record(id);
    if (!current)
        return current;
    EpisodeRecord episode = current.value();
    const bool wasPaused = episode.paused;
    if (auto allowed = m_machine.resume(episode); !allowed)
        return allowed.error();
    if (!wasPaused)
        return episode; // nothing to change (nor to write)
    if (auto saved = m_ledger->persist(episode); !saved)
        return saved.error();
    m_journal.episodeResumed(episode, m_ledger->verifiedBytes(id));
    scheduleSoon();
    return episode;
}

SyncResult<EpisodeRecord> SyncScheduler::cancel(qint64 id)
{
    if (m_registry->isScanning(id)) { // the scan stops within one directory entry; its end answers the registration
        m_registry->cancelScan(id);
        return m_ledger->record(id);
    }
    auto episode = transition(id, &EpisodeStateMachine::cancel);
    if (episode)
        m_runner->stop(id, StopReason::Cancel); // the job's end closes its log row
    return episode;
}

SyncResult<EpisodeRecord> SyncScheduler::setPriority(qint64 id, int priority)
{
    if (!EpisodePriority::isValid(priority))
        return SyncError{SyncError::Code::InvalidInput,
            tr("the priority must be an integer from %1 to %2").arg(EpisodePriority::kMin).arg(EpisodePriority::kMax)};
    auto episode = m_ledger->record(id);
    if (!episode)
        return episode;
    if (auto saved = m_ledger->catalog().setPriority(id, priority); !saved)
        return EpisodeLedger::catalogError(saved.error());
    episode.value().priority = priority;
    m_store.upsert(episode.value());
    m_registry->keepPriority(id, priority);
    qCInfo(lcSync) << "episode" << id << "priority" << priority;
    scheduleSoon();
    return episode;
}

SyncResult<void> SyncScheduler::remove(qint64 id)
{
    auto episode = m_ledger->record(id);
    if (!episode)
        return episode.error();
    if (auto removable = m_machine.checkRemovable(episode.value()); !removable)
        return removable;
    auto files = m_ledger->catalog().loadFiles(id);
    if (!files)
        return EpisodeLedger::catalogError(files.error());
    if (auto deleted = m_ledger->catalog().deleteEpisode(id); !deleted)
        return EpisodeLedger::catalogError(deleted.error());
    m_store.remove(id);
    // Uploads kept for a resume that will never come: the catalog no longer knows them.
    m_cleaner->abort(m_ledger->keptUploads(episode.value(), files.value()));
    return {};
}

SyncResult<QList<EpisodeFileRecord>> SyncScheduler::files(qint64 episodeId)
{
    if (auto known = m_ledger->record(episodeId); !known)
        return known.error();
    auto files = m_ledger->catalog().loadFiles(episodeId);
    if (!files)
        return EpisodeLedger::catalogError(files.error());
    return files.value();
}

SyncResult<QList<SyncLogEntry>> SyncScheduler::logs(qint64 episodeId, int limit)
{
    auto entries = m_ledger->catalog().syncLogs(episodeId, limit);
    if (!entries)
        return EpisodeLedger::catalogError(entries.error());
    return entries.value();
}

void SyncScheduler::setPaused(bool paused)
{
    m_paused = paused;
    m_store.setPaused(paused);
    if (paused)
        m_runner->stopAll(StopReason::Pause);
    else
        schedule();
}

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
        m_runner->drainAll();
    } else {
        m_config = std::move(config);
        m_runner->applyLimits();
        // Fewer episodes at once: the newest surplus uploads drain (and resume when a slot is free).
        m_runner->drainNewest(m_runner->regularSlotsInUse() - std::max(1, m_config.maxConcurrentEpisodes));
    }
    schedule();
}

bool SyncScheduler::switchToNextConfig()
{
    if (!m_runner->isIdle())
        return false;
    SyncConfig next = std::move(*m_nextConfig);
    m_nextConfig.reset();
    if (!sameStorage(m_config, next))
        m_cleaner->abort(m_ledger->forgetResumeState()); // with the old storage: setStorage() comes after
    m_config = std::move(next);
    m_cleaner->setStorage(m_config.profile, m_config.credentials, m_config.transport);
    // An outage of the old storage (or a refusal of the old credentials) says nothing about the new: ask again now.
    m_outage.end();
    m_ledger->setStorageHealth(StorageHealth::State::Ok, {});
    for (const EpisodeStatus &status : m_store.all()) {
        EpisodeRecord episode = status.record;
        if (episode.state != EpisodeState::Pending || !episode.nextRetryAt.isValid()
            || episode.lastErrorCode != QLatin1String("Unreachable"))
            continue;
        episode.nextRetryAt = {};
        if (auto saved = m_ledger->persist(episode); !saved)
            qCWarning(lcSync) << "episode" << episode.id << "not made due:" << saved.error().message;
    }
    qCInfo(lcSync).noquote() << "now uploading to" << m_config.bucket << "at" << m_config.profile.endpoint.toString();
    return true;
}

void SyncScheduler::applyThrottle(const ThrottleState &state)
{
    m_throttle = state;
    BandwidthLimiter &limiter = *m_config.transport.bandwidth;
    if (limiter.bytesPerSecond() != state.limitBytesPerSecond)
        limiter.setBytesPerSecond(state.limitBytesPerSecond); // a new bucket: only when the rate changes
    m_runner->applyLimits();
    if (state.holding)
        m_runner->stopAll(StopReason::Pause); // verified parts and upload ids kept, as pause-all keeps them
    else
        schedule();
}

bool SyncScheduler::holdsStarts(const QDateTime &now) const
{
    if (m_outage.holdsStarts(now))
        return true; // the storage was unreachable: one probe per backoff step, not one per pending episode
    if (m_catalogGate.holdsStarts(now))
        return true; // until the catalog can be written again: starting an attempt is the next write that tells
    // Every attempt would be refused the same way: wait for new settings or a person's retry.
    return m_store.storageHealth().state == StorageHealth::State::CredentialsRejected;
}

void SyncScheduler::schedule()
{
    if (m_paused || m_throttle.holding || m_shuttingDown || !m_ledger->isOpen())
        return;
    if (m_nextConfig && !switchToNextConfig())
        return; // new storage or credentials: nothing starts before the running uploads have drained
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (holdsStarts(now))
        return;
    // While the storage is unreachable, one episode at a time probes it (and the small lane stays shut).
    const bool probing = m_outage.isProbing();
    const int slots = probing ? 1 : m_config.maxConcurrentEpisodes;
    for (const EpisodeRecord &episode : m_store.dueQueue(now)) {
        const bool slotFree = m_runner->regularSlotsInUse() < slots;
        const bool laneOpen = !probing && m_runner->smallLaneOpen(slots);
        if (!slotFree && !laneOpen)
            return;
        if (m_runner->isRunning(episode.id))
            continue;
        if (slotFree)
            m_runner->start(episode, AttemptRunner::Slot::Regular);
        else if (m_runner->isSmall(episode))
            m_runner->start(episode, AttemptRunner::Slot::SmallLane);
    }
}

void SyncScheduler::shutdown(int graceMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    if (m_timer)
        m_timer->stop();
    m_registry->stopAll(); // registrations being scanned stay scanning in the catalog and resume at the next start
    const QDeadlineTimer grace(std::max(0, graceMs));
    m_runner->shutdown(grace);
    if (!m_cleaner->waitForDone(int(std::max<qint64>(0, grace.remainingTime()))))
        qCWarning(lcSync) << "kept uploads still being aborted at shutdown";
}

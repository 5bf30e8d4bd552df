#include "attemptrunner.h"

#include "episodesynchooks.h"
#include "storage/uploadjob.h"
#include "synclogging.h"

#include <QScopeGuard>
#include <QTimer>

#include <algorithm>

namespace {

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

} // namespace

AttemptRunner::AttemptRunner(const SyncConfig &config, const ThrottleState &throttle, EpisodeLedger &ledger,
    const EpisodeStateMachine &machine, SyncJournal &journal, StorageOutageBackoff &outage,
    CatalogWriteGate &catalogGate, std::shared_ptr<SyncCounterSet> counters, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_throttle(throttle)
    , m_ledger(ledger)
    , m_machine(machine)
    , m_journal(journal)
    , m_outage(outage)
    , m_catalogGate(catalogGate)
    , m_counters(std::move(counters))
    , m_smallLaneSlots(std::make_shared<PartSlots>(kSmallLaneRequests))
{ }

AttemptRunner::~AttemptRunner()
{
    for (StuckJob &stuck : m_stuck) {
        if (stuck.job->wait(0))
            continue;
        // Deleting it would wait for its thread forever: the process may exit with that thread still blocked.
        qCWarning(lcSync) << "an upload thread still blocked is left behind";
        static_cast<void>(stuck.job.release());
        static_cast<void>(stuck.hooks.release());
    }
}

int AttemptRunner::regularSlotsInUse() const
{
    return int(
        std::count_if(m_active.cbegin(), m_active.cend(), [](const auto &entry) { return !entry.second.smallLane; }));
}

bool AttemptRunner::isSmall(const EpisodeRecord &episode) const
{
    return episode.totalBytes < m_config.smallEpisodeBytes;
}

bool AttemptRunner::smallLaneOpen(int slots) const
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

void AttemptRunner::start(EpisodeRecord episode, Slot slot)
{
    auto files = m_ledger.catalog().loadFiles(episode.id);
    if (!files) {
        qCWarning(lcSync) << "episode" << episode.id << "cannot be started:" << files.error().message;
        return;
    }
    const EpisodeRecord pending = episode;
    CatalogWriteGate::clearError(episode);
    if (!m_machine.start(episode))
        return;
    ++episode.attemptsMade; // the attempt's sync_logs row, written with the state below
    const QDateTime startedAt = QDateTime::currentDateTimeUtc();
    auto logId = m_ledger.catalog().startAttempt(episode, startedAt);
    if (!logId) {
        pauseForCatalog(pending, logId.error().message);
        return;
    }
    m_catalogGate.open(); // the catalog took a write: not paused (any more)
    m_ledger.show(episode);
    Q_EMIT logAppended(episode.id);
    launch(episode, files.value(), slot, logId.value(), startedAt);
}

void AttemptRunner::launch(const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files, Slot slot, qint64 logId,
    const QDateTime &startedAt)
{
    ActiveEpisode &active = m_active[episode.id];
    active.logId = logId;
    active.startedAt = startedAt;
    active.small = isSmall(episode);
    active.smallLane = slot == Slot::SmallLane;
    createJob(active, episode, files);
    active.verifiedAtStart = active.job->progress().committedBytes;
    m_ledger.store().setProgress(episode.id, active.job->progress());
    // While the storage is unreachable, one episode probes it every few seconds: the journal says the outage once
    // (storage line) and the probe's outcome only if it changes something.
    active.probing = m_ledger.store().storageHealth().state == StorageHealth::State::Unreachable;
    m_journal.attemptStarted(episode, active.verifiedAtStart, !active.probing);
    connectJob(active, episode);
    qCInfo(lcSync) << "episode" << episode.id << "attempt" << episode.attemptsMade << "started"
                   << (active.smallLane ? "in the small lane" : "");
    active.job->start();
}

void AttemptRunner::createJob(
    ActiveEpisode &active, const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files)
{
    active.hooks = std::make_unique<EpisodeSyncHooks>(
        m_config.dataDir, episode, files, m_config.bucket, m_ledger.keyPrefix(episode), m_counters, &m_journal);
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
}

void AttemptRunner::connectJob(const ActiveEpisode &active, const EpisodeRecord &episode)
{
    const qint64 id = episode.id;
    // Progress goes straight from the transfer thread into the store; only the outcome comes through here.
    connect(
        active.job.get(), &UploadJob::progressChanged, active.job.get(),
        [this, episode](const TransferProgress &progress) {
            m_ledger.store().setProgress(episode.id, progress);
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
}

int AttemptRunner::jobConcurrency() const
{
    const int configured = std::max(1, m_config.upload.concurrency);
    return m_throttle.partsPerEpisode > 0 ? std::min(configured, m_throttle.partsPerEpisode) : configured;
}

void AttemptRunner::applyLimits()
{
    for (auto &[id, active] : m_active)
        active.job->setLimits(jobConcurrency(), m_config.upload.partSize);
}

void AttemptRunner::stop(qint64 id, StopReason reason)
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

void AttemptRunner::stopAll(StopReason reason)
{
    QList<qint64> running;
    for (const auto &[id, active] : m_active)
        running.append(id);
    for (const qint64 id : std::as_const(running))
        stop(id, reason);
}

void AttemptRunner::drain(ActiveEpisode &active)
{
    if (active.stop != StopReason::None)
        return;
    active.stop = StopReason::Reconfigure;
    active.job->drain();
}

void AttemptRunner::drainAll()
{
    for (auto &[id, active] : m_active)
        drain(active);
}

void AttemptRunner::drainNewest(int count)
{
    for (auto it = m_active.rbegin(); count > 0 && it != m_active.rend(); ++it) {
        if (it->second.smallLane)
            continue; // the small lane is not one of the slots
        drain(it->second);
        --count;
    }
}

bool AttemptRunner::pauseWhenRunning(qint64 id, RecordDone done)
{
    const auto active = m_active.find(id);
    if (active == m_active.end())
        return false;
    active->second.pausedByOperator = true;
    active->second.pauseWaiters.push_back(std::move(done));
    // Already stopping (pause-all, new settings draining it): that stop ends it, and the flag keeps it pending.
    stop(id, StopReason::Pause);
    return true;
}

void AttemptRunner::leaveIfStuck(qint64 id, const UploadJob *job)
{
    const auto it = m_active.find(id);
    if (it == m_active.end() || it->second.job.get() != job || it->second.job->wait(0))
        return; // it ended (its finished signal is on its way), or another attempt runs now
    qCWarning(lcSync) << "episode" << id << "stopped, but its upload thread does not end (a read blocked?):"
                      << "its slot is freed and the thread left behind";
    it->second.stuck = true;
    onJobFinished(id, StorageError::cancelled());
}

void AttemptRunner::leaveBehind(std::unique_ptr<UploadJob> job, std::unique_ptr<EpisodeSyncHooks> hooks)
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

void AttemptRunner::onStorageAnswered(qint64 id)
{
    m_ledger.store().clearUnreachableError(id);
    if (m_ledger.store().storageHealth().state != StorageHealth::State::Unreachable && !m_outage.isProbing())
        return;
    // The probe got an answer: the outage is over now, not when the probe's episode ends.
    m_outage.end();
    m_ledger.setStorageHealth(StorageHealth::State::Ok, {});
    Q_EMIT canStartMore();
}

void AttemptRunner::onJobFinished(qint64 id, const StorageError &error)
{
    auto node = m_active.extract(id);
    if (node.empty())
        return;
    ActiveEpisode &active = node.mapped();
    // Whoever paused it hears how it ended (pending and paused, or what the attempt reached before the pause).
    const auto answerPause = qScopeGuard([this, id, waiters = std::move(active.pauseWaiters)] {
        const auto now = m_ledger.record(id);
        for (const RecordDone &waiter : waiters) {
            if (waiter)
                waiter(now);
        }
    });
    const UploadJob &job = *active.job; // alive until its thread ended, also when left behind below
    const EpisodeSyncHooks &hooks = *active.hooks;
    if (active.stuck)
        leaveBehind(std::move(active.job), std::move(active.hooks)); // still alive, but no longer this episode's
    else
        active.job->wait(-1); // the thread ends right after its last signal
    const auto atEnd = m_ledger.record(id);
    if (!atEnd)
        return; // removed meanwhile (cannot happen while in progress, but stay safe)
    const AttemptOutcome outcome = AttemptOutcome::of(factsOf(active, job, hooks, atEnd.value(), error), m_machine);
    applyToStorage(outcome);
    if (recordOutcome(outcome, atEnd.value(), hooks.catalogFailure()))
        showOutcome(outcome, active);
}

AttemptOutcome::Facts AttemptRunner::factsOf(const ActiveEpisode &active, const UploadJob &job,
    const EpisodeSyncHooks &hooks, const EpisodeRecord &atEnd, const StorageError &error) const
{
    AttemptOutcome::Facts facts;
    facts.episode = atEnd;
    facts.error = error;
    facts.stop = active.stop;
    facts.pausedByOperator = active.pausedByOperator;
    facts.probing = active.probing;
    facts.health = m_ledger.store().storageHealth().state;
    facts.unreachableStreak = m_outage.streak();
    facts.unreachableRetry = m_config.unreachableRetry;
    facts.logId = active.logId;
    facts.startedAt = active.startedAt;
    facts.finishedAt = QDateTime::currentDateTimeUtc();
    facts.bytesCommitted = job.progress().committedBytes;
    facts.bucket = m_config.bucket;
    facts.keyPrefix = m_ledger.keyPrefix(atEnd);
    facts.manifestEtag = hooks.manifestEtag();
    facts.etagsUnchecked = hooks.etagsUnchecked();
    return facts;
}

void AttemptRunner::applyToStorage(const AttemptOutcome &outcome)
{
    if (outcome.outage == AttemptOutcome::Outage::Over)
        m_outage.end();
    else if (outcome.outage == AttemptOutcome::Outage::Continues)
        m_outage.continues(outcome.nextProbeAt);
    if (outcome.health)
        m_ledger.setStorageHealth(*outcome.health, outcome.healthDetail);
}

bool AttemptRunner::recordOutcome(
    const AttemptOutcome &outcome, const EpisodeRecord &atEnd, const QString &jobCatalogFailure)
{
    // A job the catalog could not follow, or an outcome it cannot take, is not shown as progress either: back to
    // pending (the catalog still says in progress, which a restart also resumes), uploads paused.
    const bool wasInProgress = atEnd.state == EpisodeState::InProgress; // not cancelled meanwhile
    QString catalogFailure = jobCatalogFailure;
    if (catalogFailure.isEmpty() || !wasInProgress) {
        if (auto saved = m_ledger.catalog().finishAttempt(outcome.episode, outcome.log); !saved) {
            catalogFailure = saved.error().message;
            qCWarning(lcSync) << "episode" << atEnd.id << "outcome not recorded:" << catalogFailure;
        }
    }
    if (catalogFailure.isEmpty() || !wasInProgress)
        return true;
    const AttemptOutcome paused = outcome.pausedForCatalog(atEnd, m_machine);
    // May be taken when only the job's writes failed; else a restart closes the row as interrupted.
    static_cast<void>(m_ledger.catalog().finishAttempt(paused.episode, paused.log));
    pauseForCatalog(paused.episode, catalogFailure);
    Q_EMIT logAppended(atEnd.id);
    Q_EMIT canStartMore();
    return false;
}

void AttemptRunner::showOutcome(const AttemptOutcome &outcome, const ActiveEpisode &active)
{
    const EpisodeRecord &episode = outcome.episode;
    m_ledger.store().upsert(episode);
    if (outcome.forgetAbortedUploads)
        forgetAbortedUploads(episode);
    if (outcome.journalLine == AttemptOutcome::JournalLine::PausedByOperator)
        m_journal.episodePaused(episode, outcome.log.bytesCommitted);
    else if (outcome.journalLine == AttemptOutcome::JournalLine::AttemptEnded)
        m_journal.attemptEnded(episode, outcome.log, active.verifiedAtStart);
    Q_EMIT logAppended(episode.id);
    Q_EMIT canStartMore();
}

void AttemptRunner::forgetAbortedUploads(const EpisodeRecord &episode)
{
    // The job aborted the multipart uploads it had open: their parts are gone from the storage, so the catalog must
    // not offer them for a resume nor show them as verified. Completed files stay completed.
    auto reset = m_ledger.catalog().resetFiles(episode.id, Catalog::FilesToReset::IncompleteUploads);
    if (!reset) {
        qCWarning(lcSync) << "episode" << episode.id << "aborted uploads not forgotten:" << reset.error().message;
        return;
    }
    m_ledger.showVerified(episode);
}

void AttemptRunner::pauseForCatalog(const EpisodeRecord &episode, const QString &detail)
{
    const EpisodeRecord shown = m_catalogGate.close(episode, m_config.dataDir, detail, m_config.catalogRetryMs);
    qCWarning(lcSync) << "episode" << shown.id << "paused:" << shown.lastErrorMessage;
    m_ledger.show(shown);
}

void AttemptRunner::shutdown(const QDeadlineTimer &grace)
{
    QList<qint64> running;
    for (auto &[id, active] : m_active) {
        running.append(id);
        active.stop = StopReason::Shutdown;
        active.job->drain();
    }
    for (const qint64 id : std::as_const(running)) {
        UploadJob &job = *m_active.at(id).job;
        if (!job.wait(int(std::max<qint64>(0, grace.remainingTime())))) {
            job.kill(MultipartUploader::CancelMode::KeepForResume);
            // Bounded: a thread blocked in a read (a hung network mount) is left behind, not waited for forever.
            m_active.at(id).stuck = !job.wait(kStuckJobMs);
        }
        onJobFinished(id, StorageError::cancelled());
    }
}

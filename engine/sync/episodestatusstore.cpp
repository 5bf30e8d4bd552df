#include "episodestatusstore.h"

#include "episodestatemachine.h"

#include <algorithm>
#include <utility>

namespace {

constexpr const char *kUnreachable = "Unreachable";

std::optional<TransferProgress> restingProgress(const EpisodeRecord &record, std::optional<TransferProgress> progress)
{
    if (record.state == EpisodeState::Completed) {
        TransferProgress done = progress ? progress->atRest() : TransferProgress{};
        done.totalBytes = record.totalBytes;
        done.committedBytes = record.totalBytes;
        done.filesTotal = done.filesCompleted = record.fileCount;
        done.partsCompleted = done.partsTotal;
        return done;
    }
    if (!progress || !progress->hasVerified())
        return std::nullopt;
    return progress->atRest();
}

EpisodeStage stageOfTransfer(TransferStage stage)
{
    switch (stage) {
    case TransferStage::Starting:
        break;
    case TransferStage::Resuming:
        return EpisodeStage::Resuming;
    case TransferStage::Sending:
        return EpisodeStage::Uploading;
    case TransferStage::Completing:
        return EpisodeStage::Completing;
    case TransferStage::Finishing:
        return EpisodeStage::WritingManifest;
    }
    return EpisodeStage::Starting;
}

} // namespace

void EpisodeStatusStore::reset(const QList<EpisodeRecord> &records, const QHash<qint64, TransferProgress> &verified)
{
    QWriteLocker lock(&m_lock);
    m_episodes.clear();
    m_countByState = {};
    m_inProgress.clear();
    m_pausedIds.clear();
    m_pendingByAge.clear();
    for (const EpisodeRecord &record : records) {
        if (record.paused)
            m_pausedIds.insert(record.id);
        const auto found = verified.constFind(record.id);
        const auto progress = found == verified.cend() ? std::nullopt : std::make_optional(*found);
        Entry &entry = m_episodes[record.id];
        entry = Entry{record, restingProgress(record, progress)};
        countVerified(entry, false);
        track(nullptr, &record);
        touch(record.id, entry);
    }
}

void EpisodeStatusStore::upsert(const EpisodeRecord &record)
{
    QWriteLocker lock(&m_lock);
    const auto existing = m_episodes.constFind(record.id);
    track(existing == m_episodes.cend() ? nullptr : &existing->record, &record);
    if (record.paused)
        m_pausedIds.insert(record.id);
    else
        m_pausedIds.remove(record.id);
    if (existing == m_episodes.cend() || existing->record != record)
        m_events.append({record.id, EngineChanges::Event::Kind::Status, record.state});
    Entry &entry = m_episodes[record.id];
    const bool wasRunning = entry.record.state == EpisodeState::InProgress;
    const bool starting = record.state == EpisodeState::InProgress && !wasRunning;
    entry.record = record;
    if (starting) {
        entry.committedAtStart = entry.progress ? entry.progress->committedBytes : 0;
        if (!entry.progress) { // an attempt runs: progress is there from its first poll (the job's comes next)
            entry.progress = TransferProgress{};
            entry.progress->totalBytes = record.totalBytes;
            entry.progress->filesTotal = record.fileCount;
        }
    }
    if (record.state != EpisodeState::InProgress) {
        entry.progress = restingProgress(record, entry.progress);
        countVerified(entry, wasRunning && record.state == EpisodeState::Completed); // the rest of it, once done
    }
    touch(record.id, entry);
}

void EpisodeStatusStore::remove(qint64 id)
{
    QWriteLocker lock(&m_lock);
    const auto it = m_episodes.constFind(id);
    if (it != m_episodes.cend()) {
        track(&it->record, nullptr);
        m_events.append({id, EngineChanges::Event::Kind::Removed, it->record.state});
    }
    m_episodes.remove(id);
    m_pausedIds.remove(id);
    m_dirty.insert(id);
}

void EpisodeStatusStore::setProgress(qint64 id, const TransferProgress &progress)
{
    QWriteLocker lock(&m_lock);
    const auto it = m_episodes.find(id);
    if (it == m_episodes.end() || it->record.state != EpisodeState::InProgress)
        return; // a late report from a job that already ended
    it->progress = progress;
    countVerified(*it, true);
    const bool pastTheFailure = progress.committedBytes > it->committedAtStart
        || progress.stage == TransferStage::Completing || progress.stage == TransferStage::Finishing;
    if (pastTheFailure && it->record.hasError()) {
        it->record.lastErrorCode.clear();
        it->record.lastErrorMessage.clear();
    }
    touch(id, *it);
}

void EpisodeStatusStore::setVerified(qint64 id, const TransferProgress &verified)
{
    QWriteLocker lock(&m_lock);
    const auto it = m_episodes.find(id);
    if (it == m_episodes.end() || it->record.state == EpisodeState::InProgress)
        return;
    it->progress = restingProgress(it->record, verified);
    countVerified(*it, false);
    touch(id, *it);
}

void EpisodeStatusStore::setScanCount(qint64 id, int files, qint64 bytes)
{
    QWriteLocker lock(&m_lock);
    const auto it = m_episodes.find(id);
    if (it == m_episodes.end() || it->record.state != EpisodeState::Scanning)
        return; // the scan ended meanwhile: its result is in the record
    it->record.fileCount = files;
    it->record.totalBytes = bytes;
    touch(id, *it);
}

void EpisodeStatusStore::clearUnreachableError(qint64 id)
{
    QWriteLocker lock(&m_lock);
    const auto it = m_episodes.find(id);
    if (it == m_episodes.end() || it->record.lastErrorCode != QLatin1String(kUnreachable))
        return;
    it->record.lastErrorCode.clear();
    it->record.lastErrorMessage.clear();
    touch(id, *it);
}

void EpisodeStatusStore::setPaused(bool paused)
{
    QWriteLocker lock(&m_lock);
    if (m_paused == paused)
        return;
    m_paused = paused;
    markPendingDirty();
}

void EpisodeStatusStore::setStorageHealth(const StorageHealth &health)
{
    QWriteLocker lock(&m_lock);
    if (m_health == health)
        return;
    m_health = health;
    markPendingDirty();
}

StorageHealth EpisodeStatusStore::storageHealth() const
{
    QReadLocker lock(&m_lock);
    return m_health;
}

void EpisodeStatusStore::setThrottle(const ThrottleState &state)
{
    QWriteLocker lock(&m_lock);
    m_throttle = state;
}

ThrottleState EpisodeStatusStore::throttle() const
{
    QReadLocker lock(&m_lock);
    return m_throttle;
}

void EpisodeStatusStore::markPendingDirty()
{
    for (auto it = m_episodes.begin(); it != m_episodes.end(); ++it) {
        if (it->record.state == EpisodeState::Pending)
            touch(it.key(), *it);
    }
}

void EpisodeStatusStore::touch(qint64 id, Entry &entry)
{
    entry.revision = ++m_clock;
    m_dirty.insert(id);
}

void EpisodeStatusStore::countVerified(Entry &entry, bool counted)
{
    if (!entry.progress)
        return;
    const qint64 bytes = entry.progress->committedBytes;
    const int parts = entry.progress->partsCompleted;
    if (counted) {
        m_bytesNewlyVerified += qMax<qint64>(0, bytes - entry.mostBytesShown);
        m_partsNewlyVerified += qMax(0, parts - entry.mostPartsShown);
    }
    entry.mostBytesShown = qMax(entry.mostBytesShown, bytes);
    entry.mostPartsShown = qMax(entry.mostPartsShown, parts);
}

void EpisodeStatusStore::track(const EpisodeRecord *was, const EpisodeRecord *is)
{
    if (was) {
        --m_countByState.at(std::size_t(was->state));
        m_pendingByAge.erase({was->createdAt.toMSecsSinceEpoch(), was->id});
    }
    if (!is)
        return;
    ++m_countByState.at(std::size_t(is->state));
    if (is->state == EpisodeState::InProgress)
        m_inProgress.insert(is->id);
    else
        m_inProgress.remove(is->id);
    if (is->state == EpisodeState::Pending && is->createdAt.isValid())
        m_pendingByAge.insert({is->createdAt.toMSecsSinceEpoch(), is->id});
}

EpisodeStage EpisodeStatusStore::stageOf(const Entry &entry) const
{
    const EpisodeRecord &record = entry.record;
    switch (record.state) {
    case EpisodeState::Scanning:
        return EpisodeStage::Scanning;
    case EpisodeState::InProgress:
        return entry.progress ? stageOfTransfer(entry.progress->stage) : EpisodeStage::Starting;
    case EpisodeState::Pending:
        if (m_paused || record.paused)
            return EpisodeStage::Paused;
        if (!m_health.isOk() || record.lastErrorCode == QLatin1String(kUnreachable))
            return EpisodeStage::WaitingStorage;
        return record.nextRetryAt.isValid() ? EpisodeStage::WaitingRetry : EpisodeStage::Queued;
    case EpisodeState::Completed:
    case EpisodeState::Failed:
    case EpisodeState::Cancelled:
        break;
    }
    return EpisodeStage::None;
}

EpisodeStatus EpisodeStatusStore::statusOf(const Entry &entry) const
{
    return EpisodeStatus{entry.record, entry.progress, stageOf(entry), entry.revision};
}

std::optional<EpisodeStatus> EpisodeStatusStore::status(qint64 id) const
{
    QReadLocker lock(&m_lock);
    const auto it = m_episodes.constFind(id);
    if (it == m_episodes.constEnd())
        return std::nullopt;
    return statusOf(*it);
}

QList<EpisodeStatus> EpisodeStatusStore::statuses(const QList<qint64> &ids) const
{
    QReadLocker lock(&m_lock);
    QList<EpisodeStatus> result;
    result.reserve(ids.size());
    for (const qint64 id : ids) {
        const auto it = m_episodes.constFind(id);
        if (it != m_episodes.constEnd())
            result.append(statusOf(*it));
    }
    return result;
}

QList<EpisodeStatus> EpisodeStatusStore::all() const
{
    QReadLocker lock(&m_lock);
    QList<EpisodeStatus> result;
    result.reserve(m_episodes.size());
    for (const Entry &entry : m_episodes)
        result.append(statusOf(entry));
    std::sort(result.begin(), result.end(),
        [](const EpisodeStatus &a, const EpisodeStatus &b) { return a.record.id < b.record.id; });
    return result;
}

QList<EpisodeRecord> EpisodeStatusStore::dueQueue(const QDateTime &now) const
{
    QList<EpisodeRecord> due;
    {
        QReadLocker lock(&m_lock);
        for (const Entry &entry : m_episodes) {
            if (EpisodeStateMachine::isDue(entry.record, now))
                due.append(entry.record);
        }
    }
    std::sort(due.begin(), due.end(), [](const EpisodeRecord &a, const EpisodeRecord &b) {
        return a.priority != b.priority ? a.priority > b.priority : a.id < b.id;
    });
    return due;
}

int EpisodeStatusStore::count() const
{
    QReadLocker lock(&m_lock);
    return int(m_episodes.size());
}

QList<quint64> EpisodeStatusStore::revisions(const QList<qint64> &ids) const
{
    QReadLocker lock(&m_lock);
    QList<quint64> result;
    result.reserve(ids.size());
    for (const qint64 id : ids) {
        const auto it = m_episodes.constFind(id);
        result.append(it == m_episodes.constEnd() ? 0 : it->revision);
    }
    return result;
}

EpisodeStatusStore::Overview EpisodeStatusStore::overview() const
{
    QReadLocker lock(&m_lock);
    Overview overview;
    overview.countByState = m_countByState;
    overview.paused = int(m_pausedIds.size());
    overview.bytesNewlyVerified = m_bytesNewlyVerified;
    overview.partsNewlyVerified = m_partsNewlyVerified;
    for (const auto &[createdMs, id] : m_pendingByAge) {
        if (!m_pausedIds.contains(id)) {
            overview.oldestPendingCreatedAt = QDateTime::fromMSecsSinceEpoch(createdMs, Qt::UTC);
            break;
        }
    }
    overview.inProgress.reserve(m_inProgress.size());
    for (const qint64 id : m_inProgress)
        overview.inProgress.append(statusOf(*m_episodes.constFind(id)));
    std::sort(overview.inProgress.begin(), overview.inProgress.end(),
        [](const EpisodeStatus &a, const EpisodeStatus &b) { return a.record.id < b.record.id; });
    return overview;
}

EngineChanges EpisodeStatusStore::takeChanges()
{
    QWriteLocker lock(&m_lock);
    EngineChanges changes;
    changes.events = std::exchange(m_events, {});
    changes.changedIds = QList<qint64>(m_dirty.cbegin(), m_dirty.cend());
    m_dirty.clear();
    lock.unlock();
    std::sort(changes.changedIds.begin(), changes.changedIds.end());
    return changes;
}

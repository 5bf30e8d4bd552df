#include "episodestatemachine.h"

#include <QCoreApplication>

EpisodeStateMachine::EpisodeStateMachine(RetryPolicy episodeRetry)
    : m_retry(episodeRetry)
{ }

SyncError EpisodeStateMachine::invalid(const EpisodeRecord &episode, const char *action)
{
    return {SyncError::Code::InvalidTransition,
        tr("cannot %1 episode %2 while it is %3")
            .arg(QLatin1String(action))
            .arg(episode.id)
            .arg(episodeStateName(episode.state))};
}

SyncResult<void> EpisodeStateMachine::start(EpisodeRecord &episode) const
{
    if (episode.state != EpisodeState::Pending || episode.paused)
        return invalid(episode, episode.paused ? "start a paused" : "start");
    episode.state = EpisodeState::InProgress;
    episode.attempts += 1;
    episode.nextRetryAt = {};
    return {};
}

SyncResult<void> EpisodeStateMachine::succeed(EpisodeRecord &episode, const QString &bucket, const QString &keyPrefix,
    const QByteArray &manifestEtag, const QDateTime &now) const
{
    if (episode.state != EpisodeState::InProgress)
        return invalid(episode, "complete");
    episode.state = EpisodeState::Completed;
    episode.cloudBucket = bucket;
    episode.cloudKeyPrefix = keyPrefix;
    episode.manifestEtag = manifestEtag;
    episode.syncedAt = now;
    episode.paused = false;
    episode.lastErrorCode.clear();
    episode.lastErrorMessage.clear();
    episode.nextRetryAt = {};
    return {};
}

SyncResult<void> EpisodeStateMachine::fail(EpisodeRecord &episode, const Failure &failure, const QDateTime &now) const
{
    if (episode.state != EpisodeState::InProgress)
        return invalid(episode, "fail");
    episode.lastErrorCode = failure.code;
    episode.lastErrorMessage = failure.message;
    if (failure.retryable && episode.attempts < m_retry.maxAttempts()) {
        episode.state = EpisodeState::Pending;
        episode.nextRetryAt = now.addMSecs(m_retry.delayMs(episode.attempts));
    } else {
        episode.state = EpisodeState::Failed;
        episode.nextRetryAt = {};
        episode.paused = false;
    }
    return {};
}

SyncResult<void> EpisodeStateMachine::interrupt(EpisodeRecord &episode) const
{
    if (episode.state != EpisodeState::InProgress)
        return invalid(episode, "interrupt");
    episode.state = EpisodeState::Pending;
    episode.attempts = std::max(0, episode.attempts - 1);
    episode.nextRetryAt = {};
    return {};
}

SyncResult<void> EpisodeStateMachine::waitForStorage(
    EpisodeRecord &episode, const Failure &failure, const QDateTime &retryAt) const
{
    if (auto interrupted = interrupt(episode); !interrupted)
        return interrupted;
    episode.lastErrorCode = failure.code;
    episode.lastErrorMessage = failure.message;
    episode.nextRetryAt = retryAt;
    return {};
}

SyncResult<void> EpisodeStateMachine::cancel(EpisodeRecord &episode) const
{
    if (!canCancel(episode))
        return invalid(episode, "cancel");
    episode.state = EpisodeState::Cancelled;
    episode.nextRetryAt = {};
    episode.paused = false;
    return {};
}

SyncResult<void> EpisodeStateMachine::retry(EpisodeRecord &episode) const
{
    if (!canRetry(episode))
        return invalid(episode, "retry");
    // A retry asked for by a person starts with a fresh budget of attempts.
    episode.state = EpisodeState::Pending;
    episode.attempts = 0;
    episode.nextRetryAt = {};
    episode.paused = false;
    episode.lastErrorCode.clear();
    episode.lastErrorMessage.clear();
    return {};
}

SyncResult<void> EpisodeStateMachine::enqueue(EpisodeRecord &episode) const
{
    if (episode.state == EpisodeState::Pending) {
        episode.nextRetryAt = {}; // due now, without waiting for its backoff
        episode.paused = false; // "sync now" of a paused episode means: not paused any more
        return {};
    }
    if (episode.state == EpisodeState::Failed || episode.state == EpisodeState::Cancelled)
        return retry(episode);
    return invalid(episode, "enqueue");
}

SyncResult<void> EpisodeStateMachine::pause(EpisodeRecord &episode) const
{
    if (!canPauseOrResume(episode))
        return invalid(episode, "pause");
    episode.paused = true;
    return {};
}

SyncResult<void> EpisodeStateMachine::resume(EpisodeRecord &episode) const
{
    if (!canPauseOrResume(episode))
        return invalid(episode, "resume");
    episode.paused = false;
    return {};
}

SyncResult<void> EpisodeStateMachine::rescan(EpisodeRecord &episode) const
{
    if (!canRescan(episode))
        return invalid(episode, "rescan");
    episode.state = EpisodeState::Scanning;
    episode.nextRetryAt = {};
    episode.paused = false; // a person asked for it to go on (with the files as they are now)
    return {};
}

SyncResult<void> EpisodeStateMachine::scanned(EpisodeRecord &episode) const
{
    if (episode.state != EpisodeState::Scanning)
        return invalid(episode, "finish the scan of");
    episode.state = EpisodeState::Failed; // so that retry's rules (fresh budget, no error) apply
    return retry(episode);
}

SyncResult<void> EpisodeStateMachine::checkRemovable(const EpisodeRecord &episode) const
{
    if (!isRemovable(episode))
        return invalid(episode, "remove");
    return {};
}

bool EpisodeStateMachine::isDue(const EpisodeRecord &episode, const QDateTime &now)
{
    return episode.state == EpisodeState::Pending && !episode.paused
        && (!episode.nextRetryAt.isValid() || episode.nextRetryAt <= now);
}

bool EpisodeStateMachine::canCancel(const EpisodeRecord &episode)
{
    return episode.state == EpisodeState::Pending || episode.state == EpisodeState::InProgress;
}

bool EpisodeStateMachine::canRetry(const EpisodeRecord &episode)
{
    return episode.state == EpisodeState::Failed || episode.state == EpisodeState::Cancelled;
}

bool EpisodeStateMachine::canEnqueue(const EpisodeRecord &episode)
{
    return episode.state == EpisodeState::Pending || canRetry(episode);
}

bool EpisodeStateMachine::canPauseOrResume(const EpisodeRecord &episode)
{
    return episode.state == EpisodeState::Pending || episode.state == EpisodeState::InProgress;
}

bool EpisodeStateMachine::canRescan(const EpisodeRecord &episode)
{
    return episode.state != EpisodeState::InProgress && episode.state != EpisodeState::Completed
        && episode.state != EpisodeState::Scanning;
}

bool EpisodeStateMachine::isRemovable(const EpisodeRecord &episode)
{
    return episode.state != EpisodeState::InProgress && episode.state != EpisodeState::Scanning;
}

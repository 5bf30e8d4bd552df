#include "attemptoutcome.h"

#include "errorhint.h"

namespace {

bool isUnreachable(const StorageError &error)
{
    return error.s3Code == QLatin1String("Unreachable");
}

// The log row of an attempt stopped by the scheduler (or ended while its episode left in progress).
QString stoppedResult(StopReason stop)
{
    switch (stop) {
    case StopReason::Pause:
        return QStringLiteral("paused");
    case StopReason::Reconfigure:
        return QStringLiteral("reconfigured");
    default:
        return QStringLiteral("interrupted");
    }
}

} // namespace

AttemptOutcome AttemptOutcome::of(const Facts &facts, const EpisodeStateMachine &machine)
{
    AttemptOutcome outcome;
    outcome.episode = facts.episode;
    outcome.log.id = facts.logId;
    outcome.log.episodeId = facts.episode.id;
    outcome.log.startedAt = facts.startedAt;
    outcome.log.finishedAt = facts.finishedAt;
    outcome.log.bytesCommitted = facts.bytesCommitted;
    outcome.forgetAbortedUploads = facts.stop == StopReason::Cancel;
    outcome.decideStorage(facts);
    outcome.decideTransition(facts, machine);
    outcome.decideJournalLine(facts);
    return outcome;
}

AttemptOutcome AttemptOutcome::pausedForCatalog(EpisodeRecord atEnd, const EpisodeStateMachine &machine) const
{
    AttemptOutcome paused = *this;
    static_cast<void>(machine.interrupt(atEnd));
    paused.episode = std::move(atEnd);
    paused.log.result = QStringLiteral("paused");
    return paused;
}

void AttemptOutcome::decideStorage(const Facts &facts)
{
    const StorageError &error = facts.error;
    if (isUnreachable(error) || error.kind == StorageError::Kind::Cancelled)
        return; // no answer; an outage that continues is decided with the transition (only an attempt in progress)
    outage = Outage::Over; // it answered (or the episode completed): the outage, if any, is over
    if (ErrorHint::isCredentialsRejected(error.s3Code)) {
        health = StorageHealth::State::CredentialsRejected;
        healthDetail = error.toString();
    } else if (!error.isError() || facts.health == StorageHealth::State::Unreachable) {
        health = StorageHealth::State::Ok;
    }
}

void AttemptOutcome::decideTransition(const Facts &facts, const EpisodeStateMachine &machine)
{
    const StorageError &error = facts.error;
    const bool inProgress = episode.state == EpisodeState::InProgress;
    // Attempts in flight together all meet rejected credentials; only the first to end is the one that found out.
    const bool heldByRejectedCredentials
        = ErrorHint::isCredentialsRejected(error.s3Code) && facts.health == StorageHealth::State::CredentialsRejected;
    if (!error.isError() && inProgress) {
        static_cast<void>(
            machine.succeed(episode, facts.bucket, facts.keyPrefix, facts.manifestEtag, facts.finishedAt));
        episode.etagsUnchecked = facts.etagsUnchecked; // the catalog counts the same from its files on a later read
        log.result = QStringLiteral("completed");
    } else if (error.kind == StorageError::Kind::Cancelled || !inProgress) {
        interrupted(facts, machine);
    } else if (isUnreachable(error)) {
        outage = Outage::Continues;
        nextProbeAt = facts.finishedAt.addMSecs(facts.unreachableRetry.delayMs(facts.unreachableStreak + 1));
        static_cast<void>(machine.waitForStorage(episode, {error.s3Code, error.detail(), true}, nextProbeAt));
        log.result = QStringLiteral("unreachable");
        keepError(error, true);
        health = StorageHealth::State::Unreachable;
        healthDetail = error.detail();
    } else if (heldByRejectedCredentials) {
        // The same cause a moment later: it waits with the queue for new settings or a person's retry (not an
        // attempt that counts), instead of failing a second time for what the storage state already says.
        static_cast<void>(machine.interrupt(episode));
        log.result = QStringLiteral("held");
        keepError(error, false);
    } else {
        static_cast<void>(machine.fail(episode, {error.s3Code, error.detail(), error.retryable}, facts.finishedAt));
        log.result = episode.state == EpisodeState::Pending ? QStringLiteral("retry") : QStringLiteral("failed");
        keepError(error, error.retryable);
    }
}

void AttemptOutcome::interrupted(const Facts &facts, const EpisodeStateMachine &machine)
{
    if (facts.stop == StopReason::Cancel || episode.state == EpisodeState::Cancelled) {
        log.result = QStringLiteral("cancelled");
        return;
    }
    static_cast<void>(machine.interrupt(episode));
    log.result = stoppedResult(facts.stop);
}

void AttemptOutcome::keepError(const StorageError &error, bool retryable)
{
    log.errorCode = error.s3Code;
    log.errorMessage = error.detail();
    log.retryable = retryable;
}

void AttemptOutcome::decideJournalLine(const Facts &facts)
{
    if (facts.pausedByOperator && log.result == QLatin1String("paused"))
        journalLine = JournalLine::PausedByOperator; // says "paused by the operator" instead of the attempt's line
    else if (facts.probing && log.result == QLatin1String("unreachable"))
        journalLine = JournalLine::None; // a probe's outage was said once already (the storage line)
    else
        journalLine = JournalLine::AttemptEnded;
}

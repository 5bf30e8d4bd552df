#pragma once

#include "catalog/episoderecord.h"
#include "storage/retrypolicy.h"
#include "syncerror.h"

#include <QCoreApplication>
#include <QDateTime>

// The transitions of an episode, as pure functions on its record (no I/O: the scheduler persists the result).
//
//   register ► scanning ──scanned──┐         (its files listed on a worker; cancel withdraws a registration)
//   rescan ───────►│                │         (from pending, failed or cancelled; cancel keeps the old files)
//              ┌───┼──────── retry / enqueue ─────────────┐
//              ▼   ▼                                      │
//              pending ──start──► in_progress ──succeed──► completed
//              ▲   │                 │ ├── fail, retryable, attempts left ──► pending (next_retry_at)
//              │   │                 │ ├── fail, otherwise ─────────────────► failed (next_retry_at cleared)
//              │   │                 │ └── cancel ──────────────────────────► cancelled
//              │   └──── cancel ─────┼──────────────────────────────────────► cancelled
//              └──── interrupt ──────┘  (pause, shutdown, crash: not an attempt that counts)
//              └── waitForStorage ───┘  (storage unreachable: pending until retryAt, not an attempt that counts)
//
//   paused (a flag beside the state, set by an operator for one episode; pause-all is the scheduler's own switch):
//
//              pending ──pause──► pending + paused ──resume / enqueue / retry / rescan──► pending (due again)
//              in_progress ──pause──► in_progress + paused ──interrupt──► pending + paused
//                                    (its attempt stops at once, verified parts and upload ids kept)
//              pending + paused ──cancel──► cancelled (paused cleared); start refuses it (isDue false)
//
// failed and cancelled go back to pending only by retry/enqueue/rescan; completed is final. A scanning episode takes
// no command but cancel (the scheduler's: it stops the scan). Only pending and in_progress episodes are ever paused:
// every transition to another state clears the flag, except interrupt and a retryable fail (still pending).
class EpisodeStateMachine
{
    Q_DECLARE_TR_FUNCTIONS(EpisodeStateMachine)

public:
    struct Failure
    {
        QString code;
        QString message;
        bool retryable = false;
    };

    explicit EpisodeStateMachine(RetryPolicy episodeRetry);

    SyncResult<void> start(EpisodeRecord &episode) const;
    SyncResult<void> succeed(EpisodeRecord &episode, const QString &bucket, const QString &keyPrefix,
        const QByteArray &manifestEtag, const QDateTime &now) const;
    SyncResult<void> fail(EpisodeRecord &episode, const Failure &failure, const QDateTime &now) const;
    SyncResult<void> interrupt(EpisodeRecord &episode) const;
    // The storage could not be reached at all: an outage, not the episode's fault. Pending again at retryAt, the
    // attempt not counted, the error kept so views can say why it waits.
    SyncResult<void> waitForStorage(EpisodeRecord &episode, const Failure &failure, const QDateTime &retryAt) const;
    SyncResult<void> cancel(EpisodeRecord &episode) const;
    SyncResult<void> retry(EpisodeRecord &episode) const;
    SyncResult<void> enqueue(EpisodeRecord &episode) const;
    // An operator holds the episode back: pending or in progress (the scheduler stops its attempt), paused again is
    // no change. Other states are refused.
    SyncResult<void> pause(EpisodeRecord &episode) const;
    // Lets it be started again (when its retry time, if any, has come), its priority unchanged. Pending or in
    // progress, paused or not; other states are refused.
    SyncResult<void> resume(EpisodeRecord &episode) const;
    // The episode's files are to be read again: scanning. Not while in progress or scanning already, and a
    // completed episode is final.
    SyncResult<void> rescan(EpisodeRecord &episode) const;
    // Its files were listed: pending with a fresh budget and no error.
    SyncResult<void> scanned(EpisodeRecord &episode) const;
    SyncResult<void> checkRemovable(const EpisodeRecord &episode) const;

    // Due for an attempt now (pending, not paused, and its retry time, if any, has come).
    static bool isDue(const EpisodeRecord &episode, const QDateTime &now);

    // Whether each command's transition above accepts the episode: the guards the transitions check, for views that
    // offer a command only where it succeeds (no error text is built: they ask per selected row, often).
    static bool canCancel(const EpisodeRecord &episode);
    static bool canRetry(const EpisodeRecord &episode);
    static bool canEnqueue(const EpisodeRecord &episode);
    static bool canPauseOrResume(const EpisodeRecord &episode);
    static bool canRescan(const EpisodeRecord &episode);
    static bool isRemovable(const EpisodeRecord &episode);

private:
    static SyncError invalid(const EpisodeRecord &episode, const char *action);

    RetryPolicy m_retry;
};

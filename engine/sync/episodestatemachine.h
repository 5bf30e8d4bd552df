#pragma once

#include "catalog/episoderecord.h"
#include "storage/retrypolicy.h"
#include "syncerror.h"

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
// failed and cancelled go back to pending only by retry/enqueue/rescan; completed is final. A scanning episode takes
// no command but cancel (the scheduler's: it stops the scan).
class EpisodeStateMachine
{
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
    // The episode's files are to be read again: scanning. Not while in progress or scanning already, and a
    // completed episode is final.
    SyncResult<void> rescan(EpisodeRecord &episode) const;
    // Its files were listed: pending with a fresh budget and no error.
    SyncResult<void> scanned(EpisodeRecord &episode) const;
    SyncResult<void> checkRemovable(const EpisodeRecord &episode) const;

    // Due for an attempt now (pending and its retry time, if any, has come).
    static bool isDue(const EpisodeRecord &episode, const QDateTime &now);

private:
    static SyncError invalid(const EpisodeRecord &episode, const char *action);

    RetryPolicy m_retry;
};

#pragma once

#include "catalog/episoderecord.h"
#include "episodestatemachine.h"
#include "stopreason.h"
#include "storage/retrypolicy.h"
#include "storage/storageerror.h"
#include "storagehealth.h"

#include <optional>

// How one upload attempt ended: a pure mapping (no Qt objects, no I/O) from what is known when its job finished (the
// job's error, why it was stopped, the episode's facts) to the episode's transition, its sync_logs row, what the
// answer says about the storage, and the journal line. The scheduler applies it: the catalog first, then the store,
// then the journal. Pure so that each row of the table below is a unit test (tst_episodestatemachine).
//
//   job finished ──no error, still in progress ─────────────────► succeed         "completed"
//        ├──stopped, or the episode left in progress ──cancel───► (as it is)      "cancelled"  uploads forgotten
//        │                                            └─otherwise► interrupt       "paused" | "reconfigured"
//        │                                                                         | "interrupted"
//        ├──Unreachable ────────────────────────────────────────► waitForStorage  "unreachable" outage continues
//        ├──credentials rejected, and the storage says so already► interrupt      "held"
//        └──any other error ────────────────────────────────────► fail            "retry" | "failed"
//
//   The storage, from the same answer: any outcome but Unreachable and a stop ends an outage; rejected credentials
//   show as credentials_rejected, a success (or an answer after an outage) as ok, Unreachable as unreachable.
class AttemptOutcome
{
public:
    struct Facts
    {
        EpisodeRecord episode; // as the store shows it when the job finished (in progress, or cancelled meanwhile)
        StorageError error; // what the job ended with (none: it completed)
        StopReason stop = StopReason::None;
        bool pausedByOperator = false; // pauseEpisode() stopped it
        bool probing = false; // started while the storage was unreachable: the journal said so once already
        StorageHealth::State health = StorageHealth::State::Ok; // the storage's health when the job finished
        int unreachableStreak = 0; // attempts in a row that could not connect, before this one
        RetryPolicy unreachableRetry; // the back-off between probes of an unreachable storage
        qint64 logId = 0;
        QDateTime startedAt;
        QDateTime finishedAt;
        qint64 bytesCommitted = 0;
        QString bucket;
        QString keyPrefix; // the episode's
        QByteArray manifestEtag; // a completed job's
        int etagsUnchecked = 0; // a completed job's
    };
    enum class Outage {
        Unchanged, // a stop says nothing about the storage
        Over, // it answered (or the episode completed)
        Continues, // no connection again: the next probe waits until nextProbeAt
    };
    enum class JournalLine { AttemptEnded, PausedByOperator, None };

    EpisodeRecord episode; // after the transition
    SyncLogEntry log; // the attempt's row, finished
    std::optional<StorageHealth::State> health; // the storage's health from now on (unchanged when the same)
    QString healthDetail;
    Outage outage = Outage::Unchanged;
    QDateTime nextProbeAt; // Outage::Continues: no episode starts before
    bool forgetAbortedUploads = false; // a cancel aborted the multipart uploads: the catalog must forget them
    JournalLine journalLine = JournalLine::AttemptEnded;

    [[nodiscard]] static AttemptOutcome of(const Facts &facts, const EpisodeStateMachine &machine);
    // The catalog could not follow the job (or cannot take this outcome): the episode as it was at the end goes
    // back to pending as an interruption, logged "paused"; uploads wait for the catalog (CatalogWriteGate).
    [[nodiscard]] AttemptOutcome pausedForCatalog(EpisodeRecord atEnd, const EpisodeStateMachine &machine) const;

private:
    void decideStorage(const Facts &facts);
    void decideTransition(const Facts &facts, const EpisodeStateMachine &machine);
    void interrupted(const Facts &facts, const EpisodeStateMachine &machine);
    void keepError(const StorageError &error, bool retryable);
    void decideJournalLine(const Facts &facts);
};

#pragma once

#include "catalog/episoderecord.h"
#include "storage/storageerror.h"
#include "storage/transferprogress.h"
#include "storagehealth.h"
#include "throttlestate.h"

#include <QCoreApplication>
#include <QHash>
#include <QMutex>

// The operator's journal on stderr (journald for the service): at the default log level, one line per state change
// of an episode and one per change of the storage's health (category "keystone.journal", info messages, enabled by
// default); at --log-level info also the progress of each running episode every 10 % ("keystone.journal.progress").
// Times in ISO 8601 UTC. Never a secret: names, sizes, codes and the storage's own messages only.
// Called from the engine thread, progressed() also from transfer threads (thread-safe).
class SyncJournal
{
    Q_DECLARE_TR_FUNCTIONS(SyncJournal)

public:
    void registered(const EpisodeRecord &episode);
    // announce false: follow its progress, but write no line (a probe while the storage is unreachable).
    void attemptStarted(const EpisodeRecord &episode, qint64 verifiedBytes, bool announce = true);
    // result: the sync_logs result ("completed", "retry", "failed", "cancelled", "paused", "interrupted",
    // "unreachable"); verifiedAtStart: what the attempt started from (its speed is over what it added).
    void attemptEnded(const EpisodeRecord &episode, const SyncLogEntry &log, qint64 verifiedAtStart);
    // An operator paused or resumed one episode (SyncEngine::pauseEpisode/resumeEpisode); verifiedBytes: what is
    // verified of it and kept. A pause that stopped an attempt is this line instead of attemptEnded's.
    void episodePaused(const EpisodeRecord &episode, qint64 verifiedBytes);
    void episodeResumed(const EpisodeRecord &episode, qint64 verifiedBytes);
    void progressed(const EpisodeRecord &episode, const TransferProgress &progress);
    void rescanned(const EpisodeRecord &episode, int filesKept, int filesChanged, int filesGone);
    // withdrawn: a registration given up (the episode is removed); otherwise a rescan (the episode stays as it was).
    void scanAbandoned(const EpisodeRecord &episode, const QString &reason, bool withdrawn);
    // The server no longer has the multipart upload of one file (removed by a lifecycle rule or an admin, or
    // expired): that file starts over. Thread-safe (called from the job's worker thread).
    void uploadGone(
        const EpisodeRecord &episode, const QString &relativePath, const QString &uploadId, const StorageError &error);
    // One file completed without a checkable whole-object ETag (the server gave none, or one not made from the
    // parts' MD5s; etag empty: none at all). Thread-safe (called from the job's worker thread).
    void etagUnchecked(const EpisodeRecord &episode, const QString &relativePath, const QByteArray &etag);
    void storageHealthChanged(const StorageHealth &before, const StorageHealth &after);
    // Recording mode entered or left, or the limit in force changed (a schedule slot, new settings).
    static void throttleChanged(const ThrottleState &before, const ThrottleState &after);

    static QString episodeLabel(const EpisodeRecord &episode); // episode 12 "run-001"

private:
    QMutex m_mutex; // guards m_lastDecile
    QHash<qint64, int> m_lastDecile; // per running episode: the last 10 % step written
};

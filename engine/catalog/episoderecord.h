#pragma once

#include "core/completedpart.h"
#include "core/fileidentity.h"
#include "episodestate.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

// One row of `episodes`: what an episode is and where its sync stands. A value type; copies travel between
// the engine thread and the views.
struct EpisodeRecord
{
    qint64 id = 0;
    QString name;
    QString localPath; // a file or a folder
    qint64 totalBytes = 0;
    int fileCount = 0;
    QDateTime createdAt; // UTC

    EpisodeState state = EpisodeState::Pending;
    int attempts = 0; // attempts that count against the retry budget (a pause, an outage or a person's retry resets)
    int attemptsMade = 0; // every attempt ever started (its sync_logs rows); what operators are shown
    QString lastErrorCode; // empty: no error
    QString lastErrorMessage;
    QDateTime nextRetryAt; // invalid: due now / not scheduled
    int priority = 0; // higher starts first among pending episodes; equal ones by the scheduler's fairness rule
    // An operator paused this episode (SyncEngine::pauseEpisode): pending and never started until resumed (or
    // enqueued, retried, rescanned). Set while pending or in progress only (an attempt it stops ends pending).
    bool paused = false;

    // Cloud fields, set when completed.
    QString cloudBucket;
    QString cloudKeyPrefix; // objects are <cloudKeyPrefix>/<relative path>
    QByteArray manifestEtag;
    QDateTime syncedAt;
    // Files completed without a checkable ETag (EpisodeFileRecord::etagChecked false): their parts were checked, the
    // whole object was not. Counted from the files when the row is read.
    int etagsUnchecked = 0;

    bool hasError() const { return !lastErrorCode.isEmpty(); }
    friend bool operator==(const EpisodeRecord &, const EpisodeRecord &) = default;
};

// One row of `episode_files` with its verified parts: the resume state of one file.
struct EpisodeFileRecord
{
    QString relativePath; // below the episode folder; for a single-file episode, the file name
    qint64 size = 0;
    qint64 mtimeMs = 0; // at registration; a different value at upload time fails the episode
    QByteArray etag; // set once the object is complete
    QString uploadId; // multipart upload in progress, if any
    qint64 partSize = 0;
    QList<CompletedPart> parts; // verified parts of uploadId
    // st_dev and st_ino at registration (schema v5); 0: recorded before, filled in when the file is first opened.
    quint64 device = 0;
    quint64 inode = 0;
    // False once completed without a checkable ETag (the server gave none, or one not made from the parts' MD5s).
    bool etagChecked = true;

    bool knowsInode() const { return inode != 0; }
    bool isCompleted() const { return !etag.isEmpty() || !etagChecked; }
    FileIdentity identity() const { return {size, mtimeMs, device, inode}; }
    friend bool operator==(const EpisodeFileRecord &, const EpisodeFileRecord &) = default;
};

// One row of `sync_logs`: one attempt.
struct SyncLogEntry
{
    qint64 id = 0;
    qint64 episodeId = 0;
    QDateTime startedAt;
    QDateTime finishedAt; // invalid while the attempt runs
    // "completed", "failed", "retry", "cancelled", "paused", "interrupted", "reconfigured" (ended by settings applied
    // live); empty while running
    QString result;
    qint64 bytesCommitted = 0;
    QString errorCode;
    QString errorMessage;
    bool retryable = false;

    friend bool operator==(const SyncLogEntry &, const SyncLogEntry &) = default;
};

Q_DECLARE_METATYPE(EpisodeRecord)
Q_DECLARE_METATYPE(SyncLogEntry)

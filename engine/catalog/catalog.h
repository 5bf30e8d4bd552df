#pragma once

#include "catalogerror.h"
#include "catalogschema.h"
#include "episoderecord.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

// The SQLite catalog (QtSql, WAL, foreign keys on): episodes, their files with the resume state (upload ids and
// verified parts), and one sync_logs row per attempt. Schema versions by PRAGMA user_version.
//
// One Catalog object per thread: the connection it opens belongs to the thread that called open(), and every
// call must come from that thread. Several threads (and processes) may have the same file open.
// Multi-row changes run in one transaction each. Timestamps are stored as UTC milliseconds.
//
// A facade: the connection (CatalogConnection), the schema and its migrations (CatalogSchema) and one store per table
// (EpisodeTable, EpisodeFileTable, PartTable, SyncLogTable, WatchedFolderTable) sit behind it; a method that runs
// more than one statement runs them in one CatalogTransaction.
class Catalog
{
public:
    static constexpr int kSchemaVersion = CatalogSchema::kCurrentVersion;
    static constexpr const char *kFileName = "catalog.sqlite";

    // Opens <dataDir>/catalog.sqlite, creating the directory and file when missing and migrating an older schema.
    // A locked, corrupt or newer-schema file is an error and left exactly as it was.
    static CatalogResult<std::unique_ptr<Catalog>> open(const QString &dataDir);
    ~Catalog();
    Catalog(const Catalog &) = delete;
    Catalog &operator=(const Catalog &) = delete;

    QString filePath() const;

    // Episodes. insertEpisode assigns the id (returned) and ignores episode.id; a duplicate name is Conflict.
    // A watchedFolder path is recorded in watched_folders in the same transaction (a path recorded already: Conflict).
    CatalogResult<qint64> insertEpisode(
        const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files, const QString &watchedFolder = {});
    CatalogResult<QList<EpisodeRecord>> loadEpisodes();
    CatalogResult<EpisodeRecord> loadEpisode(qint64 id);
    CatalogResult<void> updateEpisode(const EpisodeRecord &episode); // every column but id/name/path/sizes/created_at
    CatalogResult<void> setPriority(qint64 id, int priority); // the only writer of the priority after the insert
    CatalogResult<void> deleteEpisode(qint64 id); // with its files, parts and logs

    // Files and resume state.
    CatalogResult<QList<EpisodeFileRecord>> loadFiles(qint64 episodeId); // sorted by relative path, parts by number
    // Every episode's files at once (start-up: two queries instead of two per episode); an episode without files is
    // missing.
    CatalogResult<QHash<qint64, QList<EpisodeFileRecord>>> loadAllFiles();
    // Records the multipart upload a file now uses. Parts recorded for another upload id are dropped.
    CatalogResult<void> setFileUpload(
        qint64 episodeId, const QString &relativePath, const QString &uploadId, qint64 partSize);
    CatalogResult<void> addVerifiedPart(qint64 episodeId, const QString &relativePath, const CompletedPart &part);
    // The object is complete: keeps the ETag, drops upload id and parts.
    // etagChecked false: completed without a checkable ETag (etag may then be empty; the file is complete all the
    // same).
    CatalogResult<void> setFileCompleted(
        qint64 episodeId, const QString &relativePath, const QByteArray &etag, bool etagChecked = true);
    // Records the device and inode a file was found with when its row has none (registered before schema v5); a row
    // that knows them keeps them.
    CatalogResult<void> setFileIdentity(qint64 episodeId, const QString &relativePath, const FileIdentity &found);
    // All: forgets every ETag, upload id and part of the episode (a fresh upload from scratch). IncompleteUploads:
    // only the multipart uploads of files not complete and their parts (after those uploads were aborted).
    enum class FilesToReset { All, IncompleteUploads };
    CatalogResult<void> resetFiles(qint64 episodeId, FilesToReset which = FilesToReset::All);
    // The episode's files as they are now (a rescan): a recorded file with the same path, size and mtime (and
    // device and inode, where the row knows them) keeps its row (ETag, upload id, parts); the others are written as
    // given; recorded files not among them are dropped with their parts. total_bytes and file_count follow.
    CatalogResult<void> replaceFiles(qint64 episodeId, const QList<EpisodeFileRecord> &files);

    // Attempts: the state change and its sync_logs row in one transaction.
    CatalogResult<qint64> startAttempt(const EpisodeRecord &episode, const QDateTime &startedAt); // returns the log id
    CatalogResult<void> finishAttempt(const EpisodeRecord &episode, const SyncLogEntry &log); // log.id selects the row
    // At start-up: closes every log row a crash left open with result "interrupted"; returns how many.
    CatalogResult<int> closeInterruptedLogs(const QDateTime &now);
    CatalogResult<QList<SyncLogEntry>> syncLogs(qint64 episodeId, int limit); // episodeId 0: all; newest first

    // Folder watch: every folder path it ever registered (or found registered), kept when the episode is deleted.
    CatalogResult<QStringList> watchedFolders();
    CatalogResult<void> recordWatchedFolder(const QString &path, qint64 episodeId, const QDateTime &registeredAt);

private:
    Catalog();
    struct Private;
    std::unique_ptr<Private> d;
};

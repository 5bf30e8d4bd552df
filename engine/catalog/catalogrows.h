#pragma once

#include "catalogerror.h"
#include "episoderecord.h"

#include <QVariantList>

class QSqlQuery;

// How records map to the catalog's rows and back: the column lists the tables select and write, and the readers and
// value lists that go with them. A column list and its reader or values change together, here.
namespace CatalogRows {

// Episodes. The computed columns count every attempt ever started (sync_logs rows), whatever the retry budget says,
// and the files completed without a checkable ETag.
inline constexpr char kEpisodeColumns[]
    = "id, name, local_path, total_bytes, file_count, created_at, status, attempts, last_error_code,"
      " last_error_message, next_retry_at, cloud_bucket, cloud_key_prefix, manifest_etag, synced_at,"
      " (SELECT COUNT(*) FROM sync_logs l WHERE l.episode_id = episodes.id), priority,"
      " (SELECT COUNT(*) FROM episode_files f WHERE f.episode_id = episodes.id AND f.etag_checked = 0),"
      " paused";
// Reads a row selected with kEpisodeColumns; Corrupt for a status this build does not know.
[[nodiscard]] CatalogResult<EpisodeRecord> episodeFrom(const QSqlQuery &query);
// What an insert writes: the columns of kEpisodeInsertColumns, in order.
inline constexpr char kEpisodeInsertColumns[]
    = "name, local_path, total_bytes, file_count, created_at, status, attempts, last_error_code, last_error_message,"
      " next_retry_at, cloud_bucket, cloud_key_prefix, manifest_etag, synced_at, paused, priority";
[[nodiscard]] QVariantList episodeInsertValues(const EpisodeRecord &episode);
// The columns an update of the state, and the start and finish of an attempt, change, in the order of stateValues().
inline constexpr char kStateAssignments[]
    = "status = ?, attempts = ?, last_error_code = ?, last_error_message = ?, next_retry_at = ?, cloud_bucket = ?,"
      " cloud_key_prefix = ?, manifest_etag = ?, synced_at = ?, paused = ?";
[[nodiscard]] QVariantList stateValues(const EpisodeRecord &episode);

// Files: selected and inserted with the same columns, in this order.
inline constexpr char kFileColumns[]
    = "episode_id, relative_path, size, mtime_ms, etag, upload_id, part_size, device, inode, etag_checked";
// Reads a row selected with kFileColumns, without its parts (the episode id is the caller's).
[[nodiscard]] EpisodeFileRecord fileFrom(const QSqlQuery &query);
[[nodiscard]] QVariantList fileValues(qint64 episodeId, const EpisodeFileRecord &file);
// Reads "relative_path, size, mtime_ms, device, inode" from column 1 on (device and inode NULL before v5: 0).
[[nodiscard]] FileIdentity identityFrom(const QSqlQuery &query);

// Parts: inserted with kPartInsertColumns; read with part_number, size, etag, crc64 from column `first` on.
inline constexpr char kPartInsertColumns[] = "episode_id, relative_path, upload_id, part_number, size, etag, crc64";
[[nodiscard]] QVariantList partValues(
    qint64 episodeId, const QString &relativePath, const QString &uploadId, const CompletedPart &part);
[[nodiscard]] CompletedPart partFrom(const QSqlQuery &query, int first);

// Attempts (sync_logs).
inline constexpr char kLogColumns[]
    = "id, episode_id, started_at, finished_at, result, bytes_committed, error_code, error_message, retryable";
[[nodiscard]] SyncLogEntry logFrom(const QSqlQuery &query);
// What finishing an attempt writes, in the order of kLogResultAssignments.
inline constexpr char kLogResultAssignments[]
    = "finished_at = ?, result = ?, bytes_committed = ?, error_code = ?, error_message = ?, retryable = ?";
[[nodiscard]] QVariantList logResultValues(const SyncLogEntry &log);

} // namespace CatalogRows

#pragma once

#include "catalogerror.h"
#include "episoderecord.h"

#include <optional>

#include <QHash>
#include <QList>

class CatalogConnection;

// The `episode_files` table: one row per file of an episode, with the resume state of its upload (upload id, part
// size, ETag once complete) and the identity it was registered with. Its parts are PartTable's; rows are inserted
// with their parts by EpisodeFileInserter. Runs single statements; the transactions are the caller's (Catalog).
class EpisodeFileTable
{
public:
    using FilesByEpisode = QHash<qint64, QList<EpisodeFileRecord>>;

    explicit EpisodeFileTable(const CatalogConnection &connection);

    // The files (without parts) of one episode, or of all (nullopt), by episode, each list sorted by relative path.
    [[nodiscard]] CatalogResult<FilesByEpisode> load(std::optional<qint64> episodeId, const QString &what) const;
    // The identity each file of the episode was registered with, by relative path.
    [[nodiscard]] CatalogResult<QHash<QString, FileIdentity>> identities(qint64 episodeId, const QString &what) const;
    // The multipart upload the file uses now (empty: none); NotFound when the episode has no such file.
    [[nodiscard]] CatalogResult<QString> uploadIdOf(
        qint64 episodeId, const QString &relativePath, const QString &what) const;

    // The next three: NotFound when the episode has no such file.
    [[nodiscard]] CatalogResult<void> setUpload(qint64 episodeId, const QString &relativePath, const QString &uploadId,
        qint64 partSize, const QString &what) const;
    [[nodiscard]] CatalogResult<void> setCompleted(qint64 episodeId, const QString &relativePath,
        const QByteArray &etag, bool etagChecked, const QString &what) const;
    // Device and inode for a row that has none yet (recorded before schema v5); a known pair is never replaced.
    [[nodiscard]] CatalogResult<void> learnIdentity(
        qint64 episodeId, const QString &relativePath, const FileIdentity &found, const QString &what) const;

    // Every ETag and upload of the episode's files (a fresh upload from scratch).
    [[nodiscard]] CatalogResult<void> forgetAll(qint64 episodeId, const QString &what) const;
    // Only the uploads of files not complete (after those uploads were aborted).
    [[nodiscard]] CatalogResult<void> forgetIncompleteUploads(qint64 episodeId, const QString &what) const;
    // The row itself; its parts must be dropped first (PartTable::dropOfFile).
    [[nodiscard]] CatalogResult<void> remove(qint64 episodeId, const QString &relativePath, const QString &what) const;

private:
    // UPDATE of one file's row: `assignments` take `values`; NotFound when the episode has no such file.
    [[nodiscard]] CatalogResult<void> updateFile(qint64 episodeId, const QString &relativePath,
        const QString &assignments, QVariantList values, const QString &what) const;

    const CatalogConnection &m_connection;
};

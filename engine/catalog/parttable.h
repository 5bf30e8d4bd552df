#pragma once

#include "catalogerror.h"
#include "episodefiletable.h"

#include <optional>

class CatalogConnection;

// The `file_parts` table: the verified parts of each file's multipart upload. A part is recorded only once the
// server acknowledged it and its ETag was checked, so a crash never loses one (each write commits before the next
// part counts). Runs single statements; the transactions are the caller's (Catalog).
class PartTable
{
public:
    explicit PartTable(const CatalogConnection &connection);

    // Adds to `files` (as EpisodeFileTable::load gave them, for the same episodeId) the parts of the upload each
    // file uses now, by part number. Parts of another upload id are not read.
    [[nodiscard]] CatalogResult<void> attachCurrentParts(
        std::optional<qint64> episodeId, EpisodeFileTable::FilesByEpisode &files, const QString &what) const;
    // Records (or replaces, by part number) a part of the upload `uploadId`.
    [[nodiscard]] CatalogResult<void> store(qint64 episodeId, const QString &relativePath, const QString &uploadId,
        const CompletedPart &part, const QString &what) const;
    // Drops the file's parts of every upload but `uploadId` (every part when it is empty).
    [[nodiscard]] CatalogResult<void> dropOtherUploads(
        qint64 episodeId, const QString &relativePath, const QString &uploadId, const QString &what) const;
    [[nodiscard]] CatalogResult<void> dropOfFile(
        qint64 episodeId, const QString &relativePath, const QString &what) const;
    [[nodiscard]] CatalogResult<void> dropOfEpisode(qint64 episodeId, const QString &what) const;

private:
    const CatalogConnection &m_connection;
};

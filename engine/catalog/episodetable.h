#pragma once

#include "catalogerror.h"
#include "episoderecord.h"

#include <QList>

class CatalogConnection;

// The `episodes` table: one row per episode, its identity, sizes, sync state and priority. Runs single statements;
// the transactions around them are the caller's (Catalog).
class EpisodeTable
{
public:
    explicit EpisodeTable(const CatalogConnection &connection);

    // Inserts the row and returns its new id (episode.id is ignored); a name in use already is Conflict.
    [[nodiscard]] CatalogResult<qint64> insert(const EpisodeRecord &episode, const QString &what) const;
    [[nodiscard]] CatalogResult<QList<EpisodeRecord>> loadAll() const; // by id
    [[nodiscard]] CatalogResult<EpisodeRecord> load(qint64 id) const;
    // NotFound when there is no such row.
    [[nodiscard]] CatalogResult<void> require(qint64 id) const;
    // The state columns (CatalogRows::kStateAssignments); NotFound when there is no such row.
    [[nodiscard]] CatalogResult<void> updateState(const EpisodeRecord &episode) const;
    [[nodiscard]] CatalogResult<void> setPriority(qint64 id, int priority) const;
    [[nodiscard]] CatalogResult<void> setSizes(qint64 id, qint64 totalBytes, int fileCount, const QString &what) const;
    // Files, parts and logs go by ON DELETE CASCADE, in the same statement.
    [[nodiscard]] CatalogResult<void> remove(qint64 id) const;

private:
    [[nodiscard]] CatalogResult<void> requireNameFree(const QString &name, const QString &what) const;

    const CatalogConnection &m_connection;
};

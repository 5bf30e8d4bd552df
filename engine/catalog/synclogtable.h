#pragma once

#include "catalogerror.h"
#include "episoderecord.h"

#include <QDateTime>
#include <QList>

class CatalogConnection;

// The `sync_logs` table: one row per attempt, opened when it starts and closed with its result. Runs single
// statements; the transactions (with the episode's state change) are the caller's (Catalog).
class SyncLogTable
{
public:
    explicit SyncLogTable(const CatalogConnection &connection);

    // Opens a row for an attempt of the episode; returns its id.
    [[nodiscard]] CatalogResult<qint64> start(qint64 episodeId, const QDateTime &startedAt) const;
    // Closes row log.id with the attempt's result; NotFound unless that row belongs to the episode.
    [[nodiscard]] CatalogResult<void> finish(qint64 episodeId, const SyncLogEntry &log) const;
    // Closes every row still open with result "interrupted"; returns how many.
    [[nodiscard]] CatalogResult<int> closeInterrupted(const QDateTime &now) const;
    // Newest first; episodeId 0: every episode's; limit 0 or less: all.
    [[nodiscard]] CatalogResult<QList<SyncLogEntry>> load(qint64 episodeId, int limit) const;

private:
    const CatalogConnection &m_connection;
};

#include "synclogtable.h"

#include "catalogconnection.h"
#include "catalogrows.h"
#include "catalogvalues.h"

SyncLogTable::SyncLogTable(const CatalogConnection &connection)
    : m_connection(connection)
{ }

CatalogResult<qint64> SyncLogTable::start(qint64 episodeId, const QDateTime &startedAt) const
{
    auto inserted = m_connection.run(QStringLiteral("INSERT INTO sync_logs (episode_id, started_at) VALUES (?, ?)"),
        {episodeId, CatalogValues::msOrNull(startedAt)},
        QStringLiteral("cannot log an attempt of episode %1").arg(episodeId));
    if (!inserted)
        return inserted.error();
    return inserted.value().lastInsertId().toLongLong();
}

CatalogResult<void> SyncLogTable::finish(qint64 episodeId, const SyncLogEntry &log) const
{
    QVariantList values = CatalogRows::logResultValues(log);
    values.append({log.id, episodeId});
    // The row must belong to this episode: closing another episode's attempt would be a silent mix-up.
    return m_connection.change(QStringLiteral("UPDATE sync_logs SET %1 WHERE id = ? AND episode_id = ?")
                                   .arg(QLatin1String(CatalogRows::kLogResultAssignments)),
        values, QStringLiteral("cannot close log %1 of episode %2").arg(log.id).arg(episodeId),
        QStringLiteral("episode %1 has no log %2").arg(episodeId).arg(log.id));
}

CatalogResult<int> SyncLogTable::closeInterrupted(const QDateTime &now) const
{
    auto query = m_connection.run(QStringLiteral("UPDATE sync_logs SET finished_at = ?, result = 'interrupted'"
                                                 " WHERE finished_at IS NULL"),
        {CatalogValues::msOrNull(now)}, QStringLiteral("cannot close interrupted logs"));
    if (!query)
        return query.error();
    return query.value().numRowsAffected();
}

CatalogResult<QList<SyncLogEntry>> SyncLogTable::load(qint64 episodeId, int limit) const
{
    const QLatin1String columns(CatalogRows::kLogColumns);
    // Two fixed statements rather than "? = 0 OR ..." so the (episode_id, id) index serves the filtered one.
    const QString sql = episodeId == 0
        ? QStringLiteral("SELECT %1 FROM sync_logs ORDER BY id DESC LIMIT ?").arg(columns)
        : QStringLiteral("SELECT %1 FROM sync_logs WHERE episode_id = ? ORDER BY id DESC LIMIT ?").arg(columns);
    QVariantList values;
    if (episodeId != 0)
        values.append(episodeId);
    values.append(limit > 0 ? limit : -1); // a negative LIMIT is no limit in SQLite
    auto query = m_connection.run(sql, values, QStringLiteral("cannot load the sync logs"));
    if (!query)
        return query.error();
    QList<SyncLogEntry> logs;
    while (query.value().next())
        logs.append(CatalogRows::logFrom(query.value()));
    return logs;
}

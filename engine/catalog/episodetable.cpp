#include "episodetable.h"

#include "catalogconnection.h"
#include "catalogrows.h"

namespace {

QString noEpisode(qint64 id)
{
    return QStringLiteral("there is no episode %1").arg(id);
}

} // namespace

EpisodeTable::EpisodeTable(const CatalogConnection &connection)
    : m_connection(connection)
{ }

CatalogResult<qint64> EpisodeTable::insert(const EpisodeRecord &episode, const QString &what) const
{
    if (auto free = requireNameFree(episode.name, what); !free)
        return free.error();
    auto inserted = m_connection.run(
        QStringLiteral("INSERT INTO episodes (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .arg(QLatin1String(CatalogRows::kEpisodeInsertColumns)),
        CatalogRows::episodeInsertValues(episode), what);
    if (!inserted)
        return inserted.error();
    return inserted.value().lastInsertId().toLongLong();
}

// Checked first (under the caller's write lock) for a clear message; the UNIQUE constraint stays the safety net.
CatalogResult<void> EpisodeTable::requireNameFree(const QString &name, const QString &what) const
{
    auto existing = m_connection.run(QStringLiteral("SELECT 1 FROM episodes WHERE name = ?"), {name}, what);
    if (!existing)
        return existing.error();
    if (existing.value().next())
        return CatalogError{
            CatalogError::Code::Conflict, QStringLiteral("an episode named '%1' exists already").arg(name)};
    return {};
}

CatalogResult<QList<EpisodeRecord>> EpisodeTable::loadAll() const
{
    auto query = m_connection.run(
        QStringLiteral("SELECT %1 FROM episodes ORDER BY id").arg(QLatin1String(CatalogRows::kEpisodeColumns)), {},
        QStringLiteral("cannot load the episodes"));
    if (!query)
        return query.error();
    QList<EpisodeRecord> episodes;
    while (query.value().next()) {
        auto episode = CatalogRows::episodeFrom(query.value());
        if (!episode)
            return episode.error();
        episodes.append(episode.value());
    }
    return episodes;
}

CatalogResult<EpisodeRecord> EpisodeTable::load(qint64 id) const
{
    auto query = m_connection.run(
        QStringLiteral("SELECT %1 FROM episodes WHERE id = ?").arg(QLatin1String(CatalogRows::kEpisodeColumns)), {id},
        QStringLiteral("cannot load episode %1").arg(id));
    if (!query)
        return query.error();
    if (!query.value().next())
        return CatalogError{CatalogError::Code::NotFound, noEpisode(id)};
    return CatalogRows::episodeFrom(query.value());
}

CatalogResult<void> EpisodeTable::require(qint64 id) const
{
    auto query = m_connection.run(QStringLiteral("SELECT 1 FROM episodes WHERE id = ?"), {id},
        QStringLiteral("cannot look up episode %1").arg(id));
    if (!query)
        return query.error();
    if (!query.value().next())
        return CatalogError{CatalogError::Code::NotFound, noEpisode(id)};
    return {};
}

CatalogResult<void> EpisodeTable::updateState(const EpisodeRecord &episode) const
{
    QVariantList values = CatalogRows::stateValues(episode);
    values.append(episode.id);
    return m_connection.change(
        QStringLiteral("UPDATE episodes SET %1 WHERE id = ?").arg(QLatin1String(CatalogRows::kStateAssignments)),
        values, QStringLiteral("cannot update episode %1").arg(episode.id), noEpisode(episode.id));
}

CatalogResult<void> EpisodeTable::setPriority(qint64 id, int priority) const
{
    return m_connection.change(QStringLiteral("UPDATE episodes SET priority = ? WHERE id = ?"), {priority, id},
        QStringLiteral("cannot set the priority of episode %1").arg(id), noEpisode(id));
}

CatalogResult<void> EpisodeTable::setSizes(qint64 id, qint64 totalBytes, int fileCount, const QString &what) const
{
    return m_connection.execute(QStringLiteral("UPDATE episodes SET total_bytes = ?, file_count = ? WHERE id = ?"),
        {totalBytes, fileCount, id}, what);
}

CatalogResult<void> EpisodeTable::remove(qint64 id) const
{
    return m_connection.change(QStringLiteral("DELETE FROM episodes WHERE id = ?"), {id},
        QStringLiteral("cannot delete episode %1").arg(id), noEpisode(id));
}

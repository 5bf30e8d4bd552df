#include "watchedfoldertable.h"

#include "catalogconnection.h"
#include "catalogvalues.h"

WatchedFolderTable::WatchedFolderTable(const CatalogConnection &connection)
    : m_connection(connection)
{ }

CatalogResult<QStringList> WatchedFolderTable::paths() const
{
    auto query = m_connection.run(QStringLiteral("SELECT path FROM watched_folders ORDER BY path"), {},
        QStringLiteral("cannot load the watched folders"));
    if (!query)
        return query.error();
    QStringList paths;
    while (query.value().next())
        paths.append(query.value().value(0).toString());
    return paths;
}

CatalogResult<void> WatchedFolderTable::record(
    const QString &path, qint64 episodeId, const QDateTime &registeredAt) const
{
    return m_connection.execute(
        QStringLiteral("INSERT INTO watched_folders (path, episode_id, registered_at) VALUES (?, ?, ?)"),
        {path, CatalogValues::positiveOrNull(episodeId), CatalogValues::msOrNull(registeredAt)},
        QStringLiteral("cannot record the watched folder %1").arg(path));
}

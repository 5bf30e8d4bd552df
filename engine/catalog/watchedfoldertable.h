#pragma once

#include "catalogerror.h"

#include <QDateTime>
#include <QStringList>

class CatalogConnection;

// The `watched_folders` table: every folder path the folder watch ever registered (or found registered). A row
// outlives its episode (episode_id SET NULL), so a folder the user removed from the catalog is not registered again.
class WatchedFolderTable
{
public:
    explicit WatchedFolderTable(const CatalogConnection &connection);

    [[nodiscard]] CatalogResult<QStringList> paths() const; // sorted
    // A path recorded already is Conflict. episodeId 0: no episode.
    [[nodiscard]] CatalogResult<void> record(
        const QString &path, qint64 episodeId, const QDateTime &registeredAt) const;

private:
    const CatalogConnection &m_connection;
};

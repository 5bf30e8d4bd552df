#pragma once

#include "catalogerror.h"
#include "episoderecord.h"

#include <QSqlQuery>
#include <QString>

class CatalogConnection;

// Inserts file rows with their parts (Catalog::insertEpisode, replaceFiles) through two statements prepared once:
// a registration of 100,000 files is 100,000 executions, not 100,000 parses (and no message text is built unless a
// row fails). Runs inside the caller's transaction.
class EpisodeFileInserter
{
public:
    EpisodeFileInserter(const CatalogConnection &connection, QString what);

    [[nodiscard]] CatalogResult<void> insert(qint64 episodeId, const EpisodeFileRecord &file);

private:
    [[nodiscard]] CatalogResult<void> prepare();
    [[nodiscard]] CatalogResult<void> insertParts(qint64 episodeId, const EpisodeFileRecord &file);

    QSqlQuery m_files;
    QSqlQuery m_parts;
    QString m_what;
    bool m_prepared = false;
};

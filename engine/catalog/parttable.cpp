#include "parttable.h"

#include "catalogconnection.h"
#include "catalogrows.h"
#include "catalogvalues.h"

#include <utility>

PartTable::PartTable(const CatalogConnection &connection)
    : m_connection(connection)
{ }

CatalogResult<void> PartTable::attachCurrentParts(
    std::optional<qint64> episodeId, EpisodeFileTable::FilesByEpisode &files, const QString &what) const
{
    QHash<std::pair<qint64, QString>, qsizetype> indexByPath;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        for (qsizetype i = 0; i < it->size(); ++i)
            indexByPath.insert({it.key(), it->at(i).relativePath}, i);
    }
    const QVariantList values = episodeId ? QVariantList{*episodeId} : QVariantList{};
    const QString filter = episodeId ? QStringLiteral("WHERE p.episode_id = ?") : QString();
    // Only parts of the upload the file uses now count.
    auto query = m_connection.run(QStringLiteral("SELECT p.episode_id, p.relative_path, p.part_number, p.size, p.etag,"
                                                 " p.crc64 FROM file_parts p"
                                                 " JOIN episode_files f ON f.episode_id = p.episode_id"
                                                 "  AND f.relative_path = p.relative_path AND f.upload_id = p.upload_id"
                                                 " %1 ORDER BY p.episode_id, p.relative_path, p.part_number")
                                      .arg(filter),
        values, what);
    if (!query)
        return query.error();
    while (query.value().next()) {
        const qint64 owner = query.value().value(0).toLongLong();
        const auto index = indexByPath.value({owner, query.value().value(1).toString()}, -1);
        if (index < 0)
            continue;
        files[owner][index].parts.append(CatalogRows::partFrom(query.value(), 2));
    }
    return {};
}

CatalogResult<void> PartTable::store(qint64 episodeId, const QString &relativePath, const QString &uploadId,
    const CompletedPart &part, const QString &what) const
{
    return m_connection.execute(QStringLiteral("INSERT OR REPLACE INTO file_parts (%1) VALUES (?, ?, ?, ?, ?, ?, ?)")
                                    .arg(QLatin1String(CatalogRows::kPartInsertColumns)),
        CatalogRows::partValues(episodeId, relativePath, uploadId, part), what);
}

CatalogResult<void> PartTable::dropOtherUploads(
    qint64 episodeId, const QString &relativePath, const QString &uploadId, const QString &what) const
{
    // IS NOT (not <>) so that clearing the upload id (NULL) drops every part.
    return m_connection.execute(QStringLiteral("DELETE FROM file_parts WHERE episode_id = ? AND relative_path = ?"
                                               " AND upload_id IS NOT ?"),
        {episodeId, relativePath, CatalogValues::textOrNull(uploadId)}, what);
}

CatalogResult<void> PartTable::dropOfFile(qint64 episodeId, const QString &relativePath, const QString &what) const
{
    return m_connection.execute(QStringLiteral("DELETE FROM file_parts WHERE episode_id = ? AND relative_path = ?"),
        {episodeId, relativePath}, what);
}

CatalogResult<void> PartTable::dropOfEpisode(qint64 episodeId, const QString &what) const
{
    return m_connection.execute(QStringLiteral("DELETE FROM file_parts WHERE episode_id = ?"), {episodeId}, what);
}

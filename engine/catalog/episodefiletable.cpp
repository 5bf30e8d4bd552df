#include "episodefiletable.h"

#include "catalogconnection.h"
#include "catalogrows.h"
#include "catalogvalues.h"

using namespace CatalogValues;

namespace {

QString noFile(qint64 episodeId, const QString &relativePath)
{
    return QStringLiteral("episode %1 has no file '%2'").arg(episodeId).arg(relativePath);
}

} // namespace

EpisodeFileTable::EpisodeFileTable(const CatalogConnection &connection)
    : m_connection(connection)
{ }

CatalogResult<EpisodeFileTable::FilesByEpisode> EpisodeFileTable::load(
    std::optional<qint64> episodeId, const QString &what) const
{
    const QVariantList values = episodeId ? QVariantList{*episodeId} : QVariantList{};
    const QString filter = episodeId ? QStringLiteral("WHERE episode_id = ?") : QString();
    auto query = m_connection.run(QStringLiteral("SELECT %1 FROM episode_files %2 ORDER BY episode_id, relative_path")
                                      .arg(QLatin1String(CatalogRows::kFileColumns), filter),
        values, what);
    if (!query)
        return query.error();
    FilesByEpisode byEpisode;
    while (query.value().next())
        byEpisode[query.value().value(0).toLongLong()].append(CatalogRows::fileFrom(query.value()));
    return byEpisode;
}

CatalogResult<QHash<QString, FileIdentity>> EpisodeFileTable::identities(qint64 episodeId, const QString &what) const
{
    auto query
        = m_connection.run(QStringLiteral("SELECT relative_path, size, mtime_ms, device, inode FROM episode_files"
                                          " WHERE episode_id = ?"),
            {episodeId}, what);
    if (!query)
        return query.error();
    QHash<QString, FileIdentity> recorded;
    while (query.value().next())
        recorded.insert(query.value().value(0).toString(), CatalogRows::identityFrom(query.value()));
    return recorded;
}

CatalogResult<QString> EpisodeFileTable::uploadIdOf(
    qint64 episodeId, const QString &relativePath, const QString &what) const
{
    auto query = m_connection.run(
        QStringLiteral("SELECT upload_id FROM episode_files WHERE episode_id = ? AND relative_path = ?"),
        {episodeId, relativePath}, what);
    if (!query)
        return query.error();
    if (!query.value().next())
        return CatalogError{CatalogError::Code::NotFound, noFile(episodeId, relativePath)};
    return query.value().value(0).toString();
}

CatalogResult<void> EpisodeFileTable::setUpload(
    qint64 episodeId, const QString &relativePath, const QString &uploadId, qint64 partSize, const QString &what) const
{
    return updateFile(episodeId, relativePath, QStringLiteral("upload_id = ?, part_size = ?"),
        {textOrNull(uploadId), positiveOrNull(partSize)}, what);
}

CatalogResult<void> EpisodeFileTable::setCompleted(
    qint64 episodeId, const QString &relativePath, const QByteArray &etag, bool etagChecked, const QString &what) const
{
    return updateFile(episodeId, relativePath,
        QStringLiteral("etag = ?, etag_checked = ?, upload_id = NULL, part_size = NULL"),
        {etagOrNull(etag), etagCheckedOrNull(etagChecked)}, what);
}

CatalogResult<void> EpisodeFileTable::updateFile(qint64 episodeId, const QString &relativePath,
    const QString &assignments, QVariantList values, const QString &what) const
{
    values.append({episodeId, relativePath});
    return m_connection.change(
        QStringLiteral("UPDATE episode_files SET %1 WHERE episode_id = ? AND relative_path = ?").arg(assignments),
        values, what, noFile(episodeId, relativePath));
}

CatalogResult<void> EpisodeFileTable::learnIdentity(
    qint64 episodeId, const QString &relativePath, const FileIdentity &found, const QString &what) const
{
    return m_connection.execute(QStringLiteral("UPDATE episode_files SET device = ?, inode = ?"
                                               " WHERE episode_id = ? AND relative_path = ? AND inode IS NULL"),
        {qint64(found.device), qint64(found.inode), episodeId, relativePath}, what);
}

CatalogResult<void> EpisodeFileTable::forgetAll(qint64 episodeId, const QString &what) const
{
    return m_connection.execute(QStringLiteral("UPDATE episode_files SET etag = NULL, etag_checked = NULL,"
                                               " upload_id = NULL, part_size = NULL WHERE episode_id = ?"),
        {episodeId}, what);
}

CatalogResult<void> EpisodeFileTable::forgetIncompleteUploads(qint64 episodeId, const QString &what) const
{
    return m_connection.execute(QStringLiteral("UPDATE episode_files SET upload_id = NULL, part_size = NULL"
                                               " WHERE episode_id = ? AND etag IS NULL AND etag_checked IS NULL"),
        {episodeId}, what);
}

CatalogResult<void> EpisodeFileTable::remove(qint64 episodeId, const QString &relativePath, const QString &what) const
{
    return m_connection.execute(QStringLiteral("DELETE FROM episode_files WHERE episode_id = ? AND relative_path = ?"),
        {episodeId, relativePath}, what);
}

#include "catalogrows.h"

#include "catalogvalues.h"

#include <QSqlQuery>

using namespace CatalogValues;

namespace CatalogRows {

CatalogResult<EpisodeRecord> episodeFrom(const QSqlQuery &query)
{
    EpisodeRecord episode;
    episode.id = query.value(0).toLongLong();
    episode.name = query.value(1).toString();
    episode.localPath = query.value(2).toString();
    episode.totalBytes = query.value(3).toLongLong();
    episode.fileCount = query.value(4).toInt();
    episode.createdAt = timeFrom(query.value(5));
    const QString status = query.value(6).toString();
    const std::optional<EpisodeState> state = episodeStateFromName(status);
    if (!state) // the CHECK constraint should make this impossible
        return CatalogError{CatalogError::Code::Corrupt,
            QStringLiteral("episode %1 has an unknown status '%2'").arg(episode.id).arg(status)};
    episode.state = *state;
    episode.attempts = query.value(7).toInt();
    episode.lastErrorCode = query.value(8).toString();
    episode.lastErrorMessage = query.value(9).toString();
    episode.nextRetryAt = timeFrom(query.value(10));
    episode.cloudBucket = query.value(11).toString();
    episode.cloudKeyPrefix = query.value(12).toString();
    episode.manifestEtag = etagFrom(query.value(13));
    episode.syncedAt = timeFrom(query.value(14));
    episode.attemptsMade = query.value(15).toInt();
    episode.priority = query.value(16).toInt();
    episode.etagsUnchecked = query.value(17).toInt();
    episode.paused = query.value(18).toInt() != 0;
    return episode;
}

QVariantList episodeInsertValues(const EpisodeRecord &episode)
{
    QVariantList values{
        episode.name, episode.localPath, episode.totalBytes, episode.fileCount, msOrNull(episode.createdAt)};
    values.append(stateValues(episode));
    values.append(episode.priority);
    return values;
}

QVariantList stateValues(const EpisodeRecord &episode)
{
    return {
        episodeStateName(episode.state),
        episode.attempts,
        textOrNull(episode.lastErrorCode),
        textOrNull(episode.lastErrorMessage),
        msOrNull(episode.nextRetryAt),
        textOrNull(episode.cloudBucket),
        textOrNull(episode.cloudKeyPrefix),
        etagOrNull(episode.manifestEtag),
        msOrNull(episode.syncedAt),
        episode.paused ? 1 : 0,
    };
}

EpisodeFileRecord fileFrom(const QSqlQuery &query)
{
    EpisodeFileRecord file;
    file.relativePath = query.value(1).toString();
    file.size = query.value(2).toLongLong();
    file.mtimeMs = query.value(3).toLongLong();
    file.etag = etagFrom(query.value(4));
    file.uploadId = query.value(5).toString();
    file.partSize = query.value(6).toLongLong();
    file.device = quint64(query.value(7).toLongLong()); // NULL (before v5): 0
    file.inode = quint64(query.value(8).toLongLong());
    file.etagChecked = query.value(9).isNull() || query.value(9).toInt() != 0;
    return file;
}

QVariantList fileValues(qint64 episodeId, const EpisodeFileRecord &file)
{
    return {episodeId, file.relativePath, file.size, file.mtimeMs, etagOrNull(file.etag), textOrNull(file.uploadId),
        positiveOrNull(file.partSize), identityOrNull(file.knowsInode(), file.device),
        identityOrNull(file.knowsInode(), file.inode), etagCheckedOrNull(file.etagChecked)};
}

FileIdentity identityFrom(const QSqlQuery &query)
{
    return {query.value(1).toLongLong(), query.value(2).toLongLong(), quint64(query.value(3).toLongLong()),
        quint64(query.value(4).toLongLong())};
}

QVariantList partValues(
    qint64 episodeId, const QString &relativePath, const QString &uploadId, const CompletedPart &part)
{
    return {episodeId, relativePath, uploadId, part.partNumber, part.size, QString::fromLatin1(part.etag),
        crc64OrNull(part.crc64)};
}

CompletedPart partFrom(const QSqlQuery &query, int first)
{
    CompletedPart part;
    part.partNumber = query.value(first).toInt();
    part.size = query.value(first + 1).toLongLong();
    part.etag = query.value(first + 2).toString().toLatin1();
    part.crc64 = crc64From(query.value(first + 3));
    return part;
}

SyncLogEntry logFrom(const QSqlQuery &query)
{
    SyncLogEntry log;
    log.id = query.value(0).toLongLong();
    log.episodeId = query.value(1).toLongLong();
    log.startedAt = timeFrom(query.value(2));
    log.finishedAt = timeFrom(query.value(3));
    log.result = query.value(4).toString();
    log.bytesCommitted = query.value(5).toLongLong();
    log.errorCode = query.value(6).toString();
    log.errorMessage = query.value(7).toString();
    log.retryable = query.value(8).toInt() != 0;
    return log;
}

QVariantList logResultValues(const SyncLogEntry &log)
{
    return {msOrNull(log.finishedAt), textOrNull(log.result), log.bytesCommitted, textOrNull(log.errorCode),
        textOrNull(log.errorMessage), log.retryable ? 1 : 0};
}

} // namespace CatalogRows

#include "episodemanifest.h"

#include "objectkeys.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

EpisodeManifest EpisodeManifest::of(
    const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files, const QString &episodeKeyPrefix)
{
    EpisodeManifest manifest;
    QJsonArray entries;
    for (const EpisodeFileRecord &file : files) {
        QJsonObject entry{{QStringLiteral("path"), file.relativePath},
            {QStringLiteral("key"), ObjectKeys::objectKey(episodeKeyPrefix, file.relativePath)},
            {QStringLiteral("size"), file.size}};
        // Never an empty ETag: a file the server gave none for has no "etag", and "etag_checked": false says why.
        if (!file.etag.isEmpty())
            entry.insert(QStringLiteral("etag"), QString::fromLatin1(file.etag));
        if (!file.etagChecked) {
            entry.insert(QStringLiteral("etag_checked"), false);
            ++manifest.etagsUnchecked;
        }
        entries.append(entry);
    }
    const QJsonObject document{
        {QStringLiteral("format"), QStringLiteral("keystone-episode-manifest/1")},
        {QStringLiteral("episode_id"), episode.id},
        {QStringLiteral("name"), episode.name},
        {QStringLiteral("created_at"), episode.createdAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("uploaded_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("total_bytes"), episode.totalBytes},
        {QStringLiteral("files"), entries},
    };
    manifest.json = QJsonDocument(document).toJson();
    return manifest;
}

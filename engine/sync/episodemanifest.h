#pragma once

#include "catalog/episoderecord.h"

#include <QByteArray>
#include <QList>
#include <QString>

// The manifest object written last for an episode, as its completion marker: every file with its key, size and ETag.
// A pure function of the catalog's records (and the time it is made), any thread.
struct EpisodeManifest
{
    QByteArray json;
    int etagsUnchecked = 0; // files marked "etag_checked": false (EpisodeRecord::etagsUnchecked)

    [[nodiscard]] static EpisodeManifest of(
        const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files, const QString &episodeKeyPrefix);
};

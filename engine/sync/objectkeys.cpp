#include "objectkeys.h"

QString ObjectKeys::episodePrefix(const QString &configKeyPrefix, const QString &episodeName)
{
    QString prefix = configKeyPrefix;
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    return prefix.isEmpty() ? episodeName : prefix + QLatin1Char('/') + episodeName;
}

QString ObjectKeys::episodePrefix(const EpisodeRecord &episode, const QString &configKeyPrefix)
{
    if (!episode.cloudKeyPrefix.isEmpty())
        return episode.cloudKeyPrefix;
    return episodePrefix(configKeyPrefix, episode.name);
}

QString ObjectKeys::objectKey(const QString &episodePrefix, const QString &relativePath)
{
    return episodePrefix + QLatin1Char('/') + relativePath;
}

QString ObjectKeys::manifestKey(const QString &episodePrefix)
{
    return episodePrefix + QStringLiteral(".manifest.json");
}

#include "catalogwritegate.h"

EpisodeRecord CatalogWriteGate::close(EpisodeRecord episode, const QString &dataDir, const QString &detail, int retryMs)
{
    episode.lastErrorCode = QLatin1String(kErrorCode);
    episode.lastErrorMessage
        = tr("the catalog in %1 cannot be written (%2); uploads are paused and continue once it can be written")
              .arg(dataDir, detail);
    m_retryAt = QDateTime::currentDateTimeUtc().addMSecs(retryMs);
    return episode;
}

void CatalogWriteGate::clearError(EpisodeRecord &episode)
{
    if (episode.lastErrorCode != QLatin1String(kErrorCode))
        return;
    episode.lastErrorCode.clear();
    episode.lastErrorMessage.clear();
}

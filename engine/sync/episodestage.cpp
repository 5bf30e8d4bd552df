#include "episodestage.h"

QString episodeStageName(EpisodeStage stage)
{
    switch (stage) {
    case EpisodeStage::None:
        break;
    case EpisodeStage::Scanning:
        return QStringLiteral("scanning");
    case EpisodeStage::Queued:
        return QStringLiteral("queued");
    case EpisodeStage::Starting:
        return QStringLiteral("starting");
    case EpisodeStage::Resuming:
        return QStringLiteral("resuming");
    case EpisodeStage::Uploading:
        return QStringLiteral("uploading");
    case EpisodeStage::Completing:
        return QStringLiteral("completing");
    case EpisodeStage::WritingManifest:
        return QStringLiteral("writing_manifest");
    case EpisodeStage::WaitingRetry:
        return QStringLiteral("waiting_retry");
    case EpisodeStage::WaitingStorage:
        return QStringLiteral("waiting_storage");
    case EpisodeStage::Paused:
        return QStringLiteral("paused");
    }
    return {};
}

std::optional<EpisodeStage> episodeStageFromName(const QString &name)
{
    for (int i = int(EpisodeStage::Scanning); i <= int(EpisodeStage::Paused); ++i) {
        if (name == episodeStageName(EpisodeStage(i)))
            return EpisodeStage(i);
    }
    return std::nullopt;
}

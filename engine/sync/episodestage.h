#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

// What an episode is doing right now, finer than its state: the one field that says why a bar does not move.
// Sent by the API as text, so the names are part of the contract. Terminal episodes have no stage (None).
//
//   scanning:    scanning (its files are being listed)
//   pending:     queued | waiting_retry (next_retry_at) | waiting_storage (outage, credentials) | paused
//   in_progress: starting ─► resuming ─► uploading ─► completing ─► writing_manifest
//                    └───────────────────────┘  (a new upload skips resuming)
enum class EpisodeStage {
    None,
    Scanning,
    Queued,
    Starting,
    Resuming,
    Uploading,
    Completing,
    WritingManifest,
    WaitingRetry,
    WaitingStorage,
    Paused,
};

QString episodeStageName(EpisodeStage stage); // "queued", "starting", …; empty for None
std::optional<EpisodeStage> episodeStageFromName(const QString &name); // never None

Q_DECLARE_METATYPE(EpisodeStage)

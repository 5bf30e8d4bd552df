#pragma once

#include "catalog/episoderecord.h"
#include "episodestage.h"
#include "storage/transferprogress.h"

#include <QMetaType>

#include <optional>

// What the views show of one episode: its catalog row, what is verified of it and, while an attempt runs, live
// progress. A value type, cheap to copy, safe to hand across threads.
//
// progress is present whenever anything of the episode is verified or an attempt runs. Its verified amounts
// (committed bytes, parts, files) come from the catalog at rest and from the job while it runs; its runtime
// figures (in flight, speed, ETA, parallel) are zero unless an attempt runs.
struct EpisodeStatus
{
    EpisodeRecord record;
    std::optional<TransferProgress> progress;
    EpisodeStage stage = EpisodeStage::None;
    // The store's revision of this snapshot: it moves whenever anything above changes (see
    // EpisodeStatusStore::revisions), so what a view derived from it stays valid while the revision stays.
    quint64 revision = 0;
};

Q_DECLARE_METATYPE(EpisodeStatus)

#pragma once

#include "catalog/episoderecord.h"
#include "storage/transferprogress.h"

#include <QMetaType>

#include <optional>

// What the views show of one episode: its catalog row plus, only while it is in progress, live progress.
// A value type, cheap to copy, safe to hand across threads.
struct EpisodeStatus
{
    EpisodeRecord record;
    std::optional<TransferProgress> progress;
};

Q_DECLARE_METATYPE(EpisodeStatus)

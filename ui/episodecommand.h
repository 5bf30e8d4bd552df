#pragma once

#include "catalog/episoderecord.h"

#include <QString>

// The commands the console offers on selected episodes, and for which episodes each can succeed: the engine's
// state machine's guards (EpisodeStateMachine::can*), narrowed where the console offers less than the engine accepts
// (Pause of a paused episode, Resume of one not paused), so an action is enabled only where it works
// and a multi-selection acts on the episodes it applies to and reports the others as skipped, instead of sending
// commands that are bound to fail.
enum class EpisodeCommand { Sync, Pause, Resume, Retry, Rescan, MoveToTop, Cancel, Remove };

namespace EpisodeCommands {

[[nodiscard]] bool applies(EpisodeCommand command, const EpisodeRecord &record);

} // namespace EpisodeCommands

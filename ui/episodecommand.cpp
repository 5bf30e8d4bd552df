#include "episodecommand.h"

namespace EpisodeCommands {

bool applies(EpisodeCommand command, const EpisodeRecord &record)
{
    const EpisodeState state = record.state;
    const bool waiting = state == EpisodeState::Pending;
    const bool stopped = state == EpisodeState::Failed || state == EpisodeState::Cancelled;
    switch (command) {
    case EpisodeCommand::Sync:
        return waiting || stopped;
    case EpisodeCommand::Pause: // a paused one (or one pausing: still in progress) stays paused: nothing to do
        return !record.paused && (waiting || state == EpisodeState::InProgress);
    case EpisodeCommand::Resume:
        return record.paused && (waiting || state == EpisodeState::InProgress);
    case EpisodeCommand::Retry:
        return stopped;
    case EpisodeCommand::Rescan:
        return waiting || stopped;
    case EpisodeCommand::MoveToTop:
        return waiting;
    case EpisodeCommand::Cancel: // cancelling a scan withdraws the registration (a rescan: the old files stay)
        return waiting || state == EpisodeState::InProgress || state == EpisodeState::Scanning;
    case EpisodeCommand::Remove:
        return state != EpisodeState::InProgress && state != EpisodeState::Scanning;
    }
    return false;
}

} // namespace EpisodeCommands

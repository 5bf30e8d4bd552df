#include "episodecommand.h"

#include "sync/episodestatemachine.h"

namespace EpisodeCommands {

bool applies(EpisodeCommand command, const EpisodeRecord &record)
{
    using Machine = EpisodeStateMachine;
    switch (command) {
    case EpisodeCommand::Sync:
        return Machine::canEnqueue(record);
    case EpisodeCommand::Pause: // a paused one (or one pausing: still in progress) stays paused: nothing to do
        return !record.paused && Machine::canPauseOrResume(record);
    case EpisodeCommand::Resume:
        return record.paused && Machine::canPauseOrResume(record);
    case EpisodeCommand::Retry:
        return Machine::canRetry(record);
    case EpisodeCommand::Rescan:
        return Machine::canRescan(record);
    case EpisodeCommand::MoveToTop: // a priority only orders the pending queue
        return record.state == EpisodeState::Pending;
    case EpisodeCommand::Cancel: // the scheduler also cancels a scan: it withdraws the registration (or a rescan)
        return Machine::canCancel(record) || record.state == EpisodeState::Scanning;
    case EpisodeCommand::Remove:
        return Machine::isRemovable(record);
    }
    return false;
}

} // namespace EpisodeCommands

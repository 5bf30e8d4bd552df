#include "episodestate.h"

#include <array>
#include <utility>

namespace {

constexpr std::array<std::pair<EpisodeState, const char *>, 6> kNames{{
    {EpisodeState::Scanning, "scanning"},
    {EpisodeState::Pending, "pending"},
    {EpisodeState::InProgress, "in_progress"},
    {EpisodeState::Completed, "completed"},
    {EpisodeState::Failed, "failed"},
    {EpisodeState::Cancelled, "cancelled"},
}};

} // namespace

QString episodeStateName(EpisodeState state)
{
    for (const auto &[value, name] : kNames) {
        if (value == state)
            return QLatin1String(name);
    }
    return {};
}

std::optional<EpisodeState> episodeStateFromName(const QString &name)
{
    for (const auto &[value, text] : kNames) {
        if (name == QLatin1String(text))
            return value;
    }
    return std::nullopt;
}

bool isTerminal(EpisodeState state)
{
    return state == EpisodeState::Completed || state == EpisodeState::Failed || state == EpisodeState::Cancelled;
}

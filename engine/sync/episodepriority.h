#pragma once

// The range of an episode's priority (EpisodeRecord::priority): higher starts first among pending episodes, 0 is
// the default. Bounded so that a person can read it and "move to top" (max + 1) stays far from overflow; the API,
// the CLI and the console refuse or clamp to it.
namespace EpisodePriority {

constexpr int kMin = -1000;
constexpr int kMax = 1000;

constexpr bool isValid(int priority)
{
    return priority >= kMin && priority <= kMax;
}

} // namespace EpisodePriority

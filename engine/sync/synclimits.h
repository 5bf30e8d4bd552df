#pragma once

// The ranges of the limits a person sets (command line, config file, Settings): in one place, so that the options,
// the dialog and the saved settings agree.
namespace SyncLimits {

constexpr int kMinEpisodes = 1; // episodes uploading at once (--max-episodes, Settings)
constexpr int kMaxEpisodes = 64;
constexpr int kMinRequestsPerEpisode = 1; // requests in flight per episode (--concurrency, Settings)
constexpr int kMaxRequestsPerEpisode = 64;

} // namespace SyncLimits

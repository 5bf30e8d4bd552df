#pragma once

#include <QLatin1String>

// The names of the local API's JSON members (docs/api.md, Objects), written by the API (ApiJson and the
// controllers) and read by its clients in this repository (the script CLI's formatter and watcher). One spelling for
// both sides: a renamed member is a compile error in the client, not a column that silently reads empty.
namespace ApiKey {

// An episode's status object (GET /sync/episodes/{id}/status, the batched statuses, GET /episodes/{id}).
inline constexpr QLatin1String kEpisodeId{"episode_id"};
inline constexpr QLatin1String kStatus{"status"};
inline constexpr QLatin1String kStage{"stage"};
inline constexpr QLatin1String kAttempts{"attempts"};
inline constexpr QLatin1String kPriority{"priority"};
inline constexpr QLatin1String kPaused{"paused"};
inline constexpr QLatin1String kLastError{"last_error"};
inline constexpr QLatin1String kNextRetryAt{"next_retry_at"};
inline constexpr QLatin1String kCloud{"cloud"};
inline constexpr QLatin1String kProgress{"progress"};
inline constexpr QLatin1String kScan{"scan"};
inline constexpr QLatin1String kFilesFound{"files_found"};
inline constexpr QLatin1String kBytesFound{"bytes_found"};
// …and what an episode object adds (and POST /episodes takes: path, name).
inline constexpr QLatin1String kPath{"path"};
inline constexpr QLatin1String kName{"name"};
inline constexpr QLatin1String kLocalPath{"local_path"};
inline constexpr QLatin1String kTotalBytes{"total_bytes"};
inline constexpr QLatin1String kFileCount{"file_count"};
inline constexpr QLatin1String kCreatedAt{"created_at"};

// The progress object.
inline constexpr QLatin1String kCommittedBytes{"committed_bytes"};
inline constexpr QLatin1String kInflightBytes{"inflight_bytes"};
inline constexpr QLatin1String kPercent{"percent"};
inline constexpr QLatin1String kPartsCompleted{"parts_completed"};
inline constexpr QLatin1String kPartsTotal{"parts_total"};
inline constexpr QLatin1String kFilesCompleted{"files_completed"};
inline constexpr QLatin1String kFilesTotal{"files_total"};
inline constexpr QLatin1String kBytesPerSecond{"bytes_per_second"};
inline constexpr QLatin1String kEtaSeconds{"eta_seconds"};
inline constexpr QLatin1String kParallel{"parallel"};

// An error object (an episode's last_error, a journal entry's error, an error answer's "error").
inline constexpr QLatin1String kError{"error"};
inline constexpr QLatin1String kCode{"code"};
inline constexpr QLatin1String kMessage{"message"};
inline constexpr QLatin1String kHint{"hint"};

// Lists: GET /episodes and the batched statuses.
inline constexpr QLatin1String kItems{"items"};
inline constexpr QLatin1String kMissing{"missing"};
inline constexpr QLatin1String kNextCursor{"next_cursor"};

// The throttle object (GET/PUT /sync/throttle, and in the batched statuses) and its request body.
inline constexpr QLatin1String kThrottle{"throttle"};
inline constexpr QLatin1String kMode{"mode"};
inline constexpr QLatin1String kReason{"reason"};
inline constexpr QLatin1String kSince{"since"};
inline constexpr QLatin1String kUntil{"until"};
inline constexpr QLatin1String kLimit{"limit"};
inline constexpr QLatin1String kFor{"for"};
inline constexpr QLatin1String kLimitBytesPerSecond{"limit_bytes_per_second"};
inline constexpr QLatin1String kHolding{"holding"};
inline constexpr QLatin1String kPartsPerEpisode{"parts_per_episode"};
inline constexpr QLatin1String kScheduleSlot{"schedule_slot"};
inline constexpr QLatin1String kText{"text"};

} // namespace ApiKey

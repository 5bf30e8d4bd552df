#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

// The life of an episode (see EpisodeStateMachine for the transitions). Stored as text in the catalog and sent
// as text by the API, so the names are part of the contract.
// Scanning: registered, its files still being listed (on a worker); it has no file list yet, or (a rescan) its old
// one still holds.
enum class EpisodeState { Scanning, Pending, InProgress, Completed, Failed, Cancelled };
constexpr int kEpisodeStateCount = 6; // for arrays indexed by int(EpisodeState)
static_assert(int(EpisodeState::Cancelled) + 1 == kEpisodeStateCount);

// "scanning", "pending", "in_progress", "completed", "failed", "cancelled"
QString episodeStateName(EpisodeState state);
std::optional<EpisodeState> episodeStateFromName(const QString &name);
bool isTerminal(EpisodeState state); // completed, failed, cancelled

Q_DECLARE_METATYPE(EpisodeState)

#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

// The life of an episode (see EpisodeStateMachine for the transitions). Stored as text in the catalog and sent
// as text by the API, so the names are part of the contract.
enum class EpisodeState { Pending, InProgress, Completed, Failed, Cancelled };

QString episodeStateName(EpisodeState state); // "pending", "in_progress", "completed", "failed", "cancelled"
std::optional<EpisodeState> episodeStateFromName(const QString &name);
bool isTerminal(EpisodeState state); // completed, failed, cancelled

Q_DECLARE_METATYPE(EpisodeState)

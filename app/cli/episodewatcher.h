#pragma once

#include "apifailure.h"
#include "core/expected.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

class LocalApiClient;
class ProgressBarPrinter;

// The loop of `watch`: polls the batched status route about twice a second and hands the rows to the printer
// until every watched episode is terminal (completed, failed, cancelled) or gone from the catalog ("removed").
// Polling rather than the SSE stream: one request per turn for any number of episodes, nothing to resynchronise
// after a server restart, and the same route `status` uses.
class EpisodeWatcher
{
public:
    static constexpr int kPollIntervalMs = 500;

    EpisodeWatcher(LocalApiClient &client, ProgressBarPrinter &printer);

    // episodes: episode objects (id, name, total_bytes, status). Returns how many ended in each final state.
    Expected<QMap<QString, int>, ApiFailure> watch(const QList<QJsonObject> &episodes);

private:
    // One poll: refreshes m_rows; the failure when the API could not be asked.
    [[nodiscard]] Expected<void, ApiFailure> poll();
    bool allTerminal() const;
    static void waitMs(int ms);

    LocalApiClient &m_client;
    ProgressBarPrinter &m_printer;
    QList<QJsonObject> m_rows; // in display order; each the episode merged with its latest status
};

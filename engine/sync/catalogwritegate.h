#pragma once

#include "catalog/episoderecord.h"

#include <QCoreApplication>
#include <QDateTime>

// When the catalog cannot be written (disk full, read-only data directory), uploads pause: the running job stops at
// the first part it cannot record, its episode goes back to pending showing the error "catalog_unwritable" (in the
// store only: the catalog cannot take it), and no episode starts for SyncConfig::catalogRetryMs. Then starting an
// attempt is the next write that tells: one that succeeds opens the gate again.
//
//   open ──a write failed──► closed (retry at t) ──t passed, an attempt's first write──► open
//                               ▲                                     │ failed again
//                               └─────────────────────────────────────┘
class CatalogWriteGate
{
    Q_DECLARE_TR_FUNCTIONS(CatalogWriteGate)

public:
    static constexpr const char *kErrorCode = "catalog_unwritable"; // the episode's error while uploads wait

    [[nodiscard]] bool holdsStarts(const QDateTime &now) const { return m_retryAt.isValid() && now < m_retryAt; }
    // Closes the gate for retryMs and returns the episode as the store shows it meanwhile: with the catalog's error.
    [[nodiscard]] EpisodeRecord close(
        EpisodeRecord episode, const QString &dataDir, const QString &detail, int retryMs);
    void open() { m_retryAt = {}; } // the catalog took a write
    // The error an episode showed while it waited was about the catalog, not the episode: it starts without it.
    static void clearError(EpisodeRecord &episode);

private:
    QDateTime m_retryAt; // valid while uploads are paused because the catalog could not be written
};

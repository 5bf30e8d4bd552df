#pragma once

#include "sync/episodestatus.h"

#include <QCoreApplication>
#include <QString>

// The texts the episode table shows for one snapshot of an episode (EpisodeStatus): each formatted cell's display
// text, and the tooltips of the cells that have one.
//
// A table row (EpisodeTableModel::Row) makes its display texts when a cell of it is first shown and keeps them until
// its next snapshot. Tooltips are made when asked for: one cell's at a time, under the mouse, so nothing keeps them.
struct EpisodeCellTexts
{
    Q_DECLARE_TR_FUNCTIONS(EpisodeCellTexts)

public:
    explicit EpisodeCellTexts(const EpisodeStatus &snapshot);

    // "pending · waiting_retry in 25 s": the state and stage, with the countdown to a retry while one is due.
    [[nodiscard]] static QString statusText(const EpisodeStatus &status);
    // A speed rounded as its cell shows it (three significant digits, ProgressText::speed): a key that changes
    // exactly when the text does.
    [[nodiscard]] static double shownSpeed(double bytesPerSecond);
    // The tooltip of an episode with an error (status, progress and last error cells): code, message, what to do.
    [[nodiscard]] static QString errorToolTip(const EpisodeRecord &record);
    // The tooltip of the progress cell while there is progress: parts and files done, the bar's two shades named.
    [[nodiscard]] static QString progressToolTip(const TransferProgress &progress);

    QString progress; // ProgressText::summary
    QString size;
    QString status; // statusText(): the model refreshes it once a second while a retry is due
    QString speed; // only while uploading
    QString eta; // only while uploading; "…" while unknown
    QString lastError;
    QString syncedAt;
};

#pragma once

#include "episodestatus.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

// The one way every view (table, tray, CLI, journal) and the API's percent say how far an episode has come, so an
// operator never reads 100 in one place and 99 in another:
// - percent: of committed (verified) bytes, rounded down; 100 only when the episode is completed;
// - sizes: three significant digits in binary units ("0 B", "512 B", "1.00 KiB", "12.3 MiB", "2.10 GiB");
// - counts: real plurals ("1 file", "3 files");
// - state and stage: the API's names (in_progress, waiting_retry, …), the one vocabulary of the product.
class ProgressText
{
    Q_DECLARE_TR_FUNCTIONS(ProgressText)

public:
    enum class Noun { Episode, File, Part, Attempt, ObjectUrl };

    static int percent(qint64 committedBytes, qint64 totalBytes, bool completed);
    static int percent(const EpisodeStatus &status);
    static QString size(qint64 bytes);
    static QString amount(qint64 doneBytes, qint64 totalBytes); // "1.02 GiB of 2.10 GiB"
    static QString speed(double bytesPerSecond); // "34.0 MiB/s"
    static QString duration(qint64 seconds); // "45 s", "1 min 03 s", "2 h 05 min"
    static QString count(qint64 n, Noun noun);
    static QString stateName(EpisodeState state); // the API's name
    static QString stageName(EpisodeStage stage); // the API's name; empty for none
    // "in_progress · uploading", "pending · waiting_retry", "completed"
    static QString stateAndStage(const EpisodeStatus &status);
    static QString stateAndStage(const QString &state, const QString &stage); // the API's names, as in its JSON
    // "42 % · 1.02 GiB of 2.10 GiB" (or "—" when nothing is known)
    static QString summary(const EpisodeStatus &status);
    // "in 25 s" until time, "now" when due or past
    static QString countdown(const QDateTime &time, const QDateTime &now);
    static QString timestamp(const QDateTime &time); // ISO 8601 UTC, seconds
};

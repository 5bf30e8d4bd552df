#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// Human text for episode statuses of the local API (status objects, optionally with the episode's name and
// total_bytes): the table of `status`/`list` and the progress line of `watch`. Percent, sizes and durations are
// ProgressText's (the one rule of the table, tray and journal too): committed bytes only; "-" where the API does not
// know a value. The error column carries the code, the message and the hint of what to do.
class StatusFormatter
{
    Q_DECLARE_TR_FUNCTIONS(StatusFormatter)

public:
    // A header line, then one aligned line per row: ID NAME STATE PROGRESS COMMITTED/TOTAL SPEED ETA ERROR.
    static QStringList table(const QList<QJsonObject> &rows);
    // One watch line: id, name padded to nameWidth, a bar (committed '#', in flight '=') of barWidth characters
    // (none when 0), percent, amounts, speed, ETA and state (with the error, if any).
    static QString progressLine(const QJsonObject &row, int nameWidth, int barWidth);

    static bool isTerminal(const QString &status); // completed, failed, cancelled
    // The upload throttle (GET /sync/throttle) on one line: "recording (asked) · limit 5.0 MiB/s · 1 part per
    // episode · until 2026-12-04T15:30:00Z" or "normal · no limit · schedule slot 08:00,10M".
    static QString throttleLine(const QJsonObject &throttle);

private:
    static QStringList columns(const QJsonObject &row);
    static QString state(const QJsonObject &row); // "pending · waiting_retry in 25 s"
    static QString percent(const QJsonObject &row);
    static QString amount(const QJsonObject &row);
    static QString speed(const QJsonObject &row);
    static QString eta(const QJsonObject &row);
    static QString error(const QJsonObject &row);
    static QString bar(const QJsonObject &row, int width);
};

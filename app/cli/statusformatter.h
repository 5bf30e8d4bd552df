#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// Human text for episode statuses of the local API (status objects, optionally with the episode's name and
// total_bytes): the table of `status`/`list` and the progress line of `watch`. Percent and amounts follow the
// API's progress semantics: committed bytes only; "-" where the API does not know a value.
class StatusFormatter
{
public:
    // A header line, then one aligned line per row: ID NAME STATE PROGRESS COMMITTED/TOTAL SPEED ETA ERROR.
    static QStringList table(const QList<QJsonObject> &rows);
    // One watch line: id, name padded to nameWidth, a bar (committed '#', in flight '=') of barWidth characters
    // (none when 0), percent, amounts, speed, ETA and state (with the error, if any).
    static QString progressLine(const QJsonObject &row, int nameWidth, int barWidth);

    static bool isTerminal(const QString &status); // completed, failed, cancelled
    static QString bytes(qint64 count); // 1023 B, 1.5 KiB, 20.0 MiB, ...
    static QString duration(qint64 seconds); // 42s, 5m03s, 2h07m

private:
    static QStringList columns(const QJsonObject &row);
    static QString percent(const QJsonObject &row);
    static QString amount(const QJsonObject &row);
    static QString speed(const QJsonObject &row);
    static QString eta(const QJsonObject &row);
    static QString error(const QJsonObject &row);
    static QString bar(const QJsonObject &row, int width);
};

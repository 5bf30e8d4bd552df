#include "statusformatter.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StatusFormatter", text);
}

const QString kUnknown = QStringLiteral("-");

QJsonObject progressOf(const QJsonObject &row)
{
    return row.value(QStringLiteral("progress")).toObject();
}

bool isCompleted(const QJsonObject &row)
{
    return row.value(QStringLiteral("status")).toString() == QLatin1String("completed");
}

// The total from the progress while uploading, else from the episode (absent from bare status objects).
qint64 totalBytes(const QJsonObject &row)
{
    const QJsonObject progress = progressOf(row);
    if (progress.contains(QStringLiteral("total_bytes")))
        return progress.value(QStringLiteral("total_bytes")).toInteger(-1);
    return row.value(QStringLiteral("total_bytes")).toInteger(-1);
}

// 0..1 of committed bytes; -1 when unknown (not uploading and not completed).
double committedFraction(const QJsonObject &row)
{
    if (isCompleted(row))
        return 1.0;
    const QJsonObject progress = progressOf(row);
    if (!progress.contains(QStringLiteral("percent")))
        return -1.0;
    return std::clamp(progress.value(QStringLiteral("percent")).toDouble() / 100.0, 0.0, 1.0);
}

} // namespace

QStringList StatusFormatter::table(const QList<QJsonObject> &rows)
{
    QList<QStringList> cells{{tr("ID"), tr("NAME"), tr("STATE"), tr("PROGRESS"), tr("COMMITTED/TOTAL"), tr("SPEED"),
        tr("ETA"), tr("ERROR")}};
    for (const QJsonObject &row : rows)
        cells.append(columns(row));
    QList<qsizetype> widths(cells.first().size(), 0);
    for (const QStringList &line : cells) {
        for (qsizetype i = 0; i < line.size(); ++i)
            widths[i] = std::max(widths[i], line.at(i).size());
    }
    QStringList lines;
    for (const QStringList &line : cells) {
        QString text;
        for (qsizetype i = 0; i < line.size(); ++i)
            text += i + 1 < line.size() ? line.at(i).leftJustified(widths[i] + 2) : line.at(i);
        lines.append(text.trimmed());
    }
    return lines;
}

QString StatusFormatter::progressLine(const QJsonObject &row, int nameWidth, int barWidth)
{
    QString state = row.value(QStringLiteral("status")).toString();
    if (!error(row).isEmpty())
        state += QStringLiteral(": ") + error(row);
    QStringList parts{QString::number(row.value(QStringLiteral("episode_id")).toInteger()).rightJustified(4),
        row.value(QStringLiteral("name")).toString().leftJustified(nameWidth)};
    if (barWidth > 0)
        parts.append(bar(row, barWidth));
    parts << percent(row).rightJustified(7) << amount(row) << speed(row) << tr("ETA %1").arg(eta(row)) << state;
    return parts.join(QLatin1Char(' '));
}

bool StatusFormatter::isTerminal(const QString &status)
{
    return status == QLatin1String("completed") || status == QLatin1String("failed")
        || status == QLatin1String("cancelled");
}

QString StatusFormatter::bytes(qint64 count)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (count < 1024)
        return QStringLiteral("%1 B").arg(count);
    double value = double(count);
    int unit = -1;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

QString StatusFormatter::duration(qint64 seconds)
{
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1m%2s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h%2m").arg(seconds / 3600).arg(seconds % 3600 / 60, 2, 10, QLatin1Char('0'));
}

QStringList StatusFormatter::columns(const QJsonObject &row)
{
    const QString name = row.value(QStringLiteral("name")).toString();
    return {QString::number(row.value(QStringLiteral("episode_id")).toInteger()), name.isEmpty() ? kUnknown : name,
        row.value(QStringLiteral("status")).toString(), percent(row), amount(row), speed(row), eta(row), error(row)};
}

QString StatusFormatter::percent(const QJsonObject &row)
{
    const double fraction = committedFraction(row);
    return fraction < 0 ? kUnknown : QStringLiteral("%1 %").arg(fraction * 100.0, 0, 'f', 1);
}

QString StatusFormatter::amount(const QJsonObject &row)
{
    const qint64 total = totalBytes(row);
    const QString totalText = total < 0 ? kUnknown : bytes(total);
    const QJsonObject progress = progressOf(row);
    if (progress.contains(QStringLiteral("committed_bytes")))
        return bytes(progress.value(QStringLiteral("committed_bytes")).toInteger()) + QLatin1Char('/') + totalText;
    return (isCompleted(row) ? totalText : kUnknown) + QLatin1Char('/') + totalText;
}

QString StatusFormatter::speed(const QJsonObject &row)
{
    const QJsonValue value = progressOf(row).value(QStringLiteral("bytes_per_second"));
    return value.isDouble() ? bytes(value.toInteger()) + QStringLiteral("/s") : kUnknown;
}

QString StatusFormatter::eta(const QJsonObject &row)
{
    const QJsonValue value = progressOf(row).value(QStringLiteral("eta_seconds"));
    return value.isDouble() ? duration(value.toInteger()) : kUnknown;
}

QString StatusFormatter::error(const QJsonObject &row)
{
    return row.value(QStringLiteral("last_error")).toObject().value(QStringLiteral("message")).toString();
}

QString StatusFormatter::bar(const QJsonObject &row, int width)
{
    const double committed = std::max(committedFraction(row), 0.0);
    const qint64 total = totalBytes(row);
    const double inflight
        = total > 0 ? double(progressOf(row).value(QStringLiteral("inflight_bytes")).toInteger()) / double(total) : 0.0;
    const int solid = int(std::floor(committed * width));
    const int light = std::clamp(int(std::floor((committed + inflight) * width)) - solid, 0, width - solid);
    return QLatin1Char('[') + QString(solid, QLatin1Char('#')) + QString(light, QLatin1Char('='))
        + QString(width - solid - light, QLatin1Char('.')) + QLatin1Char(']');
}

#include "statusformatter.h"

#include "sync/progresstext.h"

#include <QCoreApplication>
#include <QDateTime>

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

qint64 committedBytes(const QJsonObject &row)
{
    if (isCompleted(row))
        return totalBytes(row);
    return progressOf(row).value(QStringLiteral("committed_bytes")).toInteger(0); // no progress: nothing verified
}

bool isRunning(const QJsonObject &row)
{
    return row.value(QStringLiteral("status")).toString() == QLatin1String("in_progress");
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
    QString state = StatusFormatter::state(row);
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

QStringList StatusFormatter::columns(const QJsonObject &row)
{
    const QString name = row.value(QStringLiteral("name")).toString();
    return {QString::number(row.value(QStringLiteral("episode_id")).toInteger()), name.isEmpty() ? kUnknown : name,
        state(row), percent(row), amount(row), speed(row), eta(row), error(row)};
}

QString StatusFormatter::state(const QJsonObject &row)
{
    // While scanning, the count found so far says more than the stage (which says "scanning" again).
    const QJsonValue scan = row.value(QStringLiteral("scan"));
    const QString stage = scan.isObject()
        ? ProgressText::count(
            scan.toObject().value(QStringLiteral("files_found")).toInteger(), ProgressText::Noun::File)
        : row.value(QStringLiteral("stage")).toString();
    const QString status = row.value(QStringLiteral("status")).toString();
    // Paused by an operator: "pending · paused until resumed", or "pausing" while its upload stops. Its retry
    // time, if any, does not apply while paused.
    const bool paused = row.value(QStringLiteral("paused")).toBool();
    if (paused)
        return status == QLatin1String("in_progress") ? ProgressText::stateAndStage(status, tr("pausing"))
                                                      : ProgressText::stateAndStage(status, tr("paused until resumed"));
    QString text = ProgressText::stateAndStage(status, stage);
    const QString retryAt = row.value(QStringLiteral("next_retry_at")).toString();
    if (!retryAt.isEmpty()) {
        const QDateTime at = QDateTime::fromString(retryAt, Qt::ISODateWithMs);
        text += QLatin1Char(' ') + ProgressText::countdown(at, QDateTime::currentDateTimeUtc());
    }
    return text;
}

QString StatusFormatter::percent(const QJsonObject &row)
{
    const qint64 total = totalBytes(row);
    if (total < 0)
        return kUnknown;
    return tr("%1 %").arg(ProgressText::percent(committedBytes(row), total, isCompleted(row)));
}

QString StatusFormatter::amount(const QJsonObject &row)
{
    const qint64 total = totalBytes(row);
    return total < 0 ? kUnknown : ProgressText::amount(committedBytes(row), total);
}

QString StatusFormatter::speed(const QJsonObject &row)
{
    const QJsonValue value = progressOf(row).value(QStringLiteral("bytes_per_second"));
    return isRunning(row) && value.isDouble() ? ProgressText::speed(value.toDouble()) : kUnknown;
}

QString StatusFormatter::eta(const QJsonObject &row)
{
    const QJsonValue value = progressOf(row).value(QStringLiteral("eta_seconds"));
    return value.isDouble() ? ProgressText::duration(value.toInteger()) : kUnknown;
}

QString StatusFormatter::error(const QJsonObject &row)
{
    const QJsonObject error = row.value(QStringLiteral("last_error")).toObject();
    if (error.isEmpty())
        return {};
    const QString code = error.value(QStringLiteral("code")).toString();
    const QString message = error.value(QStringLiteral("message")).toString();
    const QString hint = error.value(QStringLiteral("hint")).toString();
    QString text = message.isEmpty() ? code : tr("%1: %2").arg(code, message);
    return hint.isEmpty() ? text : tr("%1 (%2)").arg(text, hint);
}

QString StatusFormatter::bar(const QJsonObject &row, int width)
{
    const qint64 total = totalBytes(row);
    const double committed = total > 0 ? double(committedBytes(row)) / double(total) : isCompleted(row) ? 1.0 : 0.0;
    const double inflight
        = total > 0 ? double(progressOf(row).value(QStringLiteral("inflight_bytes")).toInteger()) / double(total) : 0.0;
    const int solid = int(std::floor(committed * width));
    const int light = std::clamp(int(std::floor((committed + inflight) * width)) - solid, 0, width - solid);
    return QLatin1Char('[') + QString(solid, QLatin1Char('#')) + QString(light, QLatin1Char('='))
        + QString(width - solid - light, QLatin1Char('.')) + QLatin1Char(']');
}

QString StatusFormatter::throttleLine(const QJsonObject &throttle)
{
    const bool recording = throttle.value(QStringLiteral("mode")).toString() == QLatin1String("recording");
    QStringList parts;
    if (!recording) {
        parts << tr("normal");
    } else {
        const bool growth = throttle.value(QStringLiteral("reason")).toString() == QLatin1String("folder_growth");
        parts << (growth ? tr("recording (a watched folder is growing)") : tr("recording (asked)"));
    }
    const QJsonValue limit = throttle.value(QStringLiteral("limit_bytes_per_second"));
    if (throttle.value(QStringLiteral("holding")).toBool())
        parts << tr("uploads hold");
    else if (limit.isDouble() && limit.toDouble() > 0)
        parts << tr("limit %1").arg(ProgressText::speed(limit.toDouble()));
    else
        parts << tr("no limit");
    if (recording)
        parts << tr("1 part per episode");
    if (const QString until = throttle.value(QStringLiteral("until")).toString(); !until.isEmpty())
        parts << tr("until %1").arg(until);
    const QJsonObject slot = throttle.value(QStringLiteral("schedule_slot")).toObject();
    if (!slot.isEmpty())
        parts << tr("schedule slot %1").arg(slot.value(QStringLiteral("text")).toString());
    return parts.join(QStringLiteral(" · "));
}

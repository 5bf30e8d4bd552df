#include "statusformatter.h"

#include "api/apikeys.h"
#include "catalog/episodestate.h"
#include "sync/progresstext.h"
#include "sync/throttlestate.h"

#include <QCoreApplication>
#include <QDateTime>

#include <algorithm>
#include <cmath>
#include <optional>

namespace {

const QString kUnknown = QStringLiteral("-");

QJsonObject progressOf(const QJsonObject &row)
{
    return row.value(ApiKey::kProgress).toObject();
}

// The episode's state as the API names it; nullopt for a name this client does not know (or "removed").
std::optional<EpisodeState> stateOf(const QJsonObject &row)
{
    return episodeStateFromName(row.value(ApiKey::kStatus).toString());
}

bool isCompleted(const QJsonObject &row)
{
    return stateOf(row) == EpisodeState::Completed;
}

// The total from the progress while uploading, else from the episode (absent from bare status objects).
qint64 totalBytes(const QJsonObject &row)
{
    const QJsonObject progress = progressOf(row);
    if (progress.contains(ApiKey::kTotalBytes))
        return progress.value(ApiKey::kTotalBytes).toInteger(-1);
    return row.value(ApiKey::kTotalBytes).toInteger(-1);
}

qint64 committedBytes(const QJsonObject &row)
{
    if (isCompleted(row))
        return totalBytes(row);
    return progressOf(row).value(ApiKey::kCommittedBytes).toInteger(0); // no progress: nothing verified
}

bool isRunning(const QJsonObject &row)
{
    return stateOf(row) == EpisodeState::InProgress;
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
    QStringList parts{QString::number(row.value(ApiKey::kEpisodeId).toInteger()).rightJustified(4),
        row.value(ApiKey::kName).toString().leftJustified(nameWidth)};
    if (barWidth > 0)
        parts.append(bar(row, barWidth));
    parts << percent(row).rightJustified(7) << amount(row) << speed(row) << tr("ETA %1").arg(eta(row)) << state;
    return parts.join(QLatin1Char(' '));
}

bool StatusFormatter::isTerminal(const QString &status)
{
    const std::optional<EpisodeState> state = episodeStateFromName(status);
    return state && ::isTerminal(*state);
}

QStringList StatusFormatter::columns(const QJsonObject &row)
{
    const QString name = row.value(ApiKey::kName).toString();
    return {QString::number(row.value(ApiKey::kEpisodeId).toInteger()), name.isEmpty() ? kUnknown : name, state(row),
        percent(row), amount(row), speed(row), eta(row), error(row)};
}

QString StatusFormatter::state(const QJsonObject &row)
{
    // While scanning, the count found so far says more than the stage (which says "scanning" again).
    const QJsonValue scan = row.value(ApiKey::kScan);
    const QString stage = scan.isObject()
        ? ProgressText::count(scan.toObject().value(ApiKey::kFilesFound).toInteger(), ProgressText::Noun::File)
        : row.value(ApiKey::kStage).toString();
    const QString status = row.value(ApiKey::kStatus).toString();
    // Paused by an operator: "pending · paused until resumed", or "pausing" while its upload stops. Its retry
    // time, if any, does not apply while paused.
    const bool paused = row.value(ApiKey::kPaused).toBool();
    if (paused)
        return stateOf(row) == EpisodeState::InProgress
            ? ProgressText::stateAndStage(status, tr("pausing"))
            : ProgressText::stateAndStage(status, tr("paused until resumed"));
    QString text = ProgressText::stateAndStage(status, stage);
    const QString retryAt = row.value(ApiKey::kNextRetryAt).toString();
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
    const QJsonValue value = progressOf(row).value(ApiKey::kBytesPerSecond);
    return isRunning(row) && value.isDouble() ? ProgressText::speed(value.toDouble()) : kUnknown;
}

QString StatusFormatter::eta(const QJsonObject &row)
{
    const QJsonValue value = progressOf(row).value(ApiKey::kEtaSeconds);
    return value.isDouble() ? ProgressText::duration(value.toInteger()) : kUnknown;
}

QString StatusFormatter::error(const QJsonObject &row)
{
    const QJsonObject error = row.value(ApiKey::kLastError).toObject();
    if (error.isEmpty())
        return {};
    const QString code = error.value(ApiKey::kCode).toString();
    const QString message = error.value(ApiKey::kMessage).toString();
    const QString hint = error.value(ApiKey::kHint).toString();
    QString text = message.isEmpty() ? code : tr("%1: %2").arg(code, message);
    return hint.isEmpty() ? text : tr("%1 (%2)").arg(text, hint);
}

QString StatusFormatter::bar(const QJsonObject &row, int width)
{
    const qint64 total = totalBytes(row);
    const double committed = total > 0 ? double(committedBytes(row)) / double(total) : isCompleted(row) ? 1.0 : 0.0;
    const double inflight
        = total > 0 ? double(progressOf(row).value(ApiKey::kInflightBytes).toInteger()) / double(total) : 0.0;
    const int solid = int(std::floor(committed * width));
    const int light = std::clamp(int(std::floor((committed + inflight) * width)) - solid, 0, width - solid);
    return QLatin1Char('[') + QString(solid, QLatin1Char('#')) + QString(light, QLatin1Char('='))
        + QString(width - solid - light, QLatin1Char('.')) + QLatin1Char(']');
}

QString StatusFormatter::throttleLine(const QJsonObject &throttle)
{
    const bool recording
        = throttle.value(ApiKey::kMode).toString() == ThrottleState::modeName(ThrottleState::Mode::Recording);
    QStringList parts;
    if (!recording) {
        parts << tr("normal");
    } else {
        const bool growth = throttle.value(ApiKey::kReason).toString()
            == ThrottleState::reasonName(ThrottleState::Reason::FolderGrowth);
        parts << (growth ? tr("recording (a watched folder is growing)") : tr("recording (asked)"));
    }
    const QJsonValue limit = throttle.value(ApiKey::kLimitBytesPerSecond);
    if (throttle.value(ApiKey::kHolding).toBool())
        parts << tr("uploads hold");
    else if (limit.isDouble() && limit.toDouble() > 0)
        parts << tr("limit %1").arg(ProgressText::speed(limit.toDouble()));
    else
        parts << tr("no limit");
    if (recording)
        parts << tr("1 part per episode");
    if (const QString until = throttle.value(ApiKey::kUntil).toString(); !until.isEmpty())
        parts << tr("until %1").arg(until);
    const QJsonObject slot = throttle.value(ApiKey::kScheduleSlot).toObject();
    if (!slot.isEmpty())
        parts << tr("schedule slot %1").arg(slot.value(ApiKey::kText).toString());
    return parts.join(QStringLiteral(" · "));
}

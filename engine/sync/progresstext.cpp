#include "progresstext.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

int ProgressText::percent(qint64 committedBytes, qint64 totalBytes, bool completed)
{
    if (completed)
        return 100;
    if (totalBytes <= 0)
        return 0;
    // Rounded down, and never 100 before the episode is complete (its manifest is written last).
    return int(std::clamp<qint64>(committedBytes * 100 / totalBytes, 0, 99));
}

int ProgressText::percent(const EpisodeStatus &status)
{
    const bool completed = status.record.state == EpisodeState::Completed;
    if (!status.progress)
        return percent(0, status.record.totalBytes, completed);
    return percent(status.progress->committedBytes, status.progress->totalBytes, completed);
}

QString ProgressText::size(qint64 bytes)
{
    static const char *const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    if (bytes < 1024)
        return tr("%1 B").arg(std::max<qint64>(0, bytes));
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 5) {
        value /= 1024.0;
        ++unit;
    }
    // Three significant digits, rounded down so a size never reads as more than it is.
    const int decimals = value < 10 ? 2 : value < 100 ? 1 : 0;
    const double scale = std::pow(10.0, decimals);
    value = std::floor(value * scale + 1e-9) / scale;
    if (value >= 1024.0 && unit < 5) { // 1023.99 MiB rounds to 1024: say 1.00 GiB
        value /= 1024.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(QLocale().toString(value, 'f', decimals), QLatin1String(kUnits[unit]));
}

QString ProgressText::amount(qint64 doneBytes, qint64 totalBytes)
{
    //: committed of total, e.g. "1.02 GiB of 2.10 GiB"
    return tr("%1 of %2").arg(size(doneBytes), size(totalBytes));
}

QString ProgressText::speed(double bytesPerSecond)
{
    return tr("%1/s").arg(size(qint64(bytesPerSecond)));
}

QString ProgressText::duration(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60, 2, 10, QLatin1Char('0'));
}

QString ProgressText::count(qint64 n, Noun noun)
{
    // English has two forms; the translations carry their own (the source strings are the forms, not "(s)").
    const bool one = n == 1;
    switch (noun) {
    case Noun::Episode:
        return (one ? tr("%1 episode") : tr("%1 episodes")).arg(n);
    case Noun::File:
        return (one ? tr("%1 file") : tr("%1 files")).arg(n);
    case Noun::Part:
        return (one ? tr("%1 part") : tr("%1 parts")).arg(n);
    case Noun::Attempt:
        return (one ? tr("%1 attempt") : tr("%1 attempts")).arg(n);
    case Noun::ObjectUrl:
        return (one ? tr("%1 object URL") : tr("%1 object URLs")).arg(n);
    }
    return QString::number(n);
}

QString ProgressText::stateName(EpisodeState state)
{
    return episodeStateName(state);
}

QString ProgressText::stageName(EpisodeStage stage)
{
    return episodeStageName(stage);
}

QString ProgressText::stateAndStage(const EpisodeStatus &status)
{
    if (status.record.state == EpisodeState::Scanning) // the stage says the same; the count says how far it is
        return stateAndStage(stateName(status.record.state), count(status.record.fileCount, Noun::File));
    return stateAndStage(stateName(status.record.state), stageName(status.stage));
}

QString ProgressText::stateAndStage(const QString &state, const QString &stage)
{
    return stage.isEmpty() ? state : tr("%1 · %2").arg(state, stage);
}

QString ProgressText::summary(const EpisodeStatus &status)
{
    const qint64 total = status.progress ? status.progress->totalBytes : status.record.totalBytes;
    const bool completed = status.record.state == EpisodeState::Completed;
    const qint64 committed = completed ? total : status.progress ? status.progress->committedBytes : 0;
    //: progress: percent · committed of total
    return tr("%1 % · %2").arg(percent(status)).arg(amount(committed, total));
}

QString ProgressText::countdown(const QDateTime &time, const QDateTime &now)
{
    const qint64 seconds = (now.msecsTo(time) + 999) / 1000;
    return seconds <= 0 ? tr("now") : tr("in %1").arg(duration(seconds));
}

QString ProgressText::timestamp(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

#include "episodecelltexts.h"

#include <cmath>

#include <QDateTime>
#include <QLocale>

#include "sync/errorhint.h"
#include "sync/progresstext.h"

EpisodeCellTexts::EpisodeCellTexts(const EpisodeStatus &snapshot)
    : progress(ProgressText::summary(snapshot))
    , size(ProgressText::size(snapshot.record.totalBytes))
    , status(statusText(snapshot))
{
    const EpisodeRecord &record = snapshot.record;
    if (record.state == EpisodeState::InProgress && snapshot.progress) {
        speed = ProgressText::speed(snapshot.progress->bytesPerSecond);
        eta = snapshot.progress->etaSeconds < 0 ? tr("…") : ProgressText::duration(snapshot.progress->etaSeconds);
    }
    if (record.hasError())
        //: last error cell: code, then the storage's message
        lastError = tr("%1: %2").arg(record.lastErrorCode, record.lastErrorMessage);
    if (record.syncedAt.isValid())
        syncedAt = QLocale().toString(record.syncedAt.toLocalTime(), QLocale::ShortFormat);
}

QString EpisodeCellTexts::statusText(const EpisodeStatus &status)
{
    QString text = ProgressText::stateAndStage(status);
    if (status.record.state == EpisodeState::Pending && status.record.nextRetryAt.isValid())
        text += QLatin1Char(' ') + ProgressText::countdown(status.record.nextRetryAt, QDateTime::currentDateTimeUtc());
    return text;
}

double EpisodeCellTexts::shownSpeed(double bytesPerSecond)
{
    if (bytesPerSecond < 1000)
        return std::floor(bytesPerSecond);
    const double scale = std::pow(10.0, std::floor(std::log10(bytesPerSecond)) - 2);
    return std::floor(bytesPerSecond / scale) * scale;
}

QString EpisodeCellTexts::errorToolTip(const EpisodeRecord &record)
{
    //: tooltip of an episode with an error: code, its message, then what to do
    return tr("%1: %2\n\n%3")
        .arg(record.lastErrorCode, record.lastErrorMessage, ErrorHint::forCode(record.lastErrorCode));
}

QString EpisodeCellTexts::progressToolTip(const TransferProgress &progress)
{
    //: tooltip of the progress cell: "3 of 10 parts, 1 of 2 files" (the second count carries the plural)
    QString text = tr("%1 of %2, %3 of %4")
                       .arg(progress.partsCompleted)
                       .arg(ProgressText::count(progress.partsTotal, ProgressText::Noun::Part))
                       .arg(progress.filesCompleted)
                       .arg(ProgressText::count(progress.filesTotal, ProgressText::Noun::File));
    //: the bar's two shades, named in the tooltip: the solid part and the light part
    text += u'\n' + tr("Verified (solid bar): %1").arg(ProgressText::size(progress.committedBytes));
    if (progress.inflightBytes > 0)
        text += u'\n'
            + tr("In flight (light bar): %1, not yet verified").arg(ProgressText::size(progress.inflightBytes));
    return text;
}

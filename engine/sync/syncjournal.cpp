#include "syncjournal.h"

#include "errorhint.h"
#include "progresstext.h"

#include <QLoggingCategory>

// Enabled at the default level (LogLevel turns keystone.journal's info on); progress only at info.
Q_LOGGING_CATEGORY(lcJournal, "keystone.journal", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJournalProgress, "keystone.journal.progress", QtInfoMsg)

namespace {

void write(const QString &line)
{
    qCInfo(lcJournal).noquote() << line;
}

// "code: message. Hint" on one line.
QString failureText(const QString &code, const QString &message)
{
    const QString what = message.isEmpty() ? code : QStringLiteral("%1: %2").arg(code, message);
    const QString hint = ErrorHint::forCode(code);
    return hint.isEmpty() ? what : QStringLiteral("%1. %2").arg(what, hint);
}

} // namespace

QString SyncJournal::episodeLabel(const EpisodeRecord &episode)
{
    return QStringLiteral("episode %1 \"%2\"").arg(episode.id).arg(episode.name);
}

void SyncJournal::registered(const EpisodeRecord &episode)
{
    write(tr("%1: registered, %2 in %3 (%4)")
              .arg(episodeLabel(episode), ProgressText::size(episode.totalBytes),
                  ProgressText::count(episode.fileCount, ProgressText::Noun::File), episode.localPath));
}

void SyncJournal::attemptStarted(const EpisodeRecord &episode, qint64 verifiedBytes, bool announce)
{
    {
        QMutexLocker lock(&m_mutex);
        m_lastDecile.insert(episode.id, int(ProgressText::percent(verifiedBytes, episode.totalBytes, false) / 10));
    }
    if (!announce)
        return;
    const QString verified = verifiedBytes > 0
        ? tr(", resuming with %1 verified").arg(ProgressText::amount(verifiedBytes, episode.totalBytes))
        : QString();
    write(tr("%1: uploading, attempt %2%3").arg(episodeLabel(episode)).arg(episode.attemptsMade).arg(verified));
}

void SyncJournal::attemptEnded(const EpisodeRecord &episode, const SyncLogEntry &log, qint64 verifiedAtStart)
{
    {
        QMutexLocker lock(&m_mutex);
        m_lastDecile.remove(episode.id);
    }
    const QString label = episodeLabel(episode);
    const QString verified = ProgressText::amount(log.bytesCommitted, episode.totalBytes);
    const qint64 ms = std::max<qint64>(1, log.startedAt.msecsTo(log.finishedAt));
    if (log.result == QLatin1String("completed")) {
        const double speed = double(std::max<qint64>(0, log.bytesCommitted - verifiedAtStart)) * 1000.0 / double(ms);
        write(tr("%1: completed, %2 in %3, %4")
                  .arg(label, ProgressText::size(episode.totalBytes), ProgressText::duration((ms + 500) / 1000),
                      ProgressText::speed(speed)));
    } else if (log.result == QLatin1String("retry")) {
        write(tr("%1: failed, retry at %2 (%3 kept): %4")
                  .arg(label, ProgressText::timestamp(episode.nextRetryAt), verified,
                      failureText(log.errorCode, log.errorMessage)));
    } else if (log.result == QLatin1String("failed")) {
        write(tr("%1: failed (%2 kept): %3").arg(label, verified, failureText(log.errorCode, log.errorMessage)));
    } else if (log.result == QLatin1String("unreachable")) {
        write(tr("%1: waiting for storage until %2 (%3 kept): %4")
                  .arg(label, ProgressText::timestamp(episode.nextRetryAt), verified, log.errorMessage));
    } else if (log.result == QLatin1String("cancelled")) {
        write(tr("%1: cancelled").arg(label));
    } else if (log.result == QLatin1String("paused")) {
        write(tr("%1: paused, %2 verified").arg(label, verified));
    } else if (log.result == QLatin1String("held")) {
        write(tr("%1: waits with the queue for new credentials, %2 verified").arg(label, verified));
    } else if (log.result == QLatin1String("reconfigured")) {
        write(tr("%1: paused for the new settings, %2 verified; it continues with them").arg(label, verified));
    } else {
        write(tr("%1: stopped for shutdown, %2 verified; it resumes at the next start").arg(label, verified));
    }
}

void SyncJournal::episodePaused(const EpisodeRecord &episode, qint64 verifiedBytes)
{
    {
        QMutexLocker lock(&m_mutex);
        m_lastDecile.remove(episode.id); // an attempt it stopped reports no more progress
    }
    write(tr("%1: paused by the operator, %2 verified and kept; it waits until resumed")
              .arg(episodeLabel(episode), ProgressText::amount(verifiedBytes, episode.totalBytes)));
}

void SyncJournal::episodeResumed(const EpisodeRecord &episode, qint64 verifiedBytes)
{
    write(tr("%1: resumed by the operator, %2 verified kept; it is queued again")
              .arg(episodeLabel(episode), ProgressText::amount(verifiedBytes, episode.totalBytes)));
}

void SyncJournal::progressed(const EpisodeRecord &episode, const TransferProgress &progress)
{
    if (!lcJournalProgress().isInfoEnabled())
        return;
    const int percent = ProgressText::percent(progress.committedBytes, progress.totalBytes, false);
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_lastDecile.find(episode.id);
        if (it == m_lastDecile.end() || percent / 10 <= *it)
            return;
        *it = percent / 10;
    }
    qCInfo(lcJournalProgress).noquote() << tr("%1: %2 %, %3, %4")
                                               .arg(episodeLabel(episode))
                                               .arg(percent / 10 * 10)
                                               .arg(ProgressText::amount(progress.committedBytes, progress.totalBytes),
                                                   ProgressText::speed(progress.bytesPerSecond));
}

void SyncJournal::rescanned(const EpisodeRecord &episode, int filesKept, int filesChanged, int filesGone)
{
    write(tr("%1: rescanned, %2 unchanged, %3 changed or new, %4 gone; now %5")
              .arg(episodeLabel(episode))
              .arg(filesKept)
              .arg(filesChanged)
              .arg(filesGone)
              .arg(ProgressText::size(episode.totalBytes)));
}

void SyncJournal::scanAbandoned(const EpisodeRecord &episode, const QString &reason, bool withdrawn)
{
    write(withdrawn ? tr("%1: registration withdrawn: %2").arg(episodeLabel(episode), reason)
                    : tr("%1: rescan abandoned, the episode stays as it was: %2").arg(episodeLabel(episode), reason));
}

void SyncJournal::uploadGone(
    const EpisodeRecord &episode, const QString &relativePath, const QString &uploadId, const StorageError &error)
{
    write(tr("%1: the server no longer has the multipart upload %2 of %3 (%4); starting this file over")
              .arg(episodeLabel(episode), uploadId, relativePath, error.toString()));
}

void SyncJournal::etagUnchecked(const EpisodeRecord &episode, const QString &relativePath, const QByteArray &etag)
{
    const QString given = etag.isEmpty() ? tr("it gave none") : tr("it gave \"%1\"").arg(QString::fromLatin1(etag));
    write(tr("%1: %2 completed, but the server gave no ETag that can be checked against its parts (%3); every part "
             "was checked, the whole object was not")
              .arg(episodeLabel(episode), relativePath, given));
}

void SyncJournal::storageHealthChanged(const StorageHealth &before, const StorageHealth &after)
{
    switch (after.state) {
    case StorageHealth::State::Ok: {
        const qint64 seconds = before.since.isValid() ? before.since.secsTo(after.since) : 0;
        write(tr("storage: answering again after %1").arg(ProgressText::duration(seconds)));
        break;
    }
    case StorageHealth::State::Unreachable:
        write(tr("storage: unreachable since %1: %2. %3")
                  .arg(ProgressText::timestamp(after.since), after.detail, after.hint()));
        break;
    case StorageHealth::State::CredentialsRejected:
        write(tr("storage: credentials rejected since %1: %2. %3")
                  .arg(ProgressText::timestamp(after.since), after.detail, after.hint()));
        break;
    }
}

namespace {

QString limitText(const ThrottleState &state)
{
    if (state.holding)
        return SyncJournal::tr("uploads hold (verified parts are kept)");
    if (state.limitBytesPerSecond <= 0)
        return SyncJournal::tr("no limit");
    return ProgressText::speed(double(state.limitBytesPerSecond));
}

QString slotText(const ThrottleState &state)
{
    return state.scheduleSlot ? SyncJournal::tr(" (schedule slot %1)").arg(state.scheduleSlot->text()) : QString();
}

} // namespace

void SyncJournal::throttleChanged(const ThrottleState &before, const ThrottleState &after)
{
    if (after.isRecording() && (!before.isRecording() || before.reason != after.reason)) {
        const QString why = after.reason == ThrottleState::Reason::FolderGrowth ? tr("a watched folder is growing")
            : after.until.isValid() ? tr("asked, until %1").arg(ProgressText::timestamp(after.until))
                                    : tr("asked");
        write(tr("recording mode (%1): %2, one part in flight per episode").arg(why, limitText(after)));
    } else if (!after.isRecording() && before.isRecording()) {
        const qint64 seconds = before.since.isValid() ? before.since.secsTo(after.since) : 0;
        write(tr("recording mode ended after %1; upload limit: %2%3")
                  .arg(ProgressText::duration(seconds), limitText(after), slotText(after)));
    } else if (before.limitBytesPerSecond != after.limitBytesPerSecond || before.holding != after.holding) {
        write(after.isRecording() ? tr("recording mode: now %1").arg(limitText(after))
                                  : tr("upload limit now %1%2").arg(limitText(after), slotText(after)));
    }
}

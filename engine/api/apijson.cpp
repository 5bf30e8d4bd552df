#include "apijson.h"

#include "sync/errorhint.h"
#include "sync/progresstext.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace ApiJson {

QJsonValue timestamp(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue::Null;
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject progress(const TransferProgress &progress, bool completed)
{
    return {
        {QStringLiteral("committed_bytes"), progress.committedBytes},
        {QStringLiteral("inflight_bytes"), progress.inflightBytes},
        {QStringLiteral("total_bytes"), progress.totalBytes},
        {QStringLiteral("percent"), ProgressText::percent(progress.committedBytes, progress.totalBytes, completed)},
        {QStringLiteral("parts_completed"), progress.partsCompleted},
        {QStringLiteral("parts_total"), progress.partsTotal},
        {QStringLiteral("files_completed"), progress.filesCompleted},
        {QStringLiteral("files_total"), progress.filesTotal},
        {QStringLiteral("bytes_per_second"), std::round(progress.bytesPerSecond)},
        {QStringLiteral("eta_seconds"),
            progress.etaSeconds < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(progress.etaSeconds)},
        {QStringLiteral("parallel"), progress.parallel},
    };
}

namespace {

QJsonValue lastError(const EpisodeRecord &record)
{
    if (!record.hasError())
        return QJsonValue::Null;
    return QJsonObject{{QStringLiteral("code"), record.lastErrorCode},
        {QStringLiteral("message"), record.lastErrorMessage},
        {QStringLiteral("hint"), ErrorHint::forCode(record.lastErrorCode)}};
}

QJsonValue stage(EpisodeStage stage)
{
    const QString name = episodeStageName(stage);
    return name.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(name);
}

QJsonValue cloud(const EpisodeRecord &record)
{
    if (record.state != EpisodeState::Completed)
        return QJsonValue::Null;
    return QJsonObject{
        {QStringLiteral("bucket"), record.cloudBucket},
        {QStringLiteral("key_prefix"), record.cloudKeyPrefix},
        {QStringLiteral("etag"), QString::fromLatin1(record.manifestEtag)},
        {QStringLiteral("synced_at"), timestamp(record.syncedAt)},
        // Files whose whole-object ETag the server never gave in a checkable form (their parts were all checked).
        {QStringLiteral("etags_unchecked"), record.etagsUnchecked},
    };
}

} // namespace

QJsonObject status(const EpisodeStatus &status)
{
    const EpisodeRecord &record = status.record;
    QJsonObject object{
        {QStringLiteral("episode_id"), record.id},
        {QStringLiteral("status"), episodeStateName(record.state)},
        {QStringLiteral("stage"), stage(status.stage)},
        {QStringLiteral("attempts"), record.attemptsMade},
        {QStringLiteral("priority"), record.priority},
        {QStringLiteral("paused"), record.paused}, // this episode's own pause, not pause-all (see /sync/pause)
        {QStringLiteral("last_error"), lastError(record)},
        {QStringLiteral("next_retry_at"), timestamp(record.nextRetryAt)},
        {QStringLiteral("cloud"), cloud(record)},
    };
    if (status.progress)
        object.insert(QStringLiteral("progress"), progress(*status.progress, record.state == EpisodeState::Completed));
    if (record.state == EpisodeState::Scanning) // how far the listing of its files has come
        object.insert(QStringLiteral("scan"),
            QJsonObject{
                {QStringLiteral("files_found"), record.fileCount}, {QStringLiteral("bytes_found"), record.totalBytes}});
    return object;
}

QJsonObject episode(const EpisodeStatus &episodeStatus)
{
    const EpisodeRecord &record = episodeStatus.record;
    QJsonObject object = status(episodeStatus);
    object.insert(QStringLiteral("name"), record.name);
    object.insert(QStringLiteral("local_path"), record.localPath);
    object.insert(QStringLiteral("total_bytes"), record.totalBytes);
    object.insert(QStringLiteral("file_count"), record.fileCount);
    object.insert(QStringLiteral("created_at"), timestamp(record.createdAt));
    return object;
}

QJsonObject transition(const EpisodeStatus &episodeStatus, EpisodeState state)
{
    QJsonObject object = status(episodeStatus);
    object.remove(QStringLiteral("progress"));
    object.insert(QStringLiteral("status"), episodeStateName(state));
    return object;
}

QByteArray statusList(const QList<QByteArray> &items, const QList<qint64> &missing, const QByteArray &throttle)
{
    // Keys in the order QJsonObject writes them (sorted): "items", "missing", "throttle".
    qsizetype size = 32 + missing.size() * 21 + throttle.size() + 12;
    for (const QByteArray &item : items)
        size += item.size() + 1;
    QByteArray body;
    body.reserve(size);
    body += "{\"items\":[";
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            body += ',';
        body += items.at(i);
    }
    body += "],\"missing\":[";
    for (qsizetype i = 0; i < missing.size(); ++i) {
        if (i > 0)
            body += ',';
        body += QByteArray::number(missing.at(i));
    }
    body += ']';
    if (!throttle.isEmpty())
        body += ",\"throttle\":" + throttle;
    body += '}';
    return body;
}

QJsonObject logEntry(const SyncLogEntry &entry)
{
    QJsonValue error = QJsonValue::Null;
    if (!entry.errorCode.isEmpty() || !entry.errorMessage.isEmpty()) {
        error = QJsonObject{{QStringLiteral("code"), entry.errorCode}, {QStringLiteral("message"), entry.errorMessage},
            {QStringLiteral("hint"), ErrorHint::forCode(entry.errorCode)}};
    }
    return {
        {QStringLiteral("id"), entry.id},
        {QStringLiteral("episode_id"), entry.episodeId},
        {QStringLiteral("started_at"), timestamp(entry.startedAt)},
        {QStringLiteral("finished_at"), timestamp(entry.finishedAt)},
        {QStringLiteral("result"), entry.result.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(entry.result)},
        {QStringLiteral("bytes_committed"), entry.bytesCommitted},
        {QStringLiteral("error"), error},
        {QStringLiteral("retryable"), entry.retryable},
    };
}

QJsonObject storageHealth(const StorageHealth &health, bool withDetail)
{
    QJsonObject object{
        {QStringLiteral("state"), StorageHealth::stateName(health.state)},
        {QStringLiteral("since"), health.isOk() ? QJsonValue(QJsonValue::Null) : timestamp(health.since)},
    };
    if (withDetail) {
        object.insert(
            QStringLiteral("detail"), health.isOk() ? QJsonValue(QJsonValue::Null) : QJsonValue(health.detail));
        object.insert(QStringLiteral("hint"), health.isOk() ? QJsonValue(QJsonValue::Null) : QJsonValue(health.hint()));
    }
    return object;
}

QJsonObject throttle(const ThrottleState &state)
{
    const auto rate = [](qint64 bytesPerSecond) {
        return bytesPerSecond > 0 ? QJsonValue(double(bytesPerSecond)) : QJsonValue(QJsonValue::Null);
    };
    QJsonValue slot = QJsonValue::Null;
    if (state.scheduleSlot) {
        slot = QJsonObject{{QStringLiteral("text"), state.scheduleSlot->text()},
            {QStringLiteral("limit_bytes_per_second"), rate(state.scheduleSlot->bytesPerSecond)}};
    }
    const QString reason = ThrottleState::reasonName(state.reason);
    return {
        {QStringLiteral("mode"), ThrottleState::modeName(state.mode)},
        {QStringLiteral("reason"), reason.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(reason)},
        {QStringLiteral("since"), timestamp(state.since)},
        {QStringLiteral("until"), timestamp(state.until)},
        {QStringLiteral("limit_bytes_per_second"), state.holding ? QJsonValue(0) : rate(state.limitBytesPerSecond)},
        {QStringLiteral("holding"), state.holding},
        {QStringLiteral("parts_per_episode"),
            state.partsPerEpisode > 0 ? QJsonValue(state.partsPerEpisode) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("schedule_slot"), slot},
    };
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray errorBody(const QString &code, const QString &message, const QStringList &paths)
{
    QJsonObject error{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!paths.isEmpty())
        error.insert(QStringLiteral("paths"), QJsonArray::fromStringList(paths));
    return compact({{QStringLiteral("error"), error}});
}

HttpError httpError(SyncError::Code code)
{
    switch (code) {
    case SyncError::Code::NotFound:
        return {404, QStringLiteral("not_found")};
    case SyncError::Code::InvalidTransition:
        return {409, QStringLiteral("invalid_transition")};
    case SyncError::Code::InvalidInput:
        return {400, QStringLiteral("invalid_input")};
    case SyncError::Code::Conflict:
        return {409, QStringLiteral("conflict")};
    case SyncError::Code::TooManyFiles:
        return {422, QStringLiteral("too_many_files")};
    case SyncError::Code::UnsupportedFiles:
        return {400, QStringLiteral("unsupported_files")};
    case SyncError::Code::Cancelled:
        return {409, QStringLiteral("cancelled")};
    case SyncError::Code::CatalogFailed:
    case SyncError::Code::None:
        break;
    }
    return {500, QStringLiteral("catalog_failed")};
}

} // namespace ApiJson

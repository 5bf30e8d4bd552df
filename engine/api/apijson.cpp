#include "apijson.h"

#include "apikeys.h"
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
        {ApiKey::kCommittedBytes, progress.committedBytes},
        {ApiKey::kInflightBytes, progress.inflightBytes},
        {ApiKey::kTotalBytes, progress.totalBytes},
        {ApiKey::kPercent, ProgressText::percent(progress.committedBytes, progress.totalBytes, completed)},
        {ApiKey::kPartsCompleted, progress.partsCompleted},
        {ApiKey::kPartsTotal, progress.partsTotal},
        {ApiKey::kFilesCompleted, progress.filesCompleted},
        {ApiKey::kFilesTotal, progress.filesTotal},
        {ApiKey::kBytesPerSecond, std::round(progress.bytesPerSecond)},
        {ApiKey::kEtaSeconds, progress.etaSeconds < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(progress.etaSeconds)},
        {ApiKey::kParallel, progress.parallel},
    };
}

namespace {

QJsonValue lastError(const EpisodeRecord &record)
{
    if (!record.hasError())
        return QJsonValue::Null;
    return QJsonObject{{ApiKey::kCode, record.lastErrorCode}, {ApiKey::kMessage, record.lastErrorMessage},
        {ApiKey::kHint, ErrorHint::forCode(record.lastErrorCode)}};
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
        {ApiKey::kEpisodeId, record.id},
        {ApiKey::kStatus, episodeStateName(record.state)},
        {ApiKey::kStage, stage(status.stage)},
        {ApiKey::kAttempts, record.attemptsMade},
        {ApiKey::kPriority, record.priority},
        {ApiKey::kPaused, record.paused}, // this episode's own pause, not pause-all (see /sync/pause)
        {ApiKey::kLastError, lastError(record)},
        {ApiKey::kNextRetryAt, timestamp(record.nextRetryAt)},
        {ApiKey::kCloud, cloud(record)},
    };
    if (status.progress)
        object.insert(ApiKey::kProgress, progress(*status.progress, record.state == EpisodeState::Completed));
    if (record.state == EpisodeState::Scanning) // how far the listing of its files has come
        object.insert(ApiKey::kScan,
            QJsonObject{{ApiKey::kFilesFound, record.fileCount}, {ApiKey::kBytesFound, record.totalBytes}});
    return object;
}

QJsonObject episode(const EpisodeStatus &episodeStatus)
{
    const EpisodeRecord &record = episodeStatus.record;
    QJsonObject object = status(episodeStatus);
    object.insert(ApiKey::kName, record.name);
    object.insert(ApiKey::kLocalPath, record.localPath);
    object.insert(ApiKey::kTotalBytes, record.totalBytes);
    object.insert(ApiKey::kFileCount, record.fileCount);
    object.insert(ApiKey::kCreatedAt, timestamp(record.createdAt));
    return object;
}

QJsonObject transition(const EpisodeStatus &episodeStatus, EpisodeState state)
{
    QJsonObject object = status(episodeStatus);
    object.remove(ApiKey::kProgress);
    object.insert(ApiKey::kStatus, episodeStateName(state));
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
        error = QJsonObject{{ApiKey::kCode, entry.errorCode}, {ApiKey::kMessage, entry.errorMessage},
            {ApiKey::kHint, ErrorHint::forCode(entry.errorCode)}};
    }
    return {
        {QStringLiteral("id"), entry.id},
        {ApiKey::kEpisodeId, entry.episodeId},
        {QStringLiteral("started_at"), timestamp(entry.startedAt)},
        {QStringLiteral("finished_at"), timestamp(entry.finishedAt)},
        {QStringLiteral("result"), entry.result.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(entry.result)},
        {QStringLiteral("bytes_committed"), entry.bytesCommitted},
        {ApiKey::kError, error},
        {QStringLiteral("retryable"), entry.retryable},
    };
}

QJsonObject storageHealth(const StorageHealth &health, bool withDetail)
{
    QJsonObject object{
        {QStringLiteral("state"), StorageHealth::stateName(health.state)},
        {ApiKey::kSince, health.isOk() ? QJsonValue(QJsonValue::Null) : timestamp(health.since)},
    };
    if (withDetail) {
        object.insert(
            QStringLiteral("detail"), health.isOk() ? QJsonValue(QJsonValue::Null) : QJsonValue(health.detail));
        object.insert(ApiKey::kHint, health.isOk() ? QJsonValue(QJsonValue::Null) : QJsonValue(health.hint()));
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
        slot = QJsonObject{{ApiKey::kText, state.scheduleSlot->text()},
            {ApiKey::kLimitBytesPerSecond, rate(state.scheduleSlot->bytesPerSecond)}};
    }
    const QString reason = ThrottleState::reasonName(state.reason);
    return {
        {ApiKey::kMode, ThrottleState::modeName(state.mode)},
        {ApiKey::kReason, reason.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(reason)},
        {ApiKey::kSince, timestamp(state.since)},
        {ApiKey::kUntil, timestamp(state.until)},
        {ApiKey::kLimitBytesPerSecond, state.holding ? QJsonValue(0) : rate(state.limitBytesPerSecond)},
        {ApiKey::kHolding, state.holding},
        {ApiKey::kPartsPerEpisode,
            state.partsPerEpisode > 0 ? QJsonValue(state.partsPerEpisode) : QJsonValue(QJsonValue::Null)},
        {ApiKey::kScheduleSlot, slot},
    };
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray errorBody(const QString &code, const QString &message, const QStringList &paths)
{
    QJsonObject error{{ApiKey::kCode, code}, {ApiKey::kMessage, message}};
    if (!paths.isEmpty())
        error.insert(QStringLiteral("paths"), QJsonArray::fromStringList(paths));
    return compact({{ApiKey::kError, error}});
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

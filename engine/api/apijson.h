#pragma once

#include "sync/episodestatus.h"
#include "sync/storagehealth.h"
#include "sync/syncerror.h"
#include "sync/throttlestate.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// The API's JSON codecs (snake_case): engine value types in, compact JSON out. Pure functions, no I/O.
namespace ApiJson {

// {episode_id, status, stage, attempts, last_error {code, message, hint}, next_retry_at, cloud, progress (whenever
// anything is verified or an attempt runs)}
QJsonObject status(const EpisodeStatus &status);
// The status object plus what the episode is: name, local_path, total_bytes, file_count, created_at.
QJsonObject episode(const EpisodeStatus &status);
// The data of an SSE status event: the status object without progress, naming the transition's status (the other
// fields are the snapshot's, which may have moved on already).
QJsonObject transition(const EpisodeStatus &status, EpisodeState state);
// The batch answer {"items": [...], "missing": [...]} from status objects already compact (StatusBytesCache):
// byte for byte what compact() gives for the same object, without building one. throttle, when given (a compact
// throttle object), is added as "throttle": what a front end that polls the batch shows as a banner.
QByteArray statusList(const QList<QByteArray> &items, const QList<qint64> &missing, const QByteArray &throttle = {});
QJsonObject logEntry(const SyncLogEntry &entry);
QJsonObject progress(const TransferProgress &progress, bool completed);
// {state: ok|unreachable|credentials_rejected, since} plus, withDetail, {detail, hint} (the storage's own words:
// only behind the token).
QJsonObject storageHealth(const StorageHealth &health, bool withDetail);
// {mode: normal|recording, reason: null|command|folder_growth, since, until, limit_bytes_per_second (null: none),
// holding, parts_per_episode (null: as configured), schedule_slot (null, or {text, limit_bytes_per_second})}
QJsonObject throttle(const ThrottleState &state);

QJsonValue timestamp(const QDateTime &time); // ISO 8601 UTC with milliseconds, or null when invalid
QByteArray compact(const QJsonObject &object);

// {"error": {"code": ..., "message": ...}}
// paths non-empty: an "error.paths" array (the entries an unsupported_files error names).
QByteArray errorBody(const QString &code, const QString &message, const QStringList &paths = {});

// The HTTP status and the API code of an engine refusal (CatalogFailed is the only 500).
struct HttpError
{
    int httpStatus = 500;
    QString code;
};
HttpError httpError(SyncError::Code code);

} // namespace ApiJson

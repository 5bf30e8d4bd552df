#pragma once

#include "sync/recordingcommand.h"

#include <QJsonObject>
#include <QString>

// The body of PUT /api/v1/sync/throttle, checked field by field:
//   {"mode": "recording", "limit": "5M" | bytes per second (0: hold), "until": ISO 8601 with offset | "for": "30m"}
//   {"mode": "normal"}
// limit, until and for are optional (not both until and for); unknown fields are refused, not ignored.
namespace ThrottleRequest {

struct Parsed
{
    RecordingCommand command;
    QString error; // empty: valid
    bool ok() const { return error.isEmpty(); }
};

[[nodiscard]] Parsed parse(const QJsonObject &body, const QDateTime &nowUtc);
// "90", "90s", "30m", "2h": seconds; -1 for anything else (0 too: a recording that ends at once is a mistake).
[[nodiscard]] qint64 parseDurationSeconds(const QString &text);

} // namespace ThrottleRequest

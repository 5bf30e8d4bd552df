#include "throttlerequest.h"

#include "apikeys.h"
#include "core/bytesize.h"

#include <QJsonValue>
#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace ThrottleRequest {

namespace {

constexpr qint64 kMaxDurationSeconds = 7LL * 24 * 3600; // a recording session, not a setting: a week at most

// A byte rate given as a number of bytes or as text ("5M"); -1 when it is neither.
qint64 rateOf(const QJsonValue &value)
{
    if (value.isString())
        return ByteSize::parse(value.toString());
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || std::trunc(number) != number || number > double(1LL << 50))
        return -1;
    return qint64(number);
}

} // namespace

qint64 parseDurationSeconds(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,9})\\s*([smhSMH]?)\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    const qint64 number = match.captured(1).toLongLong();
    const QString unit = match.captured(2).toLower();
    const qint64 seconds = unit == QLatin1String("h") ? number * 3600
        : unit == QLatin1String("m")                  ? number * 60
                                                      : number;
    return seconds > 0 && seconds <= kMaxDurationSeconds ? seconds : -1;
}

Parsed parse(const QJsonObject &body, const QDateTime &nowUtc)
{
    Parsed parsed;
    const QString mode = body.value(ApiKey::kMode).toString();
    if (mode != QLatin1String("recording") && mode != QLatin1String("normal")) {
        parsed.error = QStringLiteral("\"mode\" must be \"recording\" or \"normal\"");
        return parsed;
    }
    QStringList unknown = body.keys();
    unknown.removeAll(ApiKey::kMode);
    if (mode == QLatin1String("normal")) {
        if (!unknown.isEmpty())
            parsed.error = QStringLiteral("\"normal\" takes no other field (got %1)").arg(unknown.join(u','));
        return parsed;
    }
    for (const char *known : {"limit", "until", "for"})
        unknown.removeAll(QLatin1String(known));
    if (!unknown.isEmpty()) {
        parsed.error
            = QStringLiteral("unknown field(s) %1: only \"limit\", \"until\" and \"for\"").arg(unknown.join(u','));
        return parsed;
    }
    parsed.command.recording = true;
    if (body.contains(ApiKey::kLimit)) {
        parsed.command.limitBytesPerSecond = rateOf(body.value(ApiKey::kLimit));
        if (parsed.command.limitBytesPerSecond < 0) {
            parsed.error = QStringLiteral(
                "\"limit\" must be bytes per second: a number or a size like \"5M\" (0 holds uploads)");
            return parsed;
        }
    }
    const bool hasUntil = body.contains(ApiKey::kUntil);
    const bool hasFor = body.contains(ApiKey::kFor);
    if (hasUntil && hasFor) {
        parsed.error = QStringLiteral("give \"until\" or \"for\", not both");
    } else if (hasUntil) {
        const QDateTime until = QDateTime::fromString(body.value(ApiKey::kUntil).toString(), Qt::ISODateWithMs);
        if (!until.isValid() || until.timeSpec() == Qt::LocalTime)
            parsed.error
                = QStringLiteral("\"until\" must be an ISO 8601 time with its offset, e.g. 2026-12-04T15:30:00Z");
        else if (until.toUTC() <= nowUtc)
            parsed.error = QStringLiteral("\"until\" is already past");
        else
            parsed.command.until = until.toUTC();
    } else if (hasFor) {
        const QJsonValue value = body.value(ApiKey::kFor);
        const bool whole = value.isDouble() && std::trunc(value.toDouble()) == value.toDouble();
        const qint64 seconds = value.isString() ? parseDurationSeconds(value.toString())
            : whole                             ? parseDurationSeconds(QString::number(qint64(value.toDouble())))
                                                : -1;
        if (seconds < 0)
            parsed.error
                = QStringLiteral("\"for\" must be a duration like \"90s\", \"30m\" or \"2h\" (at most a week)");
        else
            parsed.command.until = nowUtc.addSecs(seconds);
    }
    return parsed;
}

} // namespace ThrottleRequest

#include "bandwidthschedule.h"

#include "core/bytesize.h"

#include <algorithm>

#include <QCoreApplication>
#include <QRegularExpression>

namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr int kDaysPerWeek = 7;
constexpr int kMinutesPerWeek = kDaysPerWeek * kMinutesPerDay;

// Qt::Monday..Qt::Sunday order; canonical text uses the short form.
const char *const kShortDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char *const kLongDays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// 1..7, or 0 when the name is no day.
int weekdayFromName(const QString &name)
{
    for (int day = 0; day < kDaysPerWeek; ++day) {
        if (name.compare(QLatin1String(kShortDays[day]), Qt::CaseInsensitive) == 0
            || name.compare(QLatin1String(kLongDays[day]), Qt::CaseInsensitive) == 0)
            return day + 1;
    }
    return 0;
}

// Minutes since midnight of "H:MM" or "HH:MM", or -1.
int minuteFromText(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,2}):(\\d{2})$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    const int hour = match.captured(1).toInt();
    const int minute = match.captured(2).toInt();
    return hour < 24 && minute < 60 ? hour * 60 + minute : -1;
}

// Bytes per second, 0 for "off", or -1.
qint64 rateFromText(const QString &text)
{
    if (text.compare(QLatin1String("off"), Qt::CaseInsensitive) == 0)
        return 0;
    const qint64 rate = ByteSize::parse(text);
    return rate > 0 ? rate : -1; // "0" is ambiguous (stop? no limit?): "off" says it
}

QString rateText(qint64 bytesPerSecond)
{
    return bytesPerSecond == 0 ? QStringLiteral("off") : ByteSize::format(bytesPerSecond);
}

SyncError invalid(const QString &message)
{
    return {SyncError::Code::InvalidInput, message};
}

int minuteOfWeek(const QDateTime &localTime)
{
    const QTime time = localTime.time();
    return (localTime.date().dayOfWeek() - 1) * kMinutesPerDay + time.hour() * 60 + time.minute();
}

} // namespace

QString BandwidthSchedule::Slot::text() const
{
    QString out;
    if (weekday >= 1 && weekday <= kDaysPerWeek)
        out = QLatin1String(kShortDays[weekday - 1]) + QLatin1Char('-');
    out += QStringLiteral("%1:%2,")
               .arg(minuteOfDay / 60, 2, 10, QLatin1Char('0'))
               .arg(minuteOfDay % 60, 2, 10, QLatin1Char('0'));
    return out + rateText(bytesPerSecond);
}

SyncResult<BandwidthSchedule> BandwidthSchedule::parse(const QString &text)
{
    static const QRegularExpression blanks(QStringLiteral("\\s+"));
    const QStringList entries = text.split(blanks, Qt::SkipEmptyParts);
    BandwidthSchedule schedule;
    for (const QString &entry : entries) {
        const SyncResult<Slot> slot = parseEntry(entry, entries.size() == 1);
        if (!slot)
            return slot.error();
        const auto sameTime = [&](const Slot &other) {
            return other.weekday == slot.value().weekday && other.minuteOfDay == slot.value().minuteOfDay;
        };
        if (std::any_of(schedule.m_slots.cbegin(), schedule.m_slots.cend(), sameTime))
            return invalid(BandwidthSchedule::tr("bandwidth schedule entry '%1': that time is already in the schedule")
                               .arg(entry));
        schedule.m_slots.append(slot.value());
    }
    std::sort(schedule.m_slots.begin(), schedule.m_slots.end(), [](const Slot &a, const Slot &b) {
        return std::pair(a.weekday, a.minuteOfDay) < std::pair(b.weekday, b.minuteOfDay);
    });
    return schedule;
}

SyncResult<BandwidthSchedule::Slot> BandwidthSchedule::parseEntry(const QString &entry, bool alone)
{
    const qsizetype comma = entry.indexOf(QLatin1Char(','));
    if (comma < 0) {
        // A bare rate stands for the whole week, so it cannot share the schedule with timed entries.
        if (!alone || entry.contains(QLatin1Char(':')))
            return invalid(
                BandwidthSchedule::tr("bandwidth schedule entry '%1': expected [Day-]HH:MM,RATE").arg(entry));
        const qint64 rate = rateFromText(entry);
        if (rate < 0)
            return invalid(BandwidthSchedule::tr(
                "bandwidth schedule entry '%1': the rate must be a size such as 512K or 10M, or off")
                               .arg(entry));
        return Slot{0, 0, rate};
    }
    QString when = entry.left(comma);
    Slot slot;
    if (const qsizetype dash = when.indexOf(QLatin1Char('-')); dash >= 0) {
        slot.weekday = weekdayFromName(when.left(dash));
        if (slot.weekday == 0)
            return invalid(BandwidthSchedule::tr("bandwidth schedule entry '%1': unknown day '%2' (use Mon to Sun)")
                               .arg(entry, when.left(dash)));
        when = when.mid(dash + 1);
    }
    slot.minuteOfDay = minuteFromText(when);
    if (slot.minuteOfDay < 0)
        return invalid(
            BandwidthSchedule::tr("bandwidth schedule entry '%1': the time must be HH:MM, from 00:00 to 23:59")
                .arg(entry));
    slot.bytesPerSecond = rateFromText(entry.mid(comma + 1));
    if (slot.bytesPerSecond < 0)
        return invalid(
            BandwidthSchedule::tr("bandwidth schedule entry '%1': the rate must be a size such as 512K or 10M, or off")
                .arg(entry));
    return slot;
}

std::optional<BandwidthSchedule::Slot> BandwidthSchedule::activeAt(const QDateTime &localTime) const
{
    const QList<WeekEntry> entries = week();
    if (entries.isEmpty())
        return std::nullopt;
    return entries.at(activeIndex(entries, minuteOfWeek(localTime))).slot;
}

QDateTime BandwidthSchedule::nextChangeAfter(const QDateTime &localTime) const
{
    const QList<WeekEntry> entries = week();
    if (entries.isEmpty() || !localTime.isValid())
        return {};
    const int now = minuteOfWeek(localTime);
    const qsizetype active = activeIndex(entries, now);
    // Walk forward round the week from the entry in force; back at it, nothing ever changes.
    for (qsizetype step = 1; step < entries.size(); ++step) {
        const WeekEntry &next = entries.at((active + step) % entries.size());
        if (next.slot == entries.at(active).slot)
            continue; // a daily entry repeating on the next day: the same slot stays in force
        int minutesAhead = next.minuteOfWeek - now;
        if (minutesAhead <= 0)
            minutesAhead += kMinutesPerWeek;
        QDateTime change = localTime; // keeps its time spec or zone
        change.setDate(localTime.date().addDays((now % kMinutesPerDay + minutesAhead) / kMinutesPerDay));
        const int minute = (now + minutesAhead) % kMinutesPerDay;
        change.setTime(QTime(minute / 60, minute % 60));
        return change;
    }
    return {};
}

QString BandwidthSchedule::toString() const
{
    if (m_slots.size() == 1 && m_slots.first().weekday == 0 && m_slots.first().minuteOfDay == 0)
        return rateText(m_slots.first().bytesPerSecond); // a lone rate reads back as written
    QStringList texts;
    for (const Slot &slot : m_slots)
        texts.append(slot.text());
    return texts.join(QLatin1Char(' '));
}

QList<BandwidthSchedule::WeekEntry> BandwidthSchedule::week() const
{
    QList<WeekEntry> entries;
    for (const Slot &slot : m_slots) {
        if (slot.weekday != 0) {
            entries.append({(slot.weekday - 1) * kMinutesPerDay + slot.minuteOfDay, slot});
            continue;
        }
        for (int day = 0; day < kDaysPerWeek; ++day) {
            const int minute = day * kMinutesPerDay + slot.minuteOfDay;
            const bool overridden = std::any_of(m_slots.cbegin(), m_slots.cend(),
                [&](const Slot &other) { return other.weekday == day + 1 && other.minuteOfDay == slot.minuteOfDay; });
            if (!overridden) // the weekday entry at the same minute is the more specific one
                entries.append({minute, slot});
        }
    }
    std::sort(entries.begin(), entries.end(),
        [](const WeekEntry &a, const WeekEntry &b) { return a.minuteOfWeek < b.minuteOfWeek; });
    return entries;
}

qsizetype BandwidthSchedule::activeIndex(const QList<WeekEntry> &week, int minuteOfWeek)
{
    // The first entry after minuteOfWeek, less one; none at or before it: the week's last entry still holds.
    const auto after = std::upper_bound(week.cbegin(), week.cend(), minuteOfWeek,
        [](int minute, const WeekEntry &entry) { return minute < entry.minuteOfWeek; });
    return after == week.cbegin() ? week.size() - 1 : (after - week.cbegin()) - 1;
}

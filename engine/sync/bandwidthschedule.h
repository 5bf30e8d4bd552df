#pragma once

#include "sync/syncerror.h"

#include <QCoreApplication>
#include <optional>

#include <QDateTime>
#include <QList>
#include <QString>

// An upload bandwidth timetable, written as rclone's --bwlimit timetable is
// (https://rclone.org/docs/#bwlimit-bandwidth-spec): space-separated entries "[Day-]HH:MM,RATE".
//
//     "08:00,10M 20:00,off"               10 MiB/s from 08:00, no limit from 20:00, every day
//     "Mon-08:00,512K Sat-10:00,off"      512 KiB/s from Monday 08:00 until Saturday 10:00, then no limit
//     "10M"                               10 MiB/s all the time (a lone rate; "off": no limit)
//
// RATE is bytes per second as ByteSize reads it (K, M, G binary) or "off" for no limit; "0" is refused, since it
// reads as "stop" to some and as "no limit" to others. Day is Mon..Sun or the full English name, any case.
//
// An entry holds from its time until the next entry, going round the week: before the first entry of a day the
// previous day's last entry still holds, and after Sunday's last one comes Monday's first. A daily entry (no day)
// stands for the same entry on each of the seven days; where a weekday entry falls on the same day and minute, the
// weekday one wins, being the more specific. The same time twice (same day, or both daily) is an error.
//
// Times are wall-clock: activeAt() and nextChangeAfter() read the date and time of the QDateTime they are given and
// keep its time spec, so a daylight-saving change moves the schedule with the clock, as a person expects. Pure and
// cheap to copy: the caller brings the time, so it is tested without clocks.
class BandwidthSchedule
{
    Q_DECLARE_TR_FUNCTIONS(BandwidthSchedule)

public:
    struct Slot
    {
        int weekday = 0; // 0: every day; 1..7 Monday..Sunday (as Qt::DayOfWeek)
        int minuteOfDay = 0; // 0..1439
        qint64 bytesPerSecond = 0; // 0: "off", no limit
        [[nodiscard]] QString text() const; // canonical: "08:00,10M", "Mon-08:00,512K", "20:00,off"
        bool operator==(const Slot &) const = default;
    };

    // Space-separated entries "[Day-]HH:MM,RATE"; a lone RATE ("10M", "off") means that rate all the time. Empty or
    // blank text: an empty schedule. InvalidInput with a translated message naming the bad entry otherwise (bad time,
    // bad day, bad rate, the same time twice).
    [[nodiscard]] static SyncResult<BandwidthSchedule> parse(const QString &text);

    bool isEmpty() const { return m_slots.isEmpty(); }
    // The slot in force at this local time: the latest entry at or before it, going back through the week (so before
    // the first entry of a day, the previous day's last one applies). nullopt only when empty.
    [[nodiscard]] std::optional<Slot> activeAt(const QDateTime &localTime) const;
    // When the slot in force next changes after this local time, at a whole minute (invalid when it never changes:
    // empty or one slot).
    [[nodiscard]] QDateTime nextChangeAfter(const QDateTime &localTime) const;
    // Canonical text, parse(toString()) == *this: the slots' text() in order, or the bare rate for a lone rate.
    QString toString() const;
    // As written, sorted by weekday (daily ones first) and time.
    const QList<Slot> &slots() const { return m_slots; }

    bool operator==(const BandwidthSchedule &) const = default;

private:
    // One entry of the week with daily ones expanded: minutes since Monday 00:00.
    struct WeekEntry
    {
        int minuteOfWeek = 0;
        Slot slot;
    };
    static SyncResult<Slot> parseEntry(const QString &entry, bool alone);
    QList<WeekEntry> week() const;
    // Index into week of the entry in force at minuteOfWeek (week not empty).
    static qsizetype activeIndex(const QList<WeekEntry> &week, int minuteOfWeek);

    QList<Slot> m_slots;
};

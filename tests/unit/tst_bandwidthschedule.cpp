// BandwidthSchedule and ByteSize: text in, slots and times out. No clock: every time is a fixed wall-clock moment in
// the week of Monday 2026-11-30 (UTC, so the machine's zone and daylight saving play no part).
#include "core/bytesize.h"
#include "sync/bandwidthschedule.h"

#include <QTest>

namespace {

using Slot = BandwidthSchedule::Slot;

constexpr qint64 K = 1024;
constexpr qint64 M = 1024 * K;
constexpr qint64 G = 1024 * M;

// Day 1 is Monday 2026-11-30 ... day 7 Sunday 2026-12-06, day 8 the next Monday.
QDateTime at(int day, int hour, int minute, int second = 0)
{
    return QDateTime(QDate(2026, 11, 29).addDays(day), QTime(hour, minute, second), Qt::UTC);
}

BandwidthSchedule schedule(const QString &text)
{
    const auto parsed = BandwidthSchedule::parse(text);
    if (!parsed)
        qFatal("test schedule '%s' does not parse: %s", qPrintable(text), qPrintable(parsed.error().message));
    return parsed.value();
}

// The rate in force, or -1 when nothing is.
qint64 rateAt(const BandwidthSchedule &schedule, const QDateTime &time)
{
    const auto slot = schedule.activeAt(time);
    return slot ? slot->bytesPerSecond : -1;
}

} // namespace

// For QCOMPARE's failure messages: found by argument-dependent lookup, so in Slot's (global) namespace.
char *toString(const BandwidthSchedule::Slot &slot)
{
    return qstrdup(qPrintable(slot.text()));
}

class TestBandwidthSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void byteSizeParse_data();
    void byteSizeParse();
    void byteSizeFormat_data();
    void byteSizeFormat();
    void parsesValidForms_data();
    void parsesValidForms();
    void rejectsBadEntries_data();
    void rejectsBadEntries();
    void blankIsEmpty();
    void activeAt_data();
    void activeAt();
    void nextChangeAfter_data();
    void nextChangeAfter();
    void nextChangeKeepsTimeSpec();
    void toStringRoundTrips_data();
    void toStringRoundTrips();
};

void TestBandwidthSchedule::byteSizeParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bytes");
    QTest::newRow("bytes") << QStringLiteral("8388608") << qint64(8388608);
    QTest::newRow("K") << QStringLiteral("512K") << 512 * K;
    QTest::newRow("M") << QStringLiteral("10M") << 10 * M;
    QTest::newRow("G") << QStringLiteral("1G") << G;
    QTest::newRow("lower case") << QStringLiteral("8m") << 8 * M;
    QTest::newRow("MiB") << QStringLiteral("8MiB") << 8 * M;
    QTest::newRow("MB is binary too") << QStringLiteral("8MB") << 8 * M;
    QTest::newRow("blanks") << QStringLiteral(" 8 M ") << 8 * M;
    QTest::newRow("zero") << QStringLiteral("0") << qint64(0);
    QTest::newRow("empty") << QString() << qint64(-1);
    QTest::newRow("negative") << QStringLiteral("-1M") << qint64(-1);
    QTest::newRow("fraction") << QStringLiteral("1.5M") << qint64(-1);
    QTest::newRow("unknown unit") << QStringLiteral("1T") << qint64(-1);
    QTest::newRow("word") << QStringLiteral("off") << qint64(-1);
    QTest::newRow("overflow by shift") << QStringLiteral("9000000000G") << qint64(-1);
    QTest::newRow("overflow digits") << QStringLiteral("99999999999999999999") << qint64(-1);
}

void TestBandwidthSchedule::byteSizeParse()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    QCOMPARE(ByteSize::parse(text), bytes);
}

void TestBandwidthSchedule::byteSizeFormat_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("0");
    QTest::newRow("bytes") << qint64(1000) << QStringLiteral("1000");
    QTest::newRow("not a whole K") << qint64(1536) << QStringLiteral("1536");
    QTest::newRow("K") << 512 * K << QStringLiteral("512K");
    QTest::newRow("1.5M is K") << 1536 * K << QStringLiteral("1536K");
    QTest::newRow("M") << 10 * M << QStringLiteral("10M");
    QTest::newRow("1024M is G") << 1024 * M << QStringLiteral("1G");
    QTest::newRow("G") << 5 * G << QStringLiteral("5G");
}

void TestBandwidthSchedule::byteSizeFormat()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, text);
    QCOMPARE(ByteSize::format(bytes), text);
    QCOMPARE(ByteSize::parse(text), bytes); // exact: what is written reads back the same
}

void TestBandwidthSchedule::parsesValidForms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<Slot>>("slots");
    QTest::newRow("daily") << QStringLiteral("08:00,10M 20:00,off")
                           << QList<Slot>{{0, 8 * 60, 10 * M}, {0, 20 * 60, 0}};
    QTest::newRow("sorted") << QStringLiteral("20:00,off 08:00,10M")
                            << QList<Slot>{{0, 8 * 60, 10 * M}, {0, 20 * 60, 0}};
    QTest::newRow("weekdays") << QStringLiteral("Sat-10:00,off Mon-08:00,512K")
                              << QList<Slot>{{1, 8 * 60, 512 * K}, {6, 10 * 60, 0}};
    QTest::newRow("day names any case, full names")
        << QStringLiteral("sunday-23:59,1G TUE-00:00,1K") << QList<Slot>{{2, 0, K}, {7, 23 * 60 + 59, G}};
    QTest::newRow("daily before weekday")
        << QStringLiteral("Mon-09:00,1M 08:00,2M") << QList<Slot>{{0, 8 * 60, 2 * M}, {1, 9 * 60, M}};
    QTest::newRow("daily and weekday at the same time")
        << QStringLiteral("08:00,2M Mon-08:00,1M") << QList<Slot>{{0, 8 * 60, 2 * M}, {1, 8 * 60, M}};
    QTest::newRow("one-digit hour, blanks")
        << QStringLiteral("  8:05,1MiB\t\n21:30,OFF ") << QList<Slot>{{0, 8 * 60 + 5, M}, {0, 21 * 60 + 30, 0}};
    QTest::newRow("lone rate") << QStringLiteral("10M") << QList<Slot>{{0, 0, 10 * M}};
    QTest::newRow("lone off") << QStringLiteral("off") << QList<Slot>{{0, 0, 0}};
}

void TestBandwidthSchedule::parsesValidForms()
{
    QFETCH(QString, text);
    QFETCH(QList<Slot>, slots);
    const auto parsed = BandwidthSchedule::parse(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error().message));
    QCOMPARE(parsed.value().slots(), slots);
    QVERIFY(!parsed.value().isEmpty());
}

void TestBandwidthSchedule::rejectsBadEntries_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("badEntry");
    QTest::addColumn<QString>("reason"); // a word of the message that says which kind of mistake
    QTest::newRow("hour 24") << QStringLiteral("08:00,1M 24:00,off") << QStringLiteral("24:00,off")
                             << QStringLiteral("time");
    QTest::newRow("minute 60") << QStringLiteral("08:60,1M") << QStringLiteral("08:60,1M") << QStringLiteral("time");
    QTest::newRow("one-digit minute") << QStringLiteral("08:5,1M") << QStringLiteral("08:5,1M")
                                      << QStringLiteral("time");
    QTest::newRow("no minutes") << QStringLiteral("08,1M") << QStringLiteral("08,1M") << QStringLiteral("time");
    QTest::newRow("empty time") << QStringLiteral(",1M") << QStringLiteral(",1M") << QStringLiteral("time");
    QTest::newRow("bad day") << QStringLiteral("Mo-08:00,1M") << QStringLiteral("Mo-08:00,1M") << QStringLiteral("day");
    QTest::newRow("empty day") << QStringLiteral("-08:00,1M") << QStringLiteral("-08:00,1M") << QStringLiteral("day");
    QTest::newRow("bad rate") << QStringLiteral("08:00,fast") << QStringLiteral("08:00,fast") << QStringLiteral("rate");
    QTest::newRow("empty rate") << QStringLiteral("08:00,") << QStringLiteral("08:00,") << QStringLiteral("rate");
    QTest::newRow("zero rate") << QStringLiteral("08:00,0") << QStringLiteral("08:00,0") << QStringLiteral("rate");
    QTest::newRow("lone zero") << QStringLiteral("0") << QStringLiteral("0") << QStringLiteral("rate");
    QTest::newRow("lone bad rate") << QStringLiteral("10X") << QStringLiteral("10X") << QStringLiteral("rate");
    QTest::newRow("time without rate") << QStringLiteral("08:00") << QStringLiteral("08:00")
                                       << QStringLiteral("HH:MM,RATE");
    QTest::newRow("lone rate among entries")
        << QStringLiteral("08:00,1M 10M") << QStringLiteral("10M") << QStringLiteral("HH:MM,RATE");
    QTest::newRow("same time twice") << QStringLiteral("08:00,1M 20:00,off 08:00,2M") << QStringLiteral("08:00,2M")
                                     << QStringLiteral("already");
    QTest::newRow("same weekday time twice") << QStringLiteral("Mon-08:00,1M monday-8:00,2M")
                                             << QStringLiteral("monday-8:00,2M") << QStringLiteral("already");
}

void TestBandwidthSchedule::rejectsBadEntries()
{
    QFETCH(QString, text);
    QFETCH(QString, badEntry);
    QFETCH(QString, reason);
    const auto parsed = BandwidthSchedule::parse(text);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, SyncError::Code::InvalidInput);
    const QString message = parsed.error().message;
    QVERIFY2(message.contains(QLatin1Char('\'') + badEntry + QLatin1Char('\'')), qPrintable(message));
    QVERIFY2(message.contains(reason), qPrintable(message));
}

void TestBandwidthSchedule::blankIsEmpty()
{
    for (const QString &text : {QString(), QStringLiteral(" \t\n ")}) {
        const auto parsed = BandwidthSchedule::parse(text);
        QVERIFY(parsed.ok());
        QVERIFY(parsed.value().isEmpty());
        QVERIFY(parsed.value().slots().isEmpty());
        QVERIFY(!parsed.value().activeAt(at(1, 12, 0)).has_value());
        QVERIFY(!parsed.value().nextChangeAfter(at(1, 12, 0)).isValid());
        QCOMPARE(parsed.value().toString(), QString());
    }
}

void TestBandwidthSchedule::activeAt_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<qint64>("rate");
    const QString daily = QStringLiteral("08:00,10M 20:00,off");
    QTest::newRow("daily: at the entry") << daily << at(3, 8, 0) << 10 * M;
    QTest::newRow("daily: within") << daily << at(3, 19, 59, 59) << 10 * M;
    QTest::newRow("daily: second entry") << daily << at(3, 20, 0) << qint64(0);
    QTest::newRow("daily: before the first, yesterday's last") << daily << at(3, 7, 59) << qint64(0);
    QTest::newRow("daily: Monday midnight wraps to Sunday") << daily << at(1, 0, 0) << qint64(0);

    const QString nightly = QStringLiteral("01:00,1M 23:00,5M");
    QTest::newRow("nightly: before 01:00 is 23:00's") << nightly << at(4, 0, 30) << 5 * M;
    QTest::newRow("nightly: day") << nightly << at(4, 12, 0) << M;

    const QString weekly = QStringLiteral("Mon-08:00,512K Sat-10:00,off");
    QTest::newRow("weekly: Monday before 08:00 is Saturday's") << weekly << at(1, 7, 59) << qint64(0);
    QTest::newRow("weekly: Monday 08:00") << weekly << at(1, 8, 0) << 512 * K;
    QTest::newRow("weekly: Friday night") << weekly << at(5, 23, 59) << 512 * K;
    QTest::newRow("weekly: Saturday before 10:00") << weekly << at(6, 9, 59) << 512 * K;
    QTest::newRow("weekly: Saturday 10:00") << weekly << at(6, 10, 0) << qint64(0);
    QTest::newRow("weekly: Sunday late") << weekly << at(7, 23, 59, 59) << qint64(0);
    QTest::newRow("weekly: next Monday") << weekly << at(8, 8, 0) << 512 * K;

    const QString backwards = QStringLiteral("Sun-22:00,2M Mon-06:00,off");
    QTest::newRow("Sun->Mon: Monday 05:59 is Sunday's") << backwards << at(8, 5, 59) << 2 * M;
    QTest::newRow("Sun->Mon: Monday 06:00") << backwards << at(8, 6, 0) << qint64(0);
    QTest::newRow("Sun->Mon: Sunday before 22:00") << backwards << at(7, 21, 0) << qint64(0);

    const QString mixed = QStringLiteral("08:00,10M 20:00,off Sat-09:00,1M Mon-08:00,2M");
    QTest::newRow("mixed: weekday wins at the same time") << mixed << at(1, 8, 0) << 2 * M;
    QTest::newRow("mixed: daily again at 20:00 Monday") << mixed << at(1, 20, 0) << qint64(0);
    QTest::newRow("mixed: Tuesday is daily") << mixed << at(2, 8, 0) << 10 * M;
    QTest::newRow("mixed: Saturday 08:30 daily") << mixed << at(6, 8, 30) << 10 * M;
    QTest::newRow("mixed: Saturday 09:00 weekday") << mixed << at(6, 9, 0) << M;
    QTest::newRow("mixed: Saturday 20:00 daily again") << mixed << at(6, 20, 0) << qint64(0);
    QTest::newRow("mixed: Sunday 07:00 Saturday night's daily") << mixed << at(7, 7, 0) << qint64(0);

    const QString busy = QStringLiteral("08:00,10M 12:00,1M 16:00,3M 20:00,off Mon-08:00,2M Wed-12:00,5K Sun-20:00,7K");
    QTest::newRow("busy: Monday 08:00 weekday") << busy << at(1, 8, 0) << 2 * M;
    QTest::newRow("busy: Wednesday 12:00 weekday") << busy << at(3, 12, 0) << 5 * K;
    QTest::newRow("busy: Wednesday 16:00 daily") << busy << at(3, 16, 0) << 3 * M;
    QTest::newRow("busy: Sunday 20:00 weekday") << busy << at(7, 20, 0) << 7 * K;
    QTest::newRow("busy: Monday 07:00 Sunday's") << busy << at(8, 7, 0) << 7 * K;
    QTest::newRow("busy: Thursday 12:00 daily") << busy << at(4, 12, 0) << M;
    QTest::newRow("weekday only: before it, it still holds") << QStringLiteral("Wed-12:00,3M") << at(1, 0, 0) << 3 * M;
    QTest::newRow("lone rate: Monday midnight") << QStringLiteral("10M") << at(1, 0, 0) << 10 * M;
    QTest::newRow("lone rate: Sunday night") << QStringLiteral("10M") << at(7, 23, 59) << 10 * M;
    QTest::newRow("lone off") << QStringLiteral("off") << at(4, 12, 0) << qint64(0);
}

void TestBandwidthSchedule::activeAt()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, time);
    QFETCH(qint64, rate);
    QCOMPARE(rateAt(schedule(text), time), rate);
}

void TestBandwidthSchedule::nextChangeAfter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QDateTime>("next");
    const QString daily = QStringLiteral("08:00,10M 20:00,off");
    QTest::newRow("daily: later today") << daily << at(3, 9, 0) << at(3, 20, 0);
    QTest::newRow("daily: a second before") << daily << at(3, 7, 59, 59) << at(3, 8, 0);
    QTest::newRow("daily: at the change, the next one") << daily << at(3, 8, 0) << at(3, 20, 0);
    QTest::newRow("daily: tomorrow") << daily << at(3, 21, 0) << at(4, 8, 0);
    QTest::newRow("daily: Sunday night to Monday") << daily << at(7, 21, 0) << at(8, 8, 0);

    const QString weekly = QStringLiteral("Mon-08:00,512K Sat-10:00,off");
    QTest::newRow("weekly: days ahead") << weekly << at(2, 8, 0) << at(6, 10, 0);
    QTest::newRow("weekly: across Sunday") << weekly << at(6, 10, 0) << at(8, 8, 0);
    QTest::newRow("weekly: Monday before its entry") << weekly << at(1, 7, 0) << at(1, 8, 0);

    const QString mixed = QStringLiteral("08:00,10M Mon-08:00,2M");
    QTest::newRow("mixed: Monday's override ends Tuesday") << mixed << at(1, 9, 0) << at(2, 8, 0);
    QTest::newRow("mixed: daily until next Monday") << mixed << at(2, 9, 0) << at(8, 8, 0);

    QTest::newRow("same rate, other slot still a change")
        << QStringLiteral("08:00,1M 20:00,1M") << at(3, 9, 0) << at(3, 20, 0);
    QTest::newRow("one daily slot never changes") << QStringLiteral("08:00,10M") << at(3, 9, 0) << QDateTime();
    QTest::newRow("one weekday slot never changes") << QStringLiteral("Mon-08:00,1M") << at(3, 9, 0) << QDateTime();
    QTest::newRow("lone rate never changes") << QStringLiteral("10M") << at(3, 9, 0) << QDateTime();
}

void TestBandwidthSchedule::nextChangeAfter()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, time);
    QFETCH(QDateTime, next);
    const BandwidthSchedule parsed = schedule(text);
    const QDateTime change = parsed.nextChangeAfter(time);
    QCOMPARE(change, next);
    if (next.isValid()) {
        // The change is real: just before it one slot holds, at it another.
        QVERIFY(change > time);
        QVERIFY(parsed.activeAt(change.addSecs(-1)) != parsed.activeAt(change));
        QCOMPARE(parsed.activeAt(change.addSecs(-1)), parsed.activeAt(time));
    }
}

void TestBandwidthSchedule::nextChangeKeepsTimeSpec()
{
    const QDateTime time(QDate(2026, 12, 2), QTime(9, 0), Qt::OffsetFromUTC, 3600);
    const QDateTime change = schedule(QStringLiteral("08:00,10M 20:00,off")).nextChangeAfter(time);
    QCOMPARE(change.timeSpec(), Qt::OffsetFromUTC);
    QCOMPARE(change.offsetFromUtc(), 3600);
    QCOMPARE(change.time(), QTime(20, 0)); // wall clock, not 20:00 UTC
}

void TestBandwidthSchedule::toStringRoundTrips_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("daily") << QStringLiteral("20:00,OFF 8:00,10MiB") << QStringLiteral("08:00,10M 20:00,off");
    QTest::newRow("weekdays") << QStringLiteral("saturday-10:00,off mon-08:00,524288")
                              << QStringLiteral("Mon-08:00,512K Sat-10:00,off");
    QTest::newRow("mixed") << QStringLiteral("Sun-23:59,1536 00:00,1024M") << QStringLiteral("00:00,1G Sun-23:59,1536");
    QTest::newRow("lone rate") << QStringLiteral(" 10m ") << QStringLiteral("10M");
    QTest::newRow("lone off") << QStringLiteral("Off") << QStringLiteral("off");
    QTest::newRow("midnight daily alone reads as a lone rate") << QStringLiteral("00:00,5M") << QStringLiteral("5M");
    QTest::newRow("empty") << QStringLiteral(" ") << QString();
}

void TestBandwidthSchedule::toStringRoundTrips()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    const BandwidthSchedule parsed = schedule(text);
    QCOMPARE(parsed.toString(), canonical);
    QCOMPARE(schedule(parsed.toString()), parsed);
    QCOMPARE(schedule(parsed.toString()).toString(), canonical);
    QStringList texts;
    for (const Slot &slot : parsed.slots())
        texts.append(slot.text());
    QCOMPARE(schedule(texts.join(QLatin1Char(' '))), parsed); // each slot's text reads back as that slot
}

QTEST_GUILESS_MAIN(TestBandwidthSchedule)
#include "tst_bandwidthschedule.moc"

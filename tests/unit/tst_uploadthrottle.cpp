// UploadThrottle's rules, with the time given: recording entered and left by command, by a command's end and by a
// watched folder's growth; the recording limit (the command's, the configured one, a tenth of the measured uplink);
// 0 holds; the bandwidth schedule's slot in place of the fixed limit. No clocks, disks or networks.
#include "sync/uploadthrottle.h"

#include <QTest>

namespace {

constexpr qint64 kMiB = 1024 * 1024;

// A local wall-clock time on 4 December 2026 (a Friday), as UTC: what the engine's clock gives.
QDateTime at(int hour, int minute, int second = 0)
{
    return QDateTime(QDate(2026, 12, 4), QTime(hour, minute, second), Qt::LocalTime).toUTC();
}

RecordingCommand recording(qint64 limit = -1, const QDateTime &until = {})
{
    return RecordingCommand{true, limit, until};
}

BandwidthSchedule schedule(const QString &text)
{
    auto parsed = BandwidthSchedule::parse(text);
    if (!parsed)
        qFatal("bad schedule in the test: %s", qPrintable(parsed.error().message));
    return parsed.value();
}

} // namespace

class TestUploadThrottle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalRunsAtTheFixedLimit();
    void commandEntersAndNormalLeaves();
    void commandEndsAtItsUntil();
    void recordingLimitSources();
    void recordingNeverRaisesALowerLimit();
    void zeroHolds();
    void folderGrowthRecordsUntilTheFoldersSettle();
    void normalOverrulesGrowthUntilItSettles();
    void scheduleSlotReplacesTheFixedLimit();
    void sinceCarriesOverWhileTheModeStays();
};

void TestUploadThrottle::normalRunsAtTheFixedLimit()
{
    UploadThrottle throttle;
    throttle.setSettings({5 * kMiB, {}, -1});
    const ThrottleState state = throttle.evaluate(at(9, 0));
    QCOMPARE(state.mode, ThrottleState::Mode::Normal);
    QCOMPARE(state.limitBytesPerSecond, 5 * kMiB);
    QCOMPARE(state.partsPerEpisode, 0);
    QVERIFY(!state.holding);
    QVERIFY(!state.scheduleSlot);
    QVERIFY(!state.since.isValid()); // normal since the engine started
}

void TestUploadThrottle::commandEntersAndNormalLeaves()
{
    UploadThrottle throttle;
    throttle.command(recording(2 * kMiB));
    ThrottleState state = throttle.evaluate(at(9, 0));
    QCOMPARE(state.mode, ThrottleState::Mode::Recording);
    QCOMPARE(state.reason, ThrottleState::Reason::Command);
    QCOMPARE(state.limitBytesPerSecond, 2 * kMiB);
    QCOMPARE(state.partsPerEpisode, 1);
    QCOMPARE(state.since, at(9, 0));
    QVERIFY(!state.until.isValid());

    throttle.command(RecordingCommand{});
    state = throttle.evaluate(at(9, 5));
    QCOMPARE(state.mode, ThrottleState::Mode::Normal);
    QCOMPARE(state.limitBytesPerSecond, qint64(0)); // the fixed limit again: none
    QCOMPARE(state.partsPerEpisode, 0);
    QCOMPARE(state.since, at(9, 5));
}

void TestUploadThrottle::commandEndsAtItsUntil()
{
    UploadThrottle throttle;
    throttle.command(recording(-1, at(9, 30)));
    QCOMPARE(throttle.evaluate(at(9, 0)).until, at(9, 30));
    QVERIFY(throttle.evaluate(at(9, 29, 59)).isRecording());
    QVERIFY(!throttle.evaluate(at(9, 30)).isRecording());
    QVERIFY(!throttle.evaluate(at(9, 31)).isRecording()); // ended for good, not only at that instant
}

void TestUploadThrottle::recordingLimitSources()
{
    UploadThrottle throttle;
    throttle.command(recording());
    // Nothing measured yet.
    QCOMPARE(throttle.evaluate(at(9, 0)).limitBytesPerSecond, UploadThrottle::kUnmeasuredRecordingLimit);
    // A tenth of the best uplink measured.
    throttle.uplinkMeasured(40 * kMiB);
    throttle.uplinkMeasured(20 * kMiB); // a slower stretch does not lower what the link can do
    QCOMPARE(throttle.evaluate(at(9, 0)).limitBytesPerSecond, 4 * kMiB);
    // Never below the floor, however slow the link.
    UploadThrottle slow;
    slow.uplinkMeasured(100 * 1024);
    slow.command(recording());
    QCOMPARE(slow.evaluate(at(9, 0)).limitBytesPerSecond, UploadThrottle::kMinRecordingLimit);
    // The configured limit wins over the measured one; a command's own wins over both.
    throttle.setSettings({0, {}, 3 * kMiB});
    QCOMPARE(throttle.evaluate(at(9, 0)).limitBytesPerSecond, 3 * kMiB);
    throttle.command(recording(kMiB / 2));
    QCOMPARE(throttle.evaluate(at(9, 0)).limitBytesPerSecond, kMiB / 2);
}

void TestUploadThrottle::recordingNeverRaisesALowerLimit()
{
    UploadThrottle throttle;
    throttle.setSettings({kMiB, {}, -1});
    throttle.command(recording(5 * kMiB));
    QCOMPARE(throttle.evaluate(at(9, 0)).limitBytesPerSecond, kMiB);
}

void TestUploadThrottle::zeroHolds()
{
    UploadThrottle throttle;
    throttle.setSettings({0, {}, 0}); // configured: uploads hold while recording
    throttle.command(recording());
    ThrottleState state = throttle.evaluate(at(9, 0));
    QVERIFY(state.isRecording());
    QVERIFY(state.holding);
    QCOMPARE(state.limitBytesPerSecond, qint64(0));
    throttle.command(recording(kMiB)); // a command's limit overrides the hold
    state = throttle.evaluate(at(9, 1));
    QVERIFY(!state.holding);
    QCOMPARE(state.limitBytesPerSecond, kMiB);
    throttle.command(RecordingCommand{});
    QVERIFY(!throttle.evaluate(at(9, 2)).holding);
}

void TestUploadThrottle::folderGrowthRecordsUntilTheFoldersSettle()
{
    UploadThrottle throttle;
    const QDateTime start = at(9, 0);
    throttle.folderLooked(false, start);
    QVERIFY(!throttle.evaluate(start).isRecording());
    throttle.folderLooked(true, start.addMSecs(1000));
    ThrottleState state = throttle.evaluate(start.addMSecs(1000));
    QVERIFY(state.isRecording());
    QCOMPARE(state.reason, ThrottleState::Reason::FolderGrowth);
    QCOMPARE(state.partsPerEpisode, 1);
    // A pause between a recorder's bursts shorter than the hold does not flip the mode.
    throttle.folderLooked(false, start.addMSecs(2000));
    QVERIFY(throttle.evaluate(start.addMSecs(2000)).isRecording());
    throttle.folderLooked(false, start.addMSecs(1000 + UploadThrottle::kGrowthHoldMs));
    QVERIFY(!throttle.evaluate(start.addMSecs(1000 + UploadThrottle::kGrowthHoldMs)).isRecording());
}

void TestUploadThrottle::normalOverrulesGrowthUntilItSettles()
{
    UploadThrottle throttle;
    const QDateTime start = at(9, 0);
    throttle.folderLooked(true, start);
    QVERIFY(throttle.evaluate(start).isRecording());
    throttle.command(RecordingCommand{}); // a person wants full speed while the recorder writes
    throttle.folderLooked(true, start.addMSecs(1000));
    QVERIFY(!throttle.evaluate(start.addMSecs(1000)).isRecording());
    // The folders settle; the next recording switches the mode again.
    const QDateTime settled = start.addMSecs(1000 + UploadThrottle::kGrowthHoldMs);
    throttle.folderLooked(false, settled);
    QVERIFY(!throttle.evaluate(settled).isRecording());
    throttle.folderLooked(true, settled.addMSecs(1000));
    QVERIFY(throttle.evaluate(settled.addMSecs(1000)).isRecording());
    // A command while growing takes over the reason (and its limit).
    throttle.command(recording(kMiB));
    const ThrottleState state = throttle.evaluate(settled.addMSecs(1500));
    QCOMPARE(state.reason, ThrottleState::Reason::Command);
    QCOMPARE(state.limitBytesPerSecond, kMiB);
}

void TestUploadThrottle::scheduleSlotReplacesTheFixedLimit()
{
    UploadThrottle throttle;
    throttle.setSettings({kMiB, schedule(QStringLiteral("08:00,10M 20:00,off")), -1});
    ThrottleState state = throttle.evaluate(at(9, 0));
    QCOMPARE(state.limitBytesPerSecond, 10 * kMiB);
    QVERIFY(state.scheduleSlot);
    QCOMPARE(state.scheduleSlot->text(), QStringLiteral("08:00,10M"));
    state = throttle.evaluate(at(21, 0));
    QCOMPARE(state.limitBytesPerSecond, qint64(0)); // "off": no limit, not the fixed 1 MiB/s
    QCOMPARE(state.scheduleSlot->text(), QStringLiteral("20:00,off"));
    QCOMPARE(throttle.evaluate(at(7, 59)).scheduleSlot->text(), QStringLiteral("20:00,off")); // the night before's
    // Recording under the schedule: the lower of the slot's rate and the recording limit.
    throttle.command(recording(2 * kMiB));
    QCOMPARE(throttle.evaluate(at(9, 0)).limitBytesPerSecond, 2 * kMiB);
    QCOMPARE(throttle.evaluate(at(21, 0)).limitBytesPerSecond, 2 * kMiB);
    throttle.command(recording(20 * kMiB));
    QCOMPARE(throttle.evaluate(at(9, 0)).limitBytesPerSecond, 10 * kMiB);
}

void TestUploadThrottle::sinceCarriesOverWhileTheModeStays()
{
    UploadThrottle throttle;
    throttle.setSettings({0, schedule(QStringLiteral("08:00,10M 20:00,off")), -1});
    throttle.command(recording(kMiB));
    QCOMPARE(throttle.evaluate(at(19, 59)).since, at(19, 59));
    // The slot changes under it; the recording began when it began.
    const ThrottleState later = throttle.evaluate(at(20, 1));
    QCOMPARE(later.since, at(19, 59));
    QCOMPARE(later.scheduleSlot->text(), QStringLiteral("20:00,off"));
}

QTEST_GUILESS_MAIN(TestUploadThrottle)
#include "tst_uploadthrottle.moc"

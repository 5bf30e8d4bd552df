// The one progress text (issue 15): percent rounded down and 100 only when completed, three significant digits,
// real plurals, the API's names for state and stage. Every view uses it, so these are the figures operators read.
#include "sync/progresstext.h"

#include <QTest>

class TestProgressText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void percentIsFlooredAndCompleteOnlyWhenCompleted();
    void sizesHaveThreeSignificantDigits();
    void countsHaveRealPlurals();
    void durationsAndCountdowns();
    void stateAndStageUseTheApiNames();
};

void TestProgressText::percentIsFlooredAndCompleteOnlyWhenCompleted()
{
    QCOMPARE(ProgressText::percent(99'996, 100'000, false), 99); // the CLI once printed 100.0 here
    QCOMPARE(ProgressText::percent(100'000, 100'000, false), 99); // all parts verified, manifest not yet written
    QCOMPARE(ProgressText::percent(100'000, 100'000, true), 100);
    QCOMPARE(ProgressText::percent(0, 0, false), 0);
    QCOMPARE(ProgressText::percent(419, 1000, false), 41);
}

void TestProgressText::sizesHaveThreeSignificantDigits()
{
    QLocale::setDefault(QLocale::c());
    QCOMPARE(ProgressText::size(0), QStringLiteral("0 B"));
    QCOMPARE(ProgressText::size(1023), QStringLiteral("1023 B"));
    QCOMPARE(ProgressText::size(1024), QStringLiteral("1.00 KiB"));
    QCOMPARE(ProgressText::size(qint64(12.34 * 1024 * 1024)), QStringLiteral("12.3 MiB"));
    QCOMPARE(ProgressText::size(500LL * 1024 * 1024), QStringLiteral("500 MiB"));
    // 1 % of 2 GiB reads "20.4 MiB", not "0.0 / 2.0 GiB"; and a size never rounds up past what it is.
    QCOMPARE(ProgressText::size(2LL * 1024 * 1024 * 1024 / 100), QStringLiteral("20.4 MiB"));
    QCOMPARE(ProgressText::size(2LL * 1024 * 1024 * 1024 - 1), QStringLiteral("1.99 GiB"));
    QCOMPARE(ProgressText::amount(1024, 2048), QStringLiteral("1.00 KiB of 2.00 KiB"));
    QCOMPARE(ProgressText::speed(34.0 * 1024 * 1024), QStringLiteral("34.0 MiB/s"));
}

void TestProgressText::countsHaveRealPlurals()
{
    QCOMPARE(ProgressText::count(1, ProgressText::Noun::Episode), QStringLiteral("1 episode"));
    QCOMPARE(ProgressText::count(2, ProgressText::Noun::Episode), QStringLiteral("2 episodes"));
    QCOMPARE(ProgressText::count(0, ProgressText::Noun::File), QStringLiteral("0 files"));
    QCOMPARE(ProgressText::count(1, ProgressText::Noun::Part), QStringLiteral("1 part"));
}

void TestProgressText::durationsAndCountdowns()
{
    QCOMPARE(ProgressText::duration(45), QStringLiteral("45 s"));
    QCOMPARE(ProgressText::duration(63), QStringLiteral("1 min 03 s"));
    QCOMPARE(ProgressText::duration(7500), QStringLiteral("2 h 05 min"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(ProgressText::countdown(now.addSecs(25), now), QStringLiteral("in 25 s"));
    QCOMPARE(ProgressText::countdown(now.addSecs(-5), now), QStringLiteral("now"));
    QCOMPARE(ProgressText::timestamp(QDateTime(QDate(2026, 12, 3), QTime(14, 2, 11, 120), Qt::UTC)),
        QStringLiteral("2026-12-03T14:02:11Z"));
}

void TestProgressText::stateAndStageUseTheApiNames()
{
    EpisodeStatus status;
    status.record.state = EpisodeState::InProgress;
    status.stage = EpisodeStage::Completing;
    QCOMPARE(ProgressText::stateAndStage(status), QStringLiteral("in_progress · completing"));
    status.record.state = EpisodeState::Completed;
    status.stage = EpisodeStage::None;
    QCOMPARE(ProgressText::stateAndStage(status), QStringLiteral("completed"));
    status.record.state = EpisodeState::Scanning; // the count found so far, not "scanning" twice
    status.record.fileCount = 1000;
    status.stage = EpisodeStage::Scanning;
    QCOMPARE(ProgressText::stateAndStage(status), QStringLiteral("scanning · 1000 files"));
    for (int i = int(EpisodeStage::Scanning); i <= int(EpisodeStage::Paused); ++i)
        QCOMPARE(episodeStageFromName(episodeStageName(EpisodeStage(i))), std::optional(EpisodeStage(i)));
    QVERIFY(!episodeStageFromName(QStringLiteral("uploading-ish")));
}

QTEST_GUILESS_MAIN(TestProgressText)
#include "tst_progresstext.moc"

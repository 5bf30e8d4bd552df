// FolderStabilityTracker: snapshots and time in, verdicts out. No disk, no clock.
#include "sync/folderstabilitytracker.h"

#include <QTest>

namespace {

using Verdict = FolderStabilityTracker::Verdict;

const QString kFolder = QStringLiteral("/watch/run-1");
constexpr qint64 kStableMs = 1000;

LocalFile file(const QString &relativePath, qint64 size, qint64 mtimeMs = 1'700'000'000'000)
{
    return {kFolder + QLatin1Char('/') + relativePath, relativePath, size, mtimeMs};
}

FolderSnapshot folder(const QList<LocalFile> &files, bool hasMarker = false, const QString &path = kFolder)
{
    return {path, files, hasMarker, {}};
}

// The one decision of a scan of a single folder.
FolderStabilityTracker::Decision decide(FolderStabilityTracker &tracker, const FolderSnapshot &snapshot, qint64 nowMs)
{
    const auto decisions = tracker.update({snapshot}, nowMs);
    return decisions.size() == 1 ? decisions.first() : FolderStabilityTracker::Decision{};
}

Verdict verdict(FolderStabilityTracker &tracker, const FolderSnapshot &snapshot, qint64 nowMs)
{
    return decide(tracker, snapshot, nowMs).verdict;
}

} // namespace

class TestFolderStabilityTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unchangedForThePeriodIsStable();
    void anyChangeRestartsThePeriod_data();
    void anyChangeRestartsThePeriod();
    void markerIsReadyAtOnce();
    void nothingToUploadIsNeverReady();
    void problemClearsThenWaitsAgain();
    void vanishedFolderStartsOver();
    void foldersAreIndependent();
    void verdictChangedOnlyOnChange();
};

void TestFolderStabilityTracker::unchangedForThePeriodIsStable()
{
    FolderStabilityTracker tracker(kStableMs);
    const FolderSnapshot snapshot = folder({file(QStringLiteral("a.bin"), 10)});
    QCOMPARE(verdict(tracker, snapshot, 5000), Verdict::New); // old mtimes prove nothing: the period starts now
    QCOMPARE(verdict(tracker, snapshot, 5500), Verdict::Waiting);
    QCOMPARE(verdict(tracker, snapshot, 5999), Verdict::Waiting);
    QCOMPARE(verdict(tracker, snapshot, 6000), Verdict::Stable);
    QVERIFY(FolderStabilityTracker::isReady(Verdict::Stable));
    QVERIFY(!FolderStabilityTracker::isReady(Verdict::Waiting));
}

void TestFolderStabilityTracker::anyChangeRestartsThePeriod_data()
{
    QTest::addColumn<QList<LocalFile>>("changed");
    const QList<LocalFile> base{file(QStringLiteral("cam/a.bin"), 100), file(QStringLiteral("imu.bin"), 5)};
    QTest::newRow("file grows") << QList<LocalFile>{file(QStringLiteral("cam/a.bin"), 101), base.at(1)};
    QTest::newRow("mtime only") << QList<LocalFile>{
        file(QStringLiteral("cam/a.bin"), 100, 1'700'000'000'001), base.at(1)};
    QTest::newRow("file added") << QList<LocalFile>{base.at(0), base.at(1), file(QStringLiteral("meta.json"), 1)};
    QTest::newRow("file removed") << QList<LocalFile>{base.at(0)};
    QTest::newRow("file renamed") << QList<LocalFile>{file(QStringLiteral("cam/b.bin"), 100), base.at(1)};
}

void TestFolderStabilityTracker::anyChangeRestartsThePeriod()
{
    QFETCH(QList<LocalFile>, changed);
    FolderStabilityTracker tracker(kStableMs);
    const QList<LocalFile> base{file(QStringLiteral("cam/a.bin"), 100), file(QStringLiteral("imu.bin"), 5)};
    QCOMPARE(verdict(tracker, folder(base), 0), Verdict::New);
    QCOMPARE(verdict(tracker, folder(base), 900), Verdict::Waiting);
    QCOMPARE(verdict(tracker, folder(changed), 950), Verdict::Changed);
    QCOMPARE(verdict(tracker, folder(changed), 1500), Verdict::Waiting); // 1000 after the start, 550 after the change
    QCOMPARE(verdict(tracker, folder(changed), 1949), Verdict::Waiting);
    QCOMPARE(verdict(tracker, folder(changed), 1950), Verdict::Stable);
}

void TestFolderStabilityTracker::markerIsReadyAtOnce()
{
    FolderStabilityTracker tracker(kStableMs);
    const QList<LocalFile> files{file(QStringLiteral("a.bin"), 10)};
    QCOMPARE(verdict(tracker, folder(files, true), 0), Verdict::Marked); // first sight
    FolderStabilityTracker later(kStableMs);
    QCOMPARE(verdict(later, folder(files), 0), Verdict::New);
    QCOMPARE(verdict(later, folder(files, true), 10), Verdict::Marked); // appeared while waiting
    QVERIFY(FolderStabilityTracker::isReady(Verdict::Marked));
}

void TestFolderStabilityTracker::nothingToUploadIsNeverReady()
{
    FolderStabilityTracker tracker(kStableMs);
    QCOMPARE(verdict(tracker, folder({}), 0), Verdict::NoFiles);
    QCOMPARE(verdict(tracker, folder({}), 10'000), Verdict::NoFiles);
    QCOMPARE(verdict(tracker, folder({}, true), 20'000), Verdict::NoFiles); // a marker alone is no episode
}

void TestFolderStabilityTracker::problemClearsThenWaitsAgain()
{
    FolderStabilityTracker tracker(kStableMs);
    FolderSnapshot unreadable = folder({});
    unreadable.problem = QStringLiteral("/watch/run-1/a.bin is not readable");
    QCOMPARE(verdict(tracker, unreadable, 0), Verdict::NoFiles);
    QCOMPARE(verdict(tracker, unreadable, 5000), Verdict::NoFiles);
    const FolderSnapshot fine = folder({file(QStringLiteral("a.bin"), 10)});
    QCOMPARE(verdict(tracker, fine, 5100), Verdict::Changed);
    QCOMPARE(verdict(tracker, fine, 6000), Verdict::Waiting);
    QCOMPARE(verdict(tracker, fine, 6100), Verdict::Stable);
}

void TestFolderStabilityTracker::vanishedFolderStartsOver()
{
    FolderStabilityTracker tracker(kStableMs);
    const FolderSnapshot snapshot = folder({file(QStringLiteral("a.bin"), 10)});
    QCOMPARE(verdict(tracker, snapshot, 0), Verdict::New);
    QVERIFY(tracker.update({}, 500).isEmpty()); // gone (or moved away) for one scan
    QCOMPARE(verdict(tracker, snapshot, 1000), Verdict::New); // not stable at 1000: it was not watched throughout
    QCOMPARE(verdict(tracker, snapshot, 2000), Verdict::Stable);
}

void TestFolderStabilityTracker::foldersAreIndependent()
{
    FolderStabilityTracker tracker(kStableMs);
    const QString other = QStringLiteral("/watch/run-2");
    const FolderSnapshot first = folder({file(QStringLiteral("a.bin"), 10)});
    FolderSnapshot second = folder({file(QStringLiteral("b.bin"), 20)}, false, other);
    tracker.update({first, second}, 0);
    second.files = {file(QStringLiteral("b.bin"), 21)};
    tracker.update({first, second}, 600);
    const auto decisions = tracker.update({first, second}, 1000);
    QCOMPARE(decisions.size(), 2);
    QCOMPARE(decisions.at(0).path, kFolder);
    QCOMPARE(decisions.at(0).verdict, Verdict::Stable);
    QCOMPARE(decisions.at(1).path, other);
    QCOMPARE(decisions.at(1).verdict, Verdict::Waiting);
}

void TestFolderStabilityTracker::verdictChangedOnlyOnChange()
{
    FolderStabilityTracker tracker(kStableMs);
    const FolderSnapshot snapshot = folder({file(QStringLiteral("a.bin"), 10)});
    QVERIFY(decide(tracker, snapshot, 0).verdictChanged); // New
    QVERIFY(decide(tracker, snapshot, 100).verdictChanged); // Waiting, first time
    QVERIFY(!decide(tracker, snapshot, 200).verdictChanged); // Waiting again
    QVERIFY(decide(tracker, folder({}), 300).verdictChanged); // NoFiles
    QVERIFY(!decide(tracker, folder({}), 400).verdictChanged);
}

QTEST_APPLESS_MAIN(TestFolderStabilityTracker)
#include "tst_folderstabilitytracker.moc"

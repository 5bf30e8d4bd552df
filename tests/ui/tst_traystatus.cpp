// TrayStatus over a real engine and the strict S3 server: the tooltip summarises progress, a failed episode and
// the end of a batch are notified. (Offscreen has no tray to show the icon in; the texts and the notified()
// signal are what is checked.)
#include "traystatus.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QSignalSpy>

using namespace UiTest;

class TestTrayStatus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void summaryText();
    void notifiesFailureAndBatchEnd();

private:
    StrictServerFixture m_fixture;
};

void TestTrayStatus::initTestCase()
{
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestTrayStatus::summaryText()
{
    EpisodeStatus uploading;
    uploading.record.state = EpisodeState::InProgress;
    uploading.progress = TransferProgress{};
    uploading.progress->committedBytes = 25 * kMiB;
    uploading.progress->totalBytes = 100 * kMiB;
    uploading.progress->bytesPerSecond = 2.0 * double(kMiB);
    EpisodeStatus failed;
    failed.record.state = EpisodeState::Failed;
    EpisodeStatus completed;
    completed.record.state = EpisodeState::Completed;

    const QString text = TrayStatus::summaryText({uploading, failed, completed, completed});
    QVERIFY2(text.contains(QLatin1String("1 uploading")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("25 %")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("1 failed")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("2 completed")), qPrintable(text));
    QVERIFY(TrayStatus::summaryText({}).contains(QLatin1String("Idle")));
}

void TestTrayStatus::notifiesFailureAndBatchEnd()
{
    QTemporaryDir dir;
    auto engine = openEngine(engineConfig(m_fixture.server(), dir));
    QVERIFY(engine);
    TrayStatus tray(*engine, nullptr);
    QSignalSpy notified(&tray, &TrayStatus::notified);

    const qint64 good = registerEpisode(*engine, writeEpisodeFile(dir, QStringLiteral("good.bin"), 2 * kMiB));
    QVERIFY(good > 0);
    engine->enqueue(good);
    QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 30000);
    QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("Uploads finished"));
    QVERIFY(notified.at(0).at(1).toString().contains(QLatin1String("1 episode")));
    QTRY_VERIFY(tray.toolTip().contains(QLatin1String("1 completed")));

    QVERIFY(m_fixture.server().injectFault(accessDenied(QStringLiteral("PutObject"))));
    const qint64 bad = registerEpisode(*engine, writeEpisodeFile(dir, QStringLiteral("bad.bin"), 1 * kMiB));
    QVERIFY(bad > 0); // a registered episode starts by itself: no enqueue, which would retry a quick failure
    QTRY_VERIFY_WITH_TIMEOUT(notified.size() >= 2, 30000);
    QCOMPARE(notified.at(1).at(0).toString(), QStringLiteral("Upload failed: bad.bin"));
    QVERIFY2(notified.at(1).at(1).toString().contains(QLatin1String("AccessDenied")),
        qPrintable(notified.at(1).at(1).toString()));
    QTRY_VERIFY(tray.toolTip().contains(QLatin1String("1 failed")));
    QVERIFY(m_fixture.server().clearFaults());
}

QTEST_MAIN(TestTrayStatus)
#include "tst_traystatus.moc"

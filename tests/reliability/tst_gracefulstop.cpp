// Graceful stop of the headless console: a real `keystone-console --server`, started with no display at all, gets
// SIGTERM while parts are on the wire. It must exit 0 within its grace period after letting those parts finish and
// recording them, so that a restart completes the episode without sending any verified part a second time.
#include "apiclient.h"
#include "consoleserverprocess.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "testdata.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

namespace {

using TestData::kMiB;

constexpr qint64 kFileSize = 40 * kMiB;
constexpr qint64 kPartSize = 5 * kMiB;
constexpr int kParts = int(kFileSize / kPartSize);
constexpr int kGraceSeconds = 10;

int partsCompleted(ApiClient &client, qint64 id)
{
    return client.episodeStatus(id)
        .value(QStringLiteral("progress"))
        .toObject()
        .value(QStringLiteral("parts_completed"))
        .toInt();
}

} // namespace

class TestGracefulStop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sigtermLetsPartsInFlightFinishAndRestartResumes();

private:
    StrictServerFixture m_fixture;
};

void TestGracefulStop::initTestCase()
{
    // ConsoleServerProcess starts the child without DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM (CTest sets an
    // offscreen platform for the widget tests), so --server proves it needs no display.
    QVERIFY(m_fixture.makeDir());
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestGracefulStop::sigtermLetsPartsInFlightFinishAndRestartResumes()
{
    const QString source = m_fixture.filePath(QStringLiteral("graceful.bin"));
    const QByteArray data = TestData::randomBytes(kFileSize, 77);
    QVERIFY(TestData::writeFile(source, data));
    // Slow parts (each answer held 400 ms) so that the signal surely finds parts on the wire.
    QVERIFY(m_fixture.server().injectFault(TestData::fault(QStringLiteral("UploadPart"), QStringLiteral("stall"),
        {{QStringLiteral("stall_ms"), 400}, {QStringLiteral("times"), -1}})));
    const QString dataDir = m_fixture.filePath(QStringLiteral("console-data"));
    const QStringList options{QStringLiteral("--part-size"), QString::number(kPartSize), QStringLiteral("--max-parts"),
        QStringLiteral("2"), QStringLiteral("--concurrency"), QStringLiteral("2"), QStringLiteral("--key-prefix"),
        QStringLiteral("graceful"), QStringLiteral("--shutdown-grace"), QString::number(kGraceSeconds)};

    ConsoleServerProcess first(m_fixture.server(), dataDir, options);
    QString error;
    QVERIFY2(first.start(&error), qPrintable(error));
    ApiClient client(first.apiBase(), first.token());
    QCOMPARE(client.get(QStringLiteral("/health")).status, 200);
    const HttpReply registered = client.registerEpisode(source, QStringLiteral("graceful"));
    QVERIFY2(registered.status == 201, registered.body.constData());
    const qint64 id = registered.json().value(QStringLiteral("episode_id")).toInteger();
    QTRY_VERIFY_WITH_TIMEOUT(partsCompleted(client, id) >= 2, 30000);
    QVERIFY(partsCompleted(client, id) < kParts);

    QElapsedTimer stopping;
    stopping.start();
    QCOMPARE(first.terminate((kGraceSeconds + 5) * 1000), 0);
    const qint64 stopMs = stopping.elapsed();
    // Within the grace period plus a margin for a loaded machine (ctest -j2); terminate() would kill it at +5 s.
    QVERIFY2(stopMs < (kGraceSeconds + 4) * 1000, qPrintable(QStringLiteral("stopped after %1 ms").arg(stopMs)));
    QVERIFY2(first.output().contains("stopping"), first.output().constData());
    QVERIFY(m_fixture.server().clearFaults());

    ConsoleServerProcess second(m_fixture.server(), dataDir, options);
    QVERIFY2(second.start(&error), qPrintable(error));
    ApiClient resumed(second.apiBase(), second.token());
    QTRY_COMPARE_WITH_TIMEOUT(
        resumed.episodeStatus(id).value(QStringLiteral("status")).toString(), QStringLiteral("completed"), 60000);
    QCOMPARE(second.terminate(), 0);

    const QString key = QStringLiteral("graceful/graceful/graceful.bin");
    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(key, &stored));
    QVERIFY(stored == data);
    const QJsonObject uploads = m_fixture.server().partCounts(QStringLiteral("part_uploads"), key);
    QCOMPARE(uploads.size(), kParts);
    for (auto it = uploads.constBegin(); it != uploads.constEnd(); ++it)
        QVERIFY2(it.value().toInt() == 1,
            qPrintable(QStringLiteral("part %1 sent %2 times").arg(it.key()).arg(it.value().toInt())));
    qInfo("graceful stop: %lld ms after SIGTERM (grace %d s); %d parts, each sent once", stopMs, kGraceSeconds, kParts);
}

QTEST_GUILESS_MAIN(TestGracefulStop)
#include "tst_gracefulstop.moc"

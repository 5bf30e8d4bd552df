// Complete-stage faults (issue 8): a CompleteMultipartUpload answered with 500 (or issue 18: with a 200 whose body
// is empty or not XML) is retried safely, also when the first Complete went through and only its answer was lost; an
// InvalidPart at Complete (the server lost a part) re-sends only that part. Each case ends with one byte-identical
// object, no part lost, no multipart upload left behind.
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QTemporaryDir>
#include <QTest>

using TestData::fault;
using TestData::kMiB;

class TestCompleteFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void completeFaultIsRepaired_data();
    void completeFaultIsRepaired();

private:
    StrictServerFixture m_fixture;
};

void TestCompleteFaults::initTestCase()
{
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestCompleteFaults::init()
{
    QVERIFY(m_fixture.makeDir());
    QVERIFY(m_fixture.resetServer());
}

void TestCompleteFaults::completeFaultIsRepaired_data()
{
    const QString complete = QStringLiteral("CompleteMultipartUpload");
    const auto error500 = [&](bool processed) {
        return fault(complete, QStringLiteral("status"),
            {{QStringLiteral("status"), 500}, {QStringLiteral("code"), QStringLiteral("InternalError")},
                {QStringLiteral("times"), processed ? 1 : 2}, {QStringLiteral("process"), processed}});
    };
    QTest::addColumn<QJsonObject>("rule");
    QTest::addColumn<int>("completes"); // CompleteMultipartUpload requests the server must see
    QTest::addColumn<int>("resentPart"); // the part sent twice (0: none)
    QTest::newRow("500 twice") << error500(false) << 3 << 0;
    // The object is made, the answer is lost; the retry meets NoSuchUpload and HEADs the object instead.
    QTest::newRow("500 after completing") << error500(true) << 2 << 0;
    // A 200 that is no CompleteMultipartUploadResult (issue 18) is a protocol error, retried within the attempt.
    QTest::newRow("200 with an empty body") << fault(complete, QStringLiteral("garbled")) << 2 << 0;
    // ... also when the server had completed: the retry meets NoSuchUpload, HEAD finds the object ours.
    QTest::newRow("200 with HTML after completing") << fault(complete, QStringLiteral("garbled"),
        {{QStringLiteral("body"), QStringLiteral("<html><body><h1>502 Bad Gateway</h1><hr></body></html>")},
            {QStringLiteral("process"), true}}) << 2 << 0;
    QTest::newRow("InvalidPart, part 2 lost")
        << fault(complete, QStringLiteral("drop_part"), {{QStringLiteral("part_number"), 2}}) << 2 << 2;
}

void TestCompleteFaults::completeFaultIsRepaired()
{
    QFETCH(QJsonObject, rule);
    QFETCH(int, completes);
    QFETCH(int, resentPart);
    QString error;
    QVERIFY2(m_fixture.server().injectFault(rule, &error), qPrintable(error));

    const QString prefix = QStringLiteral("reliability/complete/%1").arg(QString::fromLatin1(QTest::currentDataTag()));
    SyncConfig config = m_fixture.syncConfig(prefix);
    config.upload.singlePutThreshold = 5 * kMiB;
    const QString path = m_fixture.filePath(QStringLiteral("ep.bin"));
    const QByteArray data = TestData::randomBytes(14 * kMiB + 5, 31); // parts of 5, 5 and 4 MiB
    QVERIFY(TestData::writeFile(path, data));

    auto engine = TestData::openSyncEngine(config);
    QVERIFY(engine);
    const qint64 id = TestData::registerEpisode(*engine, path, QStringLiteral("ep.bin"));
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT(engine->status(id)->record.state != EpisodeState::Pending
            && engine->status(id)->record.state != EpisodeState::InProgress,
        30000);
    const EpisodeRecord record = engine->status(id)->record;
    QVERIFY2(record.state == EpisodeState::Completed, qPrintable(record.lastErrorMessage));
    QCOMPARE(record.attempts, 1); // repaired within the attempt, not by an episode retry

    const QString key = prefix + QStringLiteral("/ep.bin/ep.bin"); // <prefix>/<episode>/<file>
    QByteArray stored;
    QVERIFY2(m_fixture.server().getObject(key, &stored, &error), qPrintable(error));
    QVERIFY(stored == data);

    const QJsonObject stats = m_fixture.server().stats();
    QCOMPARE(stats.value(QStringLiteral("faults_fired")).toInteger(), rule.value(QStringLiteral("times")).toInt(1));
    QCOMPARE(
        stats.value(QStringLiteral("requests")).toObject().value(QStringLiteral("CompleteMultipartUpload")).toInteger(),
        completes);
    QCOMPARE(
        stats.value(QStringLiteral("requests")).toObject().value(QStringLiteral("CreateMultipartUpload")).toInteger(),
        1);
    QCOMPARE(stats.value(QStringLiteral("uploads_in_progress")).toInteger(), 0); // nothing orphaned
    // Every part sent once, except the one the server lost: sent again, alone.
    const QJsonObject parts = m_fixture.server().partCounts(stats, QStringLiteral("part_uploads"), key);
    QCOMPARE(parts.size(), 3);
    for (int part = 1; part <= 3; ++part)
        QCOMPARE(parts.value(QString::number(part)).toInteger(), part == resentPart ? 2 : 1);
}

QTEST_GUILESS_MAIN(TestCompleteFaults)
#include "tst_completefaults.moc"

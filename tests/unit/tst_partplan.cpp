#include <limits>

#include <QTest>

#include "storage/partplan.h"

class TestPartPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void layout_data();
    void layout();
    void growsToStayWithinPartLimit_data();
    void growsToStayWithinPartLimit();
    void preferredSizeClamped_data();
    void preferredSizeClamped();
    void rejectsImpossibleSizes_data();
    void rejectsImpossibleSizes();
    void outOfRangePartNumbers();
    void defaultConstructedIsEmpty();
};

namespace {

constexpr qint64 MiB = PartPlan::kMiB;

// The parts must tile the file: contiguous, in order, no gaps or overlaps, every non-last part full-sized.
void verifyCoverage(const PartPlan &plan)
{
    QVERIFY(plan.partCount() >= 1);
    QVERIFY(plan.partCount() <= PartPlan::kMaxParts);
    qint64 expectedOffset = 0;
    for (int n = 1; n <= plan.partCount(); ++n) {
        QCOMPARE(plan.offsetOf(n), expectedOffset);
        const qint64 size = plan.sizeOf(n);
        if (n < plan.partCount()) {
            QCOMPARE(size, plan.partSize());
            QVERIFY(size >= PartPlan::kMinPartSize);
        } else {
            QVERIFY(size >= 0);
            QVERIFY(size <= plan.partSize());
            // The last part is empty only for an empty file.
            QCOMPARE(size == 0, plan.fileSize() == 0);
        }
        expectedOffset += size;
    }
    QCOMPARE(expectedOffset, plan.fileSize());
}

} // namespace

void TestPartPlan::layout_data()
{
    QTest::addColumn<qint64>("fileSize");
    QTest::addColumn<qint64>("preferred");
    QTest::addColumn<qint64>("partSize");
    QTest::addColumn<int>("partCount");
    QTest::addColumn<qint64>("lastPartSize");

    const qint64 p8 = PartPlan::kDefaultPartSize;
    QTest::newRow("0 B: one empty part") << qint64(0) << p8 << p8 << 1 << qint64(0);
    QTest::newRow("1 B") << qint64(1) << p8 << p8 << 1 << qint64(1);
    QTest::newRow("exactly one part") << p8 << p8 << p8 << 1 << p8;
    QTest::newRow("one part + 1 B") << p8 + 1 << p8 << p8 << 2 << qint64(1);
    QTest::newRow("5 MiB - 1, 5 MiB parts") << 5 * MiB - 1 << 5 * MiB << 5 * MiB << 1 << 5 * MiB - 1;
    QTest::newRow("5 MiB, 5 MiB parts") << 5 * MiB << 5 * MiB << 5 * MiB << 1 << 5 * MiB;
    QTest::newRow("5 MiB + 1, 5 MiB parts") << 5 * MiB + 1 << 5 * MiB << 5 * MiB << 2 << qint64(1);
    QTest::newRow("smaller last part") << 100 * MiB + 12345 << p8 << p8 << 13 << 4 * MiB + 12345;
    QTest::newRow("odd preferred size kept")
        << 20 * MiB << 6 * MiB + 7 << 6 * MiB + 7 << 4 << 20 * MiB - 3 * (6 * MiB + 7);
    QTest::newRow("exactly 10,000 parts: no growth") << 10000 * p8 << p8 << p8 << 10000 << p8;
}

void TestPartPlan::layout()
{
    QFETCH(qint64, fileSize);
    QFETCH(qint64, preferred);
    QFETCH(qint64, partSize);
    QFETCH(int, partCount);
    QFETCH(qint64, lastPartSize);

    const StorageResult<PartPlan> result = PartPlan::make(fileSize, preferred);
    QVERIFY2(result.ok(), qPrintable(result.error().toString()));
    const PartPlan &plan = result.value();
    QVERIFY(plan.isValid());
    QCOMPARE(plan.fileSize(), fileSize);
    QCOMPARE(plan.partSize(), partSize);
    QCOMPARE(plan.partCount(), partCount);
    QCOMPARE(plan.sizeOf(partCount), lastPartSize);
    verifyCoverage(plan);
}

void TestPartPlan::growsToStayWithinPartLimit_data()
{
    QTest::addColumn<qint64>("fileSize");
    QTest::addColumn<qint64>("preferred");
    QTest::addColumn<qint64>("expectedPartSize");

    // 80,000 MiB is exactly 10,000 parts of 8 MiB; one more byte needs a larger part (rounded up to 9 MiB).
    QTest::newRow("80,000 MiB + 1 B, 8 MiB parts") << 80000 * MiB + 1 << PartPlan::kDefaultPartSize << 9 * MiB;
    QTest::newRow("50,000 MiB + 1 B, 5 MiB parts") << 50000 * MiB + 1 << 5 * MiB << 6 * MiB;
    QTest::newRow("1 TiB, 8 MiB parts") << 1024 * 1024 * MiB << PartPlan::kDefaultPartSize << 105 * MiB;
    QTest::newRow("5 TiB exactly") << PartPlan::kMaxObjectSize << PartPlan::kDefaultPartSize << 525 * MiB;
}

void TestPartPlan::growsToStayWithinPartLimit()
{
    QFETCH(qint64, fileSize);
    QFETCH(qint64, preferred);
    QFETCH(qint64, expectedPartSize);

    const StorageResult<PartPlan> result = PartPlan::make(fileSize, preferred);
    QVERIFY2(result.ok(), qPrintable(result.error().toString()));
    const PartPlan &plan = result.value();
    QCOMPARE(plan.partSize(), expectedPartSize);
    QVERIFY(plan.partSize() > preferred);
    QCOMPARE(plan.partSize() % MiB, 0);
    QVERIFY(plan.partSize() <= PartPlan::kMaxPartSize);
    verifyCoverage(plan);
}

void TestPartPlan::preferredSizeClamped_data()
{
    QTest::addColumn<qint64>("preferred");
    QTest::addColumn<qint64>("partSize");

    QTest::newRow("0") << qint64(0) << PartPlan::kMinPartSize;
    QTest::newRow("negative") << qint64(-1) << PartPlan::kMinPartSize;
    QTest::newRow("1 MiB") << MiB << PartPlan::kMinPartSize;
    QTest::newRow("5 MiB - 1") << 5 * MiB - 1 << PartPlan::kMinPartSize;
    QTest::newRow("5 MiB") << 5 * MiB << 5 * MiB;
    QTest::newRow("6 GiB") << 6 * 1024 * MiB << PartPlan::kMaxPartSize;
}

void TestPartPlan::preferredSizeClamped()
{
    QFETCH(qint64, preferred);
    QFETCH(qint64, partSize);

    const qint64 fileSize = 12 * 1024 * MiB; // big enough that the part size matters
    const StorageResult<PartPlan> result = PartPlan::make(fileSize, preferred);
    QVERIFY(result.ok());
    QCOMPARE(result.value().partSize(), partSize);
    QCOMPARE(result.value().partCount(), int((fileSize + partSize - 1) / partSize));
    verifyCoverage(result.value());
}

void TestPartPlan::rejectsImpossibleSizes_data()
{
    QTest::addColumn<qint64>("fileSize");
    QTest::newRow("-1") << qint64(-1);
    QTest::newRow("5 TiB + 1") << PartPlan::kMaxObjectSize + 1;
    QTest::newRow("max qint64") << std::numeric_limits<qint64>::max();
}

void TestPartPlan::rejectsImpossibleSizes()
{
    QFETCH(qint64, fileSize);
    const StorageResult<PartPlan> result = PartPlan::make(fileSize);
    QVERIFY(!result.ok());
    QVERIFY(!result);
    QCOMPARE(result.error().kind, StorageError::Kind::Config);
    QCOMPARE(result.error().s3Code, QStringLiteral("ConfigError"));
    QVERIFY(!result.error().retryable);
    QVERIFY(!result.error().message.isEmpty());
}

void TestPartPlan::outOfRangePartNumbers()
{
    const StorageResult<PartPlan> result = PartPlan::make(20 * MiB, 8 * MiB);
    QVERIFY(result.ok());
    const PartPlan &plan = result.value();
    QCOMPARE(plan.partCount(), 3);
    for (int n : {0, -1, 4, 10001}) {
        QCOMPARE(plan.offsetOf(n), qint64(-1));
        QCOMPARE(plan.sizeOf(n), qint64(-1));
    }
}

void TestPartPlan::defaultConstructedIsEmpty()
{
    const PartPlan plan;
    QVERIFY(!plan.isValid());
    QCOMPARE(plan.partCount(), 0);
    QCOMPARE(plan.offsetOf(1), qint64(-1));
    QVERIFY(PartPlan::make(1).value().isValid());
}

QTEST_APPLESS_MAIN(TestPartPlan)
#include "tst_partplan.moc"

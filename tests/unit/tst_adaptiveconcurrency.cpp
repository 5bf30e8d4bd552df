// AdaptiveConcurrency on a clock the test moves: slow start doubles the limit while goodput rises, then one step at a
// time; SlowDown, 503, timeouts and resets halve it once per burst; other failures change nothing; the budget it
// hands out follows the limit.
#include "storage/adaptiveconcurrency.h"

#include <QTest>

namespace {

using Clock = AdaptiveConcurrency::Clock;
constexpr qint64 kMiB = 1024 * 1024;

StorageError httpError(int status, const QString &code)
{
    StorageError error;
    error.kind = StorageError::Kind::Http;
    error.httpStatus = status;
    error.s3Code = code;
    return error;
}

} // namespace

class TestAdaptiveConcurrency : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slowStartThenOneStepAtATime();
    void neverAboveCeiling();
    void pushBackHalvesOncePerBurst_data();
    void pushBackHalvesOncePerBurst();
    void otherFailuresChangeNothing();
    void budgetFollowsTheLimit();

private:
    // One round: as many completions as the limit, of `bytes` each, spread over `ms`.
    void round(AdaptiveConcurrency &adaptive, qint64 bytes, int ms);
    AdaptiveConcurrency make(int floor = 2, int ceiling = 32);

    Clock::time_point m_now{std::chrono::seconds(1000)};
};

AdaptiveConcurrency TestAdaptiveConcurrency::make(int floor, int ceiling)
{
    return AdaptiveConcurrency(floor, ceiling, [this] { return m_now; });
}

void TestAdaptiveConcurrency::round(AdaptiveConcurrency &adaptive, qint64 bytes, int ms)
{
    const int completions = adaptive.limit();
    for (int i = 0; i < completions; ++i) {
        m_now += std::chrono::milliseconds(ms) / completions;
        adaptive.requestSucceeded(bytes);
    }
}

void TestAdaptiveConcurrency::slowStartThenOneStepAtATime()
{
    AdaptiveConcurrency adaptive = make();
    QCOMPARE(adaptive.limit(), AdaptiveConcurrency::kInitial);
    round(adaptive, kMiB, 200); // 4 MiB in 200 ms: better than nothing
    QCOMPARE(adaptive.limit(), 8);
    round(adaptive, kMiB, 200); // twice the goodput
    QCOMPARE(adaptive.limit(), 16);
    round(adaptive, kMiB, 400); // 16 MiB in 400 ms: the same goodput (once may be noise)
    QCOMPARE(adaptive.limit(), 16);
    round(adaptive, kMiB, 400); // twice: the link is full
    QCOMPARE(adaptive.limit(), 16);
    round(adaptive, kMiB, 300); // rising again: one more, not double
    QCOMPARE(adaptive.limit(), 17);
    round(adaptive, kMiB, 400); // falling: hold
    QCOMPARE(adaptive.limit(), 17);
}

void TestAdaptiveConcurrency::neverAboveCeiling()
{
    AdaptiveConcurrency adaptive = make(2, 12);
    for (int i = 0; i < 10; ++i)
        round(adaptive, kMiB * (i + 1), 200);
    QCOMPARE(adaptive.limit(), 12);
    QCOMPARE(adaptive.slots()->capacity(), 12);
}

void TestAdaptiveConcurrency::pushBackHalvesOncePerBurst_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("SlowDown") << int(StorageError::Kind::Http) << 503 << QStringLiteral("SlowDown");
    QTest::newRow("503") << int(StorageError::Kind::Http) << 503 << QStringLiteral("ServiceUnavailable");
    QTest::newRow("timeout") << int(StorageError::Kind::Timeout) << 0 << QStringLiteral("Timeout");
    QTest::newRow("reset") << int(StorageError::Kind::Network) << 0 << QStringLiteral("NetworkError");
}

void TestAdaptiveConcurrency::pushBackHalvesOncePerBurst()
{
    QFETCH(int, kind);
    QFETCH(int, status);
    QFETCH(QString, code);
    StorageError error = httpError(status, code);
    error.kind = StorageError::Kind(kind);
    AdaptiveConcurrency adaptive = make();
    round(adaptive, kMiB, 200);
    round(adaptive, kMiB, 200);
    QCOMPARE(adaptive.limit(), 16);
    for (int i = 0; i < 16; ++i) // every request in flight answered at once: one signal
        adaptive.requestFailed(error);
    QCOMPARE(adaptive.limit(), 8);
    QCOMPARE(adaptive.backoffs(), 1);
    m_now += std::chrono::seconds(2);
    adaptive.requestFailed(error); // a later push-back halves again
    QCOMPARE(adaptive.limit(), 4);
    m_now += std::chrono::seconds(2);
    adaptive.requestFailed(error);
    m_now += std::chrono::seconds(2);
    adaptive.requestFailed(error);
    QCOMPARE(adaptive.limit(), 2); // the floor
    // After a push-back there is no slow start: growth is one at a time.
    round(adaptive, kMiB, 200);
    round(adaptive, kMiB, 100);
    QCOMPARE(adaptive.limit(), 3);
}

void TestAdaptiveConcurrency::otherFailuresChangeNothing()
{
    AdaptiveConcurrency adaptive = make();
    round(adaptive, kMiB, 200);
    QCOMPARE(adaptive.limit(), 8);
    adaptive.requestFailed(httpError(403, QStringLiteral("AccessDenied")));
    adaptive.requestFailed(httpError(500, QStringLiteral("InternalError")));
    adaptive.requestFailed(StorageError::integrity(QStringLiteral("ETag mismatch")));
    adaptive.requestFailed(StorageError::unreachable(QStringLiteral("connection refused"))); // not the link: gone
    adaptive.requestFailed(StorageError::cancelled());
    QCOMPARE(adaptive.limit(), 8);
}

void TestAdaptiveConcurrency::budgetFollowsTheLimit()
{
    AdaptiveConcurrency adaptive = make();
    const auto slots = adaptive.slots();
    QCOMPARE(slots->capacity(), 4);
    for (int i = 0; i < 4; ++i)
        QVERIFY(slots->tryAcquire());
    QVERIFY(!slots->tryAcquire());
    round(adaptive, kMiB, 200); // → 8: four more slots
    QCOMPARE(slots->available(), 4);
    for (int i = 0; i < 4; ++i)
        QVERIFY(slots->tryAcquire());
    adaptive.requestFailed(httpError(503, QStringLiteral("SlowDown"))); // → 4 while 8 are out
    QCOMPARE(slots->capacity(), 4);
    for (int i = 0; i < 4; ++i)
        slots->release();
    QVERIFY(!slots->tryAcquire()); // 4 still out: none to give
    slots->release();
    QVERIFY(slots->tryAcquire());
}

QTEST_GUILESS_MAIN(TestAdaptiveConcurrency)
#include "tst_adaptiveconcurrency.moc"

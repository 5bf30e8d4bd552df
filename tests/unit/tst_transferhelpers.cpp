// Small pieces of the transfer core: retry backoff, speed/ETA smoothing, endpoint addressing.
#include "storage/bandwidthlimiter.h"
#include "storage/endpointprofile.h"
#include "storage/retrypolicy.h"
#include "storage/speedestimator.h"

#include <QTest>

class TestTransferHelpers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retryOnlyRetryableWithinAttempts();
    void backoffIsBoundedFullJitter();
    void retryAfterIsAFloor();
    void speedConvergesAndEtaWaitsForHistory();
    void speedIgnoresDips();
    void speedNeverExtrapolatesAFirstBurst();
    void speedFallsWhenNothingMoves();
    void pathStyleAddressing();
    void virtualHostedAddressing();
    void presets();
    void tokenBucketGrantsTheRate();
    void tokenBucketRateChangesLive();
    void tokenBucketServesFirstClassFirst();
    void tokenBucketGrantsNoDribbles();
};

void TestTransferHelpers::tokenBucketGrantsTheRate()
{
    using namespace std::chrono_literals;
    BandwidthLimiter limiter(1'000'000); // 1 MB/s, burst 100 kB
    auto now = BandwidthLimiter::Clock::time_point(1s);
    QCOMPARE(limiter.take(1'000'000, now), qint64(100'000)); // the burst only
    QCOMPARE(limiter.take(10, now), qint64(0)); // empty until time passes
    now += 50ms;
    QCOMPARE(limiter.take(1'000'000, now), qint64(50'000));
    // Over ten simulated seconds of asking in 256 KiB chunks every 10 ms, about 10 MB are granted, never more.
    qint64 granted = 0;
    for (int i = 0; i < 1000; ++i) {
        now += 10ms;
        granted += limiter.take(256 * 1024, now);
    }
    QVERIFY2(granted >= 9'900'000 && granted <= 10'000'000, qPrintable(QString::number(granted)));
    now += 1h; // an idle hour does not build up more than one burst
    QCOMPARE(limiter.take(10'000'000, now), qint64(100'000));
}

// A paused transfer is resumed for a write worth making, not for the few bytes that trickled in since it last
// asked: waitFor says when, and take grants nothing before.
void TestTransferHelpers::tokenBucketGrantsNoDribbles()
{
    using namespace std::chrono_literals;
    BandwidthLimiter limiter(1024 * 1024); // 1 MiB/s: 16 KiB take 15.6 ms to come in
    auto now = BandwidthLimiter::Clock::time_point(1s);
    QVERIFY(limiter.take(10'000'000, now) > 0); // the burst
    QCOMPARE(limiter.waitFor(256 * 1024, now), 16ms); // ceil(16384 / 1048.576 per ms)
    now += 1ms;
    QCOMPARE(limiter.take(256 * 1024, now), qint64(0)); // ~1 KiB in the bucket: not granted
    QCOMPARE(limiter.waitFor(256 * 1024, now), 15ms);
    now += 15ms;
    QCOMPARE(limiter.waitFor(256 * 1024, now), 0ms);
    QCOMPARE(limiter.take(256 * 1024, now), qint64(16 * 1024) + 393); // 16 ms of 1 MiB/s, taken at once
    QCOMPARE(limiter.take(100, now), qint64(0)); // a small ask waits for its own size only...
    now += 1ms;
    QCOMPARE(limiter.take(100, now), qint64(100)); // ...and gets it
    BandwidthLimiter unlimited(0);
    QCOMPARE(unlimited.waitFor(256 * 1024, now), 0ms);
}

void TestTransferHelpers::tokenBucketServesFirstClassFirst()
{
    using namespace std::chrono_literals;
    using Class = BandwidthLimiter::Class;
    BandwidthLimiter limiter(1'000'000); // 1 MB/s, burst 100 kB
    auto now = BandwidthLimiter::Clock::time_point(1s);
    QCOMPARE(limiter.take(60'000, now, Class::First), qint64(60'000)); // all it wanted: no hold
    QCOMPARE(limiter.take(10'000, now, Class::Normal), qint64(10'000));
    QCOMPARE(limiter.take(100'000, now, Class::First), qint64(30'000)); // short: normal ones are held back
    now += 20ms;
    QCOMPARE(limiter.take(100'000, now, Class::Normal), qint64(0)); // 20 kB in the bucket, kept for the first class
    QCOMPARE(limiter.take(100'000, now, Class::First), qint64(20'000));
    // Over a simulated second of both asking every 10 ms, the first class gets everything.
    qint64 first = 0;
    qint64 normal = 0;
    for (int i = 0; i < 100; ++i) {
        now += 10ms;
        normal += limiter.take(256 * 1024, now, Class::Normal);
        first += limiter.take(256 * 1024, now, Class::First);
    }
    QCOMPARE(normal, qint64(0));
    QVERIFY2(first >= 990'000 && first <= 1'000'000, qPrintable(QString::number(first)));
    // Once the first class stops asking, the hold ends after kFirstHold and normal transfers get the bytes.
    now += BandwidthLimiter::kFirstHold + 1ms;
    QVERIFY(limiter.take(256 * 1024, now, Class::Normal) > 0);
}

void TestTransferHelpers::tokenBucketRateChangesLive()
{
    using namespace std::chrono_literals;
    BandwidthLimiter limiter(0); // unlimited: everything asked for, at once
    auto now = BandwidthLimiter::Clock::time_point(1s);
    QCOMPARE(limiter.bytesPerSecond(), qint64(0));
    QCOMPARE(limiter.take(50'000'000, now), qint64(50'000'000));

    limiter.setBytesPerSecond(1'000'000); // the same object, limited from the next chunk on
    QCOMPARE(limiter.bytesPerSecond(), qint64(1'000'000));
    QCOMPARE(limiter.take(1'000'000, now), qint64(100'000)); // one burst of the new rate
    QCOMPARE(limiter.take(10, now), qint64(0));
    now += 100ms;
    QCOMPARE(limiter.take(1'000'000, now), qint64(100'000));

    limiter.setBytesPerSecond(2'000'000); // raised: a full burst of the new rate at once
    QCOMPARE(limiter.take(1'000'000, now), qint64(200'000));
    limiter.setBytesPerSecond(0);
    QCOMPARE(limiter.take(7'000'000, now), qint64(7'000'000));
}

void TestTransferHelpers::retryOnlyRetryableWithinAttempts()
{
    const RetryPolicy policy(3, 100, 1000);
    StorageError slowDown = StorageError::fromHttpResponse(503, "<Error><Code>SlowDown</Code></Error>", {}, {});
    QVERIFY(policy.shouldRetry(slowDown, 1));
    QVERIFY(policy.shouldRetry(slowDown, 2));
    QVERIFY(!policy.shouldRetry(slowDown, 3));
    const StorageError denied = StorageError::fromHttpResponse(403, "<Error><Code>AccessDenied</Code></Error>", {}, {});
    QVERIFY(!policy.shouldRetry(denied, 1));
}

void TestTransferHelpers::backoffIsBoundedFullJitter()
{
    const RetryPolicy policy(10, 100, 1000);
    int maxSeen[4] = {0, 0, 0, 0};
    bool sawSmall = false;
    for (int i = 0; i < 2000; ++i) {
        for (int attempt = 1; attempt <= 4; ++attempt) {
            const int delay = policy.delayMs(attempt);
            QVERIFY(delay >= 0);
            QVERIFY(delay <= std::min(1000, 100 << (attempt - 1)));
            maxSeen[attempt - 1] = std::max(maxSeen[attempt - 1], delay);
            sawSmall = sawSmall || (attempt == 4 && delay < 400);
        }
    }
    // The ceiling doubles per attempt and the cap holds; full jitter also yields small delays late on.
    QVERIFY(maxSeen[0] > 80 && maxSeen[1] > 160 && maxSeen[2] > 320 && maxSeen[3] > 640);
    QVERIFY(sawSmall);
    QVERIFY(policy.delayMs(30) <= 1000);
}

void TestTransferHelpers::retryAfterIsAFloor()
{
    const RetryPolicy policy(5, 10, 50);
    for (int i = 0; i < 100; ++i)
        QVERIFY(policy.delayMs(1, 3000) >= 3000);
}

void TestTransferHelpers::speedConvergesAndEtaWaitsForHistory()
{
    SpeedEstimator speed;
    qint64 bytes = 0;
    speed.start(0);
    for (qint64 t = 100; t <= 1900; t += 100) {
        bytes += 10'000'000; // 100 MB/s
        speed.addSample(bytes, bytes, t);
    }
    QCOMPARE(speed.etaSeconds(1'000'000'000), qint64(-1)); // under two seconds of history
    for (qint64 t = 2000; t <= 10'000; t += 100) {
        bytes += 10'000'000;
        speed.addSample(bytes, bytes, t);
    }
    QVERIFY(qAbs(speed.bytesPerSecond() - 100e6) < 1e6);
    QCOMPARE(speed.etaSeconds(1'000'000'000), qint64(10));
}

void TestTransferHelpers::speedIgnoresDips()
{
    SpeedEstimator speed;
    speed.start(0);
    speed.addSample(50'000'000, 0, 200);
    speed.addSample(10'000'000, 0, 500); // a failed part's in-flight bytes left
    QVERIFY(speed.bytesPerSecond() >= 0);
}

void TestTransferHelpers::speedNeverExtrapolatesAFirstBurst()
{
    // 20 MB/s on the link; the first 100 ms hand 8 MB to the buffers at once (what libcurl and the kernel take);
    // parts of 4 MB verify from 600 ms on.
    SpeedEstimator speed(5000);
    speed.start(0);
    speed.addSample(8'000'000, 0, 100);
    QCOMPARE(speed.etaSeconds(1'000'000'000), qint64(-1));
    for (qint64 t = 200; t <= 12'000; t += 100) {
        const qint64 onTheLink = (t - 100) * 20'000;
        const qint64 verified = t >= 600 ? (onTheLink / 4'000'000) * 4'000'000 : 0;
        speed.addSample(8'000'000 + onTheLink, verified, t);
        if (t >= 2000) { // the burst never counts as speed: within 10 % from two seconds on
            QVERIFY2(qAbs(speed.bytesPerSecond() - 20e6) <= 2e6,
                qPrintable(QStringLiteral("%1 B/s at %2 ms").arg(speed.bytesPerSecond()).arg(t)));
            QVERIFY(speed.etaSeconds(1'000'000'000) > 0);
        }
    }
    QVERIFY(qAbs(speed.bytesPerSecond() - 20e6) < 0.2e6);
}

void TestTransferHelpers::speedFallsWhenNothingMoves()
{
    SpeedEstimator speed(5000);
    speed.start(0);
    for (qint64 t = 100; t <= 5000; t += 100)
        speed.addSample(t * 10'000, t * 10'000, t);
    const double moving = speed.bytesPerSecond();
    speed.addSample(5000 * 10'000, 5000 * 10'000, 8000); // a stall of three seconds
    QVERIFY(speed.bytesPerSecond() < moving * 0.5);
}

void TestTransferHelpers::pathStyleAddressing()
{
    EndpointProfile profile;
    profile.endpoint = QUrl(QStringLiteral("http://127.0.0.1:9000"));
    profile.pathStyle = true;
    QCOMPARE(profile.hostFor(QStringLiteral("bucket")), QByteArray("127.0.0.1:9000"));
    QCOMPARE(
        profile.pathFor(QStringLiteral("bucket"), QStringLiteral("a b/c+d.bin")), QByteArray("/bucket/a b/c+d.bin"));
    QCOMPARE(profile.pathFor(QStringLiteral("bucket"), {}), QByteArray("/bucket/"));
    QCOMPARE(profile.objectUrl(QStringLiteral("bucket"), QStringLiteral("a b/c+d.bin")),
        QStringLiteral("http://127.0.0.1:9000/bucket/a%20b/c%2Bd.bin"));
}

void TestTransferHelpers::virtualHostedAddressing()
{
    EndpointProfile profile = EndpointProfile::preset(EndpointProfile::Provider::AwsS3, QStringLiteral("eu-west-1"));
    QCOMPARE(profile.hostFor(QStringLiteral("data")), QByteArray("data.s3.eu-west-1.amazonaws.com"));
    QCOMPARE(profile.pathFor(QStringLiteral("data"), QStringLiteral("ep/1.bin")), QByteArray("/ep/1.bin"));
    profile.endpoint = QUrl(QStringLiteral("https://example.com:8443"));
    QCOMPARE(profile.hostFor(QStringLiteral("data")), QByteArray("data.example.com:8443"));
}

void TestTransferHelpers::presets()
{
    const auto oss = EndpointProfile::preset(EndpointProfile::Provider::AlibabaOss, QStringLiteral("cn-shanghai"));
    QCOMPARE(oss.endpoint, QUrl(QStringLiteral("https://oss-cn-shanghai.aliyuncs.com")));
    QVERIFY(!oss.pathStyle);
    QVERIFY(oss.isValid());
    QCOMPARE(EndpointProfile::providerFromName(QStringLiteral("MinIO")), EndpointProfile::Provider::Custom);
    QCOMPARE(EndpointProfile::providerFromName(QStringLiteral("alibaba")), EndpointProfile::Provider::AlibabaOss);
    QVERIFY(!EndpointProfile::providerFromName(QStringLiteral("gcs")));
    EndpointProfile bad;
    bad.endpoint = QUrl(QStringLiteral("ftp://host"));
    QVERIFY(!bad.isValid());

    // The S3 services: path style, S3 protocol, the endpoint from the region where it follows from it.
    using Provider = EndpointProfile::Provider;
    const auto wasabi = EndpointProfile::preset(Provider::Wasabi, QStringLiteral("eu-central-1"));
    QCOMPARE(wasabi.endpoint, QUrl(QStringLiteral("https://s3.eu-central-1.wasabisys.com")));
    QVERIFY(wasabi.pathStyle && !wasabi.isOss() && wasabi.isValid());
    const auto b2 = EndpointProfile::preset(Provider::BackblazeB2, QStringLiteral("us-west-004"));
    QCOMPARE(b2.endpoint, QUrl(QStringLiteral("https://s3.us-west-004.backblazeb2.com")));
    QVERIFY(b2.pathStyle && b2.isValid());
    QVERIFY(!EndpointProfile::preset(Provider::BackblazeB2).isValid()); // no region, no endpoint: says which
    EndpointProfile r2 = EndpointProfile::preset(Provider::CloudflareR2);
    QCOMPARE(r2.region, QStringLiteral("auto"));
    QVERIFY(r2.pathStyle);
    QVERIFY(r2.validationError().contains(QLatin1String("<account-id>.r2.cloudflarestorage.com")));
    r2.endpoint = QUrl(QStringLiteral("https://0123abcd.r2.cloudflarestorage.com"));
    QVERIFY(r2.isValid());
    for (const Provider provider : {Provider::AwsS3, Provider::AlibabaOss, Provider::CloudflareR2,
             Provider::BackblazeB2, Provider::Wasabi, Provider::Custom})
        QCOMPARE(EndpointProfile::providerFromName(EndpointProfile::providerName(provider)), provider);
    QCOMPARE(EndpointProfile::providerFromName(QStringLiteral("Cloudflare")), Provider::CloudflareR2);

    QCOMPARE(EndpointProfile::regionFromHost(Provider::BackblazeB2, QStringLiteral("s3.us-east-005.backblazeb2.com")),
        QStringLiteral("us-east-005"));
    QCOMPARE(EndpointProfile::regionFromHost(Provider::Wasabi, QStringLiteral("S3.AP-Northeast-1.wasabisys.com")),
        QStringLiteral("ap-northeast-1"));
    QCOMPARE(EndpointProfile::regionFromHost(Provider::AlibabaOss, QStringLiteral("oss-cn-beijing.aliyuncs.com")),
        QStringLiteral("cn-beijing"));
    QVERIFY(
        EndpointProfile::regionFromHost(Provider::Wasabi, QStringLiteral("s3.us-west-004.backblazeb2.com")).isEmpty());
    QVERIFY(EndpointProfile::regionFromHost(Provider::Custom, QStringLiteral("s3.eu-central-1.wasabisys.com"))
                .isEmpty()); // custom endpoints never decide the region
    QVERIFY(!EndpointProfile::regionFollowsEndpoint(Provider::CloudflareR2));
    QVERIFY(EndpointProfile::regionFollowsEndpoint(Provider::BackblazeB2));
}

QTEST_APPLESS_MAIN(TestTransferHelpers)
#include "tst_transferhelpers.moc"

// The fleet view (packaging/prometheus) checked with Debian's promtool (package prometheus, scripts/install-deps.sh)
// against what a real engine serves: /metrics of a live engine and API (over real HTTP, with the strict S3 server)
// and of a real `keystone-console --server` pass `promtool check metrics`; the station's name, the oldest pending
// episode's age and the storage state's age follow the engine; the alerting rules pass `promtool check rules` and
// their unit tests (`promtool test rules`), the scrape example `promtool check config`; and every metric the rules
// and the Grafana dashboard name is one /metrics serves. A missing promtool fails, never skips.
#include "api/apiserver.h"
#include "apiclient.h"
#include "consoleserverprocess.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace {

struct PromtoolResult
{
    int exitCode = -1; // -1: did not run or crashed
    QByteArray output; // stdout and stderr
};

QString promtoolPath()
{
    return QStandardPaths::findExecutable(QStringLiteral("promtool"));
}

[[nodiscard]] PromtoolResult runPromtool(
    const QStringList &arguments, const QByteArray &input = {}, const QString &workingDirectory = {})
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(promtoolPath(), arguments);
    if (!process.waitForStarted())
        return {-1, process.errorString().toUtf8()};
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return {-1, "promtool did not finish"};
    }
    const int code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return {code, process.readAll()};
}

QString packagingDir()
{
    return QStringLiteral(KEYSTONE_PROMETHEUS_DIR);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The value of the sample `series` (the name with its labels, as served), or nullopt when it is not served.
std::optional<double> sampleValue(const QByteArray &body, const QByteArray &series)
{
    const QByteArray prefix = series + ' ';
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).toDouble();
    }
    return std::nullopt;
}

// The metric names a body declares (# TYPE lines).
QSet<QString> servedNames(const QByteArray &body)
{
    QSet<QString> names;
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith("# TYPE "))
            names.insert(QString::fromUtf8(line.split(' ').value(2)));
    }
    return names;
}

QSet<QString> keystoneNames(const QString &text)
{
    static const QRegularExpression name(QStringLiteral("keystone_[a-z_]+"));
    QSet<QString> names;
    for (auto it = name.globalMatch(text); it.hasNext();)
        names.insert(it.next().captured());
    return names;
}

// Every "expr" (a PromQL query) and "definition"/"query" string of a variable, anywhere in a dashboard's JSON.
void collectQueries(const QJsonValue &value, QStringList *queries)
{
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectQueries(item, queries);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if ((it.key() == QLatin1String("expr") || it.key() == QLatin1String("definition")) && it->isString())
                queries->append(it->toString());
            collectQueries(*it, queries);
        }
    }
}

double secondsSince(const QDateTime &time)
{
    return time.msecsTo(QDateTime::currentDateTimeUtc()) / 1000.0;
}

} // namespace

class TestPrometheus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void stationInfoNamesTheStation();
    void oldestPendingFollowsTheQueue();
    void storageStateAgeOnAnUnreachableStorage();
    void stationNameFromTheCommandLine();
    void rulesPassPromtool();
    void scrapeConfigPassesPromtool();
    void dashboardAndRulesUseOnlyServedMetrics();

private:
    QByteArray metrics();
    void expectOldestPendingOf(qint64 id);

    StrictServerFixture m_fixture;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<ApiServer> m_api;
    std::unique_ptr<ApiClient> m_client;
};

void TestPrometheus::initTestCase()
{
    QVERIFY2(!promtoolPath().isEmpty(), "promtool not found: run scripts/install-deps.sh (Debian package prometheus)");
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
    QVERIFY(m_fixture.makeDir());
    m_engine = TestData::openSyncEngine(m_fixture.syncConfig(QStringLiteral("packaging/prometheus")));
    QVERIFY(m_engine);
    m_engine->pauseAll(); // what is registered stays pending
    ApiConfig config;
    config.dataDir = m_fixture.dataDir();
    config.stationName = QStringLiteral("robot-7 \"west\\\"");
    m_api = std::make_unique<ApiServer>(*m_engine, config);
    const auto started = m_api->start();
    QVERIFY2(started, qPrintable(started.error().message));
    m_client = std::make_unique<ApiClient>(m_api->url(), m_api->token());
}

QByteArray TestPrometheus::metrics()
{
    const HttpReply reply = m_client->get(QStringLiteral("/metrics"));
    return reply.status == 200 ? reply.body : QByteArray();
}

// The name as given, escaped in the label (quote and backslash), with the engine's version; and a body promtool's
// linter accepts.
void TestPrometheus::stationInfoNamesTheStation()
{
    const QByteArray body = metrics();
    QVERIFY(!body.isEmpty());
    QCOMPARE(sampleValue(
                 body, "keystone_station_info{station=\"robot-7 \\\"west\\\\\\\"\",version=\"" KEYSTONE_VERSION "\"}"),
        1.0);
    QCOMPARE(sampleValue(body, "keystone_oldest_pending_age_seconds"), 0.0); // nothing registered yet
    const PromtoolResult check = runPromtool({QStringLiteral("check"), QStringLiteral("metrics")}, body);
    QVERIFY2(check.exitCode == 0 && check.output.trimmed().isEmpty(), check.output.constData());
}

// The served age lies between the episode's age before and after the scrape.
void TestPrometheus::expectOldestPendingOf(qint64 id)
{
    const QDateTime created = m_engine->status(id)->record.createdAt;
    QVERIFY(created.isValid());
    const double before = secondsSince(created);
    const std::optional<double> served = sampleValue(metrics(), "keystone_oldest_pending_age_seconds");
    const double after = secondsSince(created);
    QVERIFY(served);
    QVERIFY2(*served >= before && *served <= after,
        qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(*served).arg(before).arg(after)));
}

// The oldest pending episode by registration; one paused by itself is left out, pause-all is not; none: 0.
void TestPrometheus::oldestPendingFollowsTheQueue()
{
    QList<qint64> ids;
    for (int i = 0; i < 2; ++i) {
        if (!ids.isEmpty()) { // registered later than the first by a measurable time
            const QDateTime first = m_engine->status(ids.first())->record.createdAt;
            QTRY_VERIFY(QDateTime::currentDateTimeUtc() > first.addMSecs(20));
        }
        const QString path = m_fixture.filePath(QStringLiteral("episodes/e-%1.bin").arg(i));
        QVERIFY(TestData::writeFile(path, TestData::randomBytes(16 * 1024, quint32(i))));
        const HttpReply created = m_client->registerEpisode(path, QStringLiteral("e-%1").arg(i));
        QCOMPARE(created.status, 201);
        ids << created.json().value("episode_id").toInteger();
    }
    QTRY_COMPARE(m_engine->status(ids[1])->record.state, EpisodeState::Pending);
    QVERIFY(m_engine->isPaused());
    expectOldestPendingOf(ids[0]);
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(m_client->post(QStringLiteral("/sync/episodes/%1/pause").arg(ids[0])).status, 200);
    QTRY_VERIFY(m_engine->status(ids[0])->record.paused); // the store /metrics reads
    expectOldestPendingOf(ids[1]);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_client->post(QStringLiteral("/sync/episodes/%1/pause").arg(ids[1])).status, 200);
    QTRY_VERIFY(m_engine->status(ids[1])->record.paused);
    QCOMPARE(sampleValue(metrics(), "keystone_oldest_pending_age_seconds"), 0.0);
    QCOMPARE(m_client->post(QStringLiteral("/sync/episodes/%1/resume").arg(ids[0])).status, 200);
    QTRY_VERIFY(!m_engine->status(ids[0])->record.paused);
    expectOldestPendingOf(ids[0]);
    if (QTest::currentTestFailed())
        return;

    // Uploaded: nothing pending any more.
    m_engine->resumeAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(ids[0])->record.state, EpisodeState::Completed, 30000);
    QCOMPARE(m_client->post(QStringLiteral("/sync/episodes/%1/resume").arg(ids[1])).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(ids[1])->record.state, EpisodeState::Completed, 30000);
    QCOMPARE(sampleValue(metrics(), "keystone_oldest_pending_age_seconds"), 0.0);
    const PromtoolResult check = runPromtool({QStringLiteral("check"), QStringLiteral("metrics")}, metrics());
    QVERIFY2(check.exitCode == 0 && check.output.trimmed().isEmpty(), check.output.constData());
}

// Storage nobody answers: unreachable, and how long since, from the engine's own clock of the state. With no station
// name given, the station is the host's name.
void TestPrometheus::storageStateAgeOnAnUnreachableStorage()
{
    const quint16 port = TestData::closedPort();
    QVERIFY(port != 0);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SyncConfig config
        = TestData::syncConfig(m_fixture.server(), dir.filePath(QStringLiteral("data")), QStringLiteral("outage"));
    config.profile.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    config.unreachableRetry = RetryPolicy(1, 500, 1000, RetryPolicy::Jitter::Equal);
    const auto engine = TestData::openSyncEngine(config);
    QVERIFY(engine);
    ApiConfig apiConfig;
    apiConfig.dataDir = dir.filePath(QStringLiteral("data"));
    ApiServer api(*engine, apiConfig);
    const auto started = api.start();
    QVERIFY2(started, qPrintable(started.error().message));
    ApiClient client(api.url(), api.token());
    const QByteArray healthy = client.get(QStringLiteral("/metrics")).body;
    QCOMPARE(sampleValue(healthy, "keystone_storage_state{state=\"ok\"}"), 1.0);
    QCOMPARE(sampleValue(healthy, "keystone_storage_state_age_seconds"), 0.0); // ok since the start
    QCOMPARE(sampleValue(healthy,
                 "keystone_station_info{station=\"" + QSysInfo::machineHostName().toUtf8()
                     + "\",version=\"" KEYSTONE_VERSION "\"}"),
        1.0);

    const QString path = dir.filePath(QStringLiteral("out.bin"));
    QVERIFY(TestData::writeFile(path, TestData::randomBytes(16 * 1024, 9)));
    QVERIFY(TestData::registerEpisode(*engine, path, QStringLiteral("out")) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(engine->storageHealth().state, StorageHealth::State::Unreachable, 10000);
    const QDateTime since = engine->storageHealth().since;
    QVERIFY(since.isValid());
    QTRY_VERIFY(secondsSince(since) > 0);
    const double before = secondsSince(since);
    const QByteArray body = client.get(QStringLiteral("/metrics")).body;
    const double after = secondsSince(since);
    QCOMPARE(engine->storageHealth().since, since); // nobody listens: the state stays
    QCOMPARE(sampleValue(body, "keystone_storage_state{state=\"unreachable\"}"), 1.0);
    const std::optional<double> age = sampleValue(body, "keystone_storage_state_age_seconds");
    QVERIFY(age);
    QVERIFY2(*age >= before && *age <= after, body.constData());
    const PromtoolResult check = runPromtool({QStringLiteral("check"), QStringLiteral("metrics")}, body);
    QVERIFY2(check.exitCode == 0 && check.output.trimmed().isEmpty(), check.output.constData());
}

// --station-name reaches /metrics of a real server, whose body promtool accepts too.
void TestPrometheus::stationNameFromTheCommandLine()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ConsoleServerProcess server(m_fixture.server(), dir.filePath(QStringLiteral("data")),
        {QStringLiteral("--station-name"), QStringLiteral("lab-3")});
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    ApiClient client(server.apiBase(), server.token());
    const HttpReply reply = client.get(QStringLiteral("/metrics"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(sampleValue(reply.body, "keystone_station_info{station=\"lab-3\",version=\"" KEYSTONE_VERSION "\"}"), 1.0);
    const PromtoolResult check = runPromtool({QStringLiteral("check"), QStringLiteral("metrics")}, reply.body);
    QVERIFY2(check.exitCode == 0 && check.output.trimmed().isEmpty(), check.output.constData());
    QCOMPARE(server.terminate(), 0);
}

// The rules parse, and each alert fires on its unit test's failing station and not on the healthy one.
void TestPrometheus::rulesPassPromtool()
{
    const PromtoolResult check = runPromtool(
        {QStringLiteral("check"), QStringLiteral("rules"), QStringLiteral("keystone-alerts.yml")}, {}, packagingDir());
    QVERIFY2(check.exitCode == 0, check.output.constData());
    QVERIFY2(check.output.contains("SUCCESS: 5 rules found"), check.output.constData());
    const PromtoolResult test
        = runPromtool({QStringLiteral("test"), QStringLiteral("rules"), QStringLiteral("keystone-alerts.test.yml")}, {},
            packagingDir());
    QVERIFY2(test.exitCode == 0, test.output.constData());
    // Every alert has a firing and a quiet case in the unit tests.
    const QByteArray rules = readAll(packagingDir() + QStringLiteral("/keystone-alerts.yml"));
    const QByteArray tests = readAll(packagingDir() + QStringLiteral("/keystone-alerts.test.yml"));
    static const QRegularExpression alert(QStringLiteral("- alert: (\\w+)"));
    int alerts = 0;
    for (auto it = alert.globalMatch(QString::fromUtf8(rules)); it.hasNext(); ++alerts) {
        const QByteArray name = it.next().captured(1).toUtf8();
        const QByteArray evaluated = "alertname: " + name + '\n';
        QVERIFY2(tests.count(evaluated + "        exp_alerts: []") >= 1, name.constData());
        QVERIFY2(tests.count(evaluated + "        exp_alerts:\n") >= 1, name.constData());
    }
    QCOMPARE(alerts, 5);
}

// The example as deployed: its token file and station folder at /etc/prometheus/keystone, the rules beside it.
void TestPrometheus::scrapeConfigPassesPromtool()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QByteArray config = readAll(packagingDir() + QStringLiteral("/prometheus.yml"));
    QVERIFY(config.contains("credentials_file: /etc/prometheus/keystone/api-token"));
    QVERIFY(config.contains("file_sd_configs:"));
    QVERIFY(config.contains("static_configs:"));
    config.replace("/etc/prometheus/", QDir(dir.path()).absolutePath().toUtf8() + '/');
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("keystone/stations")));
    QVERIFY(TestData::writeFile(dir.filePath(QStringLiteral("keystone/api-token")), "0123456789abcdef\n"));
    QVERIFY(TestData::writeFile(dir.filePath(QStringLiteral("prometheus.yml")), config));
    QVERIFY(QFile::copy(
        packagingDir() + QStringLiteral("/keystone-alerts.yml"), dir.filePath(QStringLiteral("keystone-alerts.yml"))));
    const PromtoolResult check = runPromtool(
        {QStringLiteral("check"), QStringLiteral("config"), dir.filePath(QStringLiteral("prometheus.yml"))});
    QVERIFY2(check.exitCode == 0, check.output.constData());
    QVERIFY2(check.output.contains("SUCCESS: 5 rules found"), check.output.constData()); // the rules were read
}

// Every keystone_* name in the rules and the dashboard's queries is a metric /metrics serves.
void TestPrometheus::dashboardAndRulesUseOnlyServedMetrics()
{
    const QSet<QString> served = servedNames(metrics());
    QVERIFY(served.contains(QStringLiteral("keystone_station_info")));

    QJsonParseError parseError;
    const QJsonDocument dashboard
        = QJsonDocument::fromJson(readAll(packagingDir() + QStringLiteral("/grafana-dashboard.json")), &parseError);
    QVERIFY2(dashboard.isObject(), qPrintable(parseError.errorString()));
    QStringList queries;
    collectQueries(dashboard.object(), &queries);
    QVERIFY(queries.size() >= 10);
    QSet<QString> referenced;
    for (const QString &query : std::as_const(queries))
        referenced += keystoneNames(query);
    // The station is a variable over the info metric.
    QVERIFY(queries.contains(QStringLiteral("label_values(keystone_station_info, station)")));
    referenced += keystoneNames(QString::fromUtf8(readAll(packagingDir() + QStringLiteral("/keystone-alerts.yml"))));
    for (const char *needed : {"keystone_oldest_pending_age_seconds", "keystone_storage_state",
             "keystone_storage_state_age_seconds", "keystone_bytes_committed_total", "keystone_episodes"})
        QVERIFY2(referenced.contains(QLatin1String(needed)), needed);
    for (const QString &name : std::as_const(referenced))
        QVERIFY2(served.contains(name), qPrintable(name + QStringLiteral(" is not served by /metrics")));
}

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"

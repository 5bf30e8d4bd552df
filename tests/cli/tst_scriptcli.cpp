// The script verbs (add, sync, status, cancel, retry, pause, resume, list, watch) as scripts use them: a real
// `keystone-console --server` process (real catalog in a temporary data directory, uploading to the strict S3
// server) and every verb run as a real process over 127.0.0.1, checked by output and exit code.
#include "consoleprocess.h"
#include "consoleserverprocess.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using TestData::kMiB;

namespace {

QJsonObject stallFault(const QString &op, int stallMs)
{
    return {{QStringLiteral("op"), op}, {QStringLiteral("action"), QStringLiteral("stall")},
        {QStringLiteral("stall_ms"), stallMs}, {QStringLiteral("times"), -1}};
}

// What took the API port while the instance is elsewhere: records every byte it is sent and answers each request
// 200 with a /health body, either its own (a made-up proof) or, relaying, the real instance's answer to the same
// target (a valid proof, but for the real instance's port).
class FakeApiServer : public QObject
{
public:
    explicit FakeApiServer(QUrl relayTo = {})
        : m_relayTo(std::move(relayTo))
    {
        m_manager.setProxy(QNetworkProxy::NoProxy);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QByteArray received() const { return m_received; }

private:
    void onReadyRead(QTcpSocket *socket)
    {
        const QByteArray bytes = socket->readAll();
        m_received += bytes;
        if (!bytes.contains("\r\n\r\n"))
            return; // the CLI's requests are small: one read holds a whole request
        const QByteArray target = bytes.split(' ').value(1);
        if (m_relayTo.isEmpty()) {
            answer(socket, R"({"status":"ok","instance":")" + QByteArray(64, '0') + "\"}");
            return;
        }
        QNetworkReply *reply = m_manager.get(QNetworkRequest(QUrl(m_relayTo.toString() + QString::fromLatin1(target))));
        connect(reply, &QNetworkReply::finished, socket, [reply, socket] {
            answer(socket, reply->readAll());
            reply->deleteLater();
        });
    }
    static void answer(QTcpSocket *socket, const QByteArray &body)
    {
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }

    QTcpServer m_server;
    QUrl m_relayTo;
    QNetworkAccessManager m_manager;
    QByteArray m_received;
};

} // namespace

class TestScriptCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void addPrintsIdAndStatusShowsIt();
    void listFiltersByStatus();
    void transitionsSeenThroughStatus();
    void pauseAndResumeVerbs();
    void watchExitsOneWhenCancelled();
    void watchWithoutIdsFollowsActiveEpisodes();
    void watchOnTerminalRedrawsInPlace();
    void helpNamesExitCodes();
    void conflictIsRefused();
    void prioritySetsAndValidates();
    void throttleVerbSetsAndShowsRecordingMode();
    void notFoundAndUsage_data();
    void notFoundAndUsage();
    void serverDownIsUnreachable();
    void wrongTokenIsAuthenticationFailure();
    void socketIsUsedWithoutTcp();
    void fakeServerOnTheApiPortNeverGetsTheToken_data();
    void fakeServerOnTheApiPortNeverGetsTheToken();

private:
    using Run = ConsoleProcess::Result;
    // Runs keystone-console with the arguments; `locate` appends --data-dir/--listen of the test instance.
    Run cli(const QStringList &arguments, bool locate = true);
    QString makeEpisode(const QString &name, qint64 size);
    qint64 add(const QString &path, const QString &name);
    QJsonObject statusJson(qint64 id);
    QString state(qint64 id) { return statusJson(id).value(QStringLiteral("status")).toString(); }

    StrictServerFixture m_fixture;
    QString m_dataDir;
    std::unique_ptr<ConsoleServerProcess> m_server;
    QString m_listen; // 127.0.0.1:PORT of the instance
};

void TestScriptCli::initTestCase()
{
    QVERIFY(m_fixture.makeDir());
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));

    m_dataDir = m_fixture.dataDir();
    m_server = std::make_unique<ConsoleServerProcess>(
        m_fixture.server(), m_dataDir, QStringList{QStringLiteral("--part-size"), QStringLiteral("5M")});
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_listen = QStringLiteral("127.0.0.1:%1").arg(m_server->apiBase().port());
}

void TestScriptCli::cleanupTestCase()
{
    if (m_server)
        QCOMPARE(m_server->terminate(20000), 0);
}

void TestScriptCli::cleanup()
{
    QVERIFY(m_fixture.server().clearFaults());
}

TestScriptCli::Run TestScriptCli::cli(const QStringList &arguments, bool locate)
{
    QStringList all = arguments;
    if (locate)
        all << QStringLiteral("--data-dir") << m_dataDir << QStringLiteral("--listen") << m_listen;
    return ConsoleProcess(QStringLiteral(KEYSTONE_CONSOLE_BIN), QProcessEnvironment::systemEnvironment()).run(all);
}

QString TestScriptCli::makeEpisode(const QString &name, qint64 size)
{
    const QString path = m_fixture.filePath(QStringLiteral("episodes/%1/%1.bin").arg(name));
    return TestData::writeFile(path, TestData::randomBytes(size, quint32(qHash(name)))) ? QFileInfo(path).path()
                                                                                        : QString();
}

qint64 TestScriptCli::add(const QString &path, const QString &name)
{
    const Run result = cli({QStringLiteral("add"), path, QStringLiteral("--name"), name});
    if (result.exitCode != 0) {
        qWarning("add failed (%d): %s", result.exitCode, result.err.constData());
        return 0;
    }
    return result.out.trimmed().toLongLong(); // the id alone, for $(keystone-console add ...)
}

QJsonObject TestScriptCli::statusJson(qint64 id)
{
    const Run result = cli({QStringLiteral("status"), QString::number(id), QStringLiteral("--json")});
    return QJsonDocument::fromJson(result.out).object().value(QStringLiteral("items")).toArray().first().toObject();
}

void TestScriptCli::addPrintsIdAndStatusShowsIt()
{
    const QString path = makeEpisode(QStringLiteral("small"), 1024);
    const qint64 id = add(path, QStringLiteral("small"));
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QStringLiteral("completed"), 30000);
    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(QStringLiteral("episodes/small/small.bin"), &stored));
    QCOMPARE(stored.size(), 1024);

    // --json: the API's batch answer, one line: {"items": [status...], "missing": [ids]}.
    const Run json = cli({QStringLiteral("status"), QString::number(id), QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(json.out.count('\n'), 1);
    const QJsonObject answer = QJsonDocument::fromJson(json.out).object();
    QVERIFY(answer.value(QStringLiteral("missing")).isArray());
    QVERIFY(answer.value(QStringLiteral("missing")).toArray().isEmpty());
    const QJsonArray items = answer.value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), 1);
    const QJsonObject item = items.first().toObject();
    QVERIFY(item.value(QStringLiteral("episode_id")).isDouble());
    QCOMPARE(item.value(QStringLiteral("episode_id")).toInteger(), id);
    QCOMPARE(item.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    QVERIFY(item.value(QStringLiteral("attempts")).isDouble());
    QVERIFY(item.value(QStringLiteral("last_error")).isNull());
    QVERIFY(item.value(QStringLiteral("next_retry_at")).isNull());
    const QJsonObject cloud = item.value(QStringLiteral("cloud")).toObject();
    QCOMPARE(cloud.value(QStringLiteral("bucket")).toString(), m_fixture.server().bucket());
    QVERIFY(cloud.value(QStringLiteral("etag")).isString());
    // Completed: everything verified, nothing in flight.
    const QJsonObject progress = item.value(QStringLiteral("progress")).toObject();
    QCOMPARE(progress.value(QStringLiteral("percent")).toInt(), 100);
    QCOMPARE(progress.value(QStringLiteral("committed_bytes")).toInteger(),
        progress.value(QStringLiteral("total_bytes")).toInteger());
    QCOMPARE(progress.value(QStringLiteral("inflight_bytes")).toInteger(), 0);

    // The human table: a header, then id, name, state, percent, committed/total.
    const Run human = cli({QStringLiteral("status"), QString::number(id)});
    QCOMPARE(human.exitCode, 0);
    const QStringList lines = QString::fromUtf8(human.out).trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0).simplified(), QStringLiteral("ID NAME STATE PROGRESS COMMITTED/TOTAL SPEED ETA ERROR"));
    QCOMPARE(lines.at(1).simplified(), QStringLiteral("%1 small completed 100 % 1.00 KiB of 1.00 KiB - -").arg(id));
}

void TestScriptCli::listFiltersByStatus()
{
    const qint64 id = add(makeEpisode(QStringLiteral("listed"), 2048), QStringLiteral("listed"));
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QStringLiteral("completed"), 30000);

    const auto listed = [this](const QString &status) {
        const Run result = cli({QStringLiteral("list"), QStringLiteral("--status"), status, QStringLiteral("--json")});
        QList<qint64> ids;
        for (const QJsonValue &item :
            QJsonDocument::fromJson(result.out).object().value(QStringLiteral("items")).toArray()) {
            if (item.toObject().value(QStringLiteral("status")).toString() != status)
                return QList<qint64>{-1}; // the filter let another state through
            ids.append(item.toObject().value(QStringLiteral("episode_id")).toInteger());
        }
        return ids;
    };
    QVERIFY(listed(QStringLiteral("completed")).contains(id));
    QVERIFY(!listed(QStringLiteral("pending")).contains(id));
    QVERIFY(!listed(QStringLiteral("cancelled")).contains(id));
    QVERIFY(!listed(QStringLiteral("completed")).contains(-1));

    const Run human = cli({QStringLiteral("list")});
    QCOMPARE(human.exitCode, 0);
    QVERIFY(human.out.startsWith("ID "));
    QVERIFY2(
        QString::fromUtf8(human.out).contains(QRegularExpression(QStringLiteral("\\n%1 +listed +completed ").arg(id))),
        human.out.constData());

    const Run bad = cli({QStringLiteral("list"), QStringLiteral("--status"), QStringLiteral("bogus")});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains("bogus"));
}

void TestScriptCli::transitionsSeenThroughStatus()
{
    // Every part is held 5 s by the server: the episode stays uploading while the verbs act on it.
    QVERIFY(m_fixture.server().injectFault(stallFault(QStringLiteral("UploadPart"), 5000)));
    const qint64 id = add(makeEpisode(QStringLiteral("slow"), 30 * kMiB), QStringLiteral("slow"));
    QVERIFY(id > 0);
    const QString idText = QString::number(id);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QStringLiteral("in_progress"), 20000);
    const QJsonObject progress = statusJson(id).value(QStringLiteral("progress")).toObject();
    QCOMPARE(progress.value(QStringLiteral("total_bytes")).toInteger(), 30 * kMiB);

    Run run = cli({QStringLiteral("cancel"), idText});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out.trimmed(), QStringLiteral("%1 cancelled").arg(id).toUtf8());
    QCOMPARE(state(id), QStringLiteral("cancelled"));

    run = cli({QStringLiteral("retry"), idText});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(QStringList({QStringLiteral("pending"), QStringLiteral("in_progress")}).contains(state(id)));

    QCOMPARE(cli({QStringLiteral("cancel"), idText}).exitCode, 0);
    QCOMPARE(state(id), QStringLiteral("cancelled"));
    run = cli({QStringLiteral("sync"), idText});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out.trimmed(), QStringLiteral("%1 pending").arg(id).toUtf8());
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QStringLiteral("in_progress"), 20000);

    // Faults off: watch follows it to the end and exits 0.
    QVERIFY(m_fixture.server().clearFaults());
    run = cli({QStringLiteral("watch"), idText});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QVERIFY2(lines.size() >= 2, run.out.constData());
    QVERIFY2(lines.at(lines.size() - 2).contains("100 %"), run.out.constData());
    QVERIFY(lines.at(lines.size() - 2).contains("completed"));
    QVERIFY(lines.at(lines.size() - 2).contains("30.0 MiB of 30.0 MiB"));
    QCOMPARE(lines.last(), QByteArray("1 completed"));
    QVERIFY(!run.out.contains('\x1b')); // not a terminal: plain lines, no cursor movement
}

// pause stops an upload and holds the episode (status says so), resume lets it finish; refused and unknown ids
// answer with the exit codes of the other verbs.
void TestScriptCli::pauseAndResumeVerbs()
{
    QVERIFY(m_fixture.server().injectFault(stallFault(QStringLiteral("UploadPart"), 5000)));
    const qint64 id = add(makeEpisode(QStringLiteral("held"), 30 * kMiB), QStringLiteral("held"));
    QVERIFY(id > 0);
    const QString idText = QString::number(id);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QStringLiteral("in_progress"), 20000);

    Run run = cli({QStringLiteral("pause"), idText});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out.trimmed(), QStringLiteral("%1 pending paused").arg(id).toUtf8()); // once its upload stopped
    QCOMPARE(statusJson(id).value(QStringLiteral("paused")), QJsonValue(true));
    QCOMPARE(cli({QStringLiteral("pause"), idText}).exitCode, 0); // paused already: no change
    const Run human = cli({QStringLiteral("status"), idText});
    QVERIFY2(
        QString::fromUtf8(human.out).contains(QStringLiteral("pending · paused until resumed")), human.out.constData());

    QVERIFY(m_fixture.server().clearFaults());
    run = cli({QStringLiteral("resume"), idText});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out.trimmed(), QStringLiteral("%1 pending").arg(id).toUtf8());
    QCOMPARE(statusJson(id).value(QStringLiteral("paused")), QJsonValue(false));
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QStringLiteral("completed"), 30000);

    run = cli({QStringLiteral("pause"), idText}); // 409 invalid_transition: completed
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.startsWith(QStringLiteral("keystone-console pause: episode %1: ").arg(id).toUtf8()),
        run.err.constData());
    QCOMPARE(cli({QStringLiteral("resume"), idText}).exitCode, 1);
    QCOMPARE(cli({QStringLiteral("resume"), QStringLiteral("987654")}).exitCode, 3);
    QCOMPARE(cli({QStringLiteral("pause"), QStringLiteral("abc")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("pause")}).exitCode, 2);
    const Run help = cli({QStringLiteral("resume"), QStringLiteral("--help")}, false);
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("Resume paused episodes"));
}

void TestScriptCli::watchExitsOneWhenCancelled()
{
    QVERIFY(m_fixture.server().injectFault(stallFault(QStringLiteral("UploadPart"), 5000)));
    const qint64 id = add(makeEpisode(QStringLiteral("abandoned"), 20 * kMiB), QStringLiteral("abandoned"));
    QVERIFY(id > 0);
    QProcess watch;
    watch.start(QStringLiteral(KEYSTONE_CONSOLE_BIN),
        {QStringLiteral("watch"), QString::number(id), QStringLiteral("--data-dir"), m_dataDir,
            QStringLiteral("--listen"), m_listen});
    QByteArray output;
    const auto watching = [&] {
        watch.waitForReadyRead(100);
        output += watch.readAllStandardOutput();
        return output.contains("abandoned");
    };
    QTRY_VERIFY_WITH_TIMEOUT(watching(), 20000);
    QCOMPARE(cli({QStringLiteral("cancel"), QString::number(id)}).exitCode, 0);
    QVERIFY(watch.waitForFinished(20000));
    output += watch.readAllStandardOutput();
    QCOMPARE(watch.exitCode(), 1);
    QVERIFY2(output.trimmed().endsWith("1 cancelled"), output.constData());
}

void TestScriptCli::watchWithoutIdsFollowsActiveEpisodes()
{
    // Each part held 1 s, so the episode is still active when watch lists what to follow.
    QVERIFY(m_fixture.server().injectFault(stallFault(QStringLiteral("UploadPart"), 1000)));
    const qint64 id = add(makeEpisode(QStringLiteral("followed"), 20 * kMiB), QStringLiteral("followed"));
    QVERIFY(id > 0);
    const Run run = cli({QStringLiteral("watch")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains(QStringLiteral(" followed ").toUtf8()), run.out.constData());
    QVERIFY(run.out.contains("100 %"));
    QVERIFY(!run.out.contains("abandoned")); // terminal episodes are not followed
    QCOMPARE(state(id), QStringLiteral("completed"));

    // Nothing active any more: watch says so and exits 0 at once.
    const Run idle = cli({QStringLiteral("watch")});
    QCOMPARE(idle.exitCode, 0);
    QVERIFY(idle.err.contains("no episode"));
}

void TestScriptCli::watchOnTerminalRedrawsInPlace()
{
    QVERIFY(m_fixture.server().injectFault(stallFault(QStringLiteral("UploadPart"), 700)));
    const qint64 id = add(makeEpisode(QStringLiteral("onscreen"), 20 * kMiB), QStringLiteral("onscreen"));
    QVERIFY(id > 0);
    // script(1) gives watch a pseudo-terminal as stdout.
    const QString command = QStringLiteral("'%1' watch %2 --data-dir '%3' --listen %4")
                                .arg(QStringLiteral(KEYSTONE_CONSOLE_BIN))
                                .arg(id)
                                .arg(m_dataDir, m_listen);
    QProcess script;
    script.start(QStringLiteral("script"), {QStringLiteral("-qec"), command, QStringLiteral("/dev/null")});
    QVERIFY(script.waitForFinished(60000));
    const QByteArray output = script.readAllStandardOutput();
    QVERIFY2(script.exitCode() == 0, output.constData());
    QVERIFY2(output.contains("\x1b[1A\r\x1b[2K"), output.constData()); // back up one line, erase, redraw
    QVERIFY(output.contains("100 %"));
    QVERIFY(output.contains("[##############################]"));
}

void TestScriptCli::helpNamesExitCodes()
{
    const Run run = cli({QStringLiteral("status"), QStringLiteral("--help")}, false);
    QCOMPARE(run.exitCode, 0);
    for (const char *text : {"--json", "--data-dir", "--listen", "--token-file", "Exit codes", "4  server unreachable",
             "5  authentication failed"})
        QVERIFY2(run.out.contains(text), text);
}

void TestScriptCli::throttleVerbSetsAndShowsRecordingMode()
{
    Run run = cli({QStringLiteral("throttle")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.startsWith("normal"), run.out.constData());

    run = cli({QStringLiteral("throttle"), QStringLiteral("recording"), QStringLiteral("--limit"), QStringLiteral("2M"),
        QStringLiteral("--for"), QStringLiteral("30m")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString line = QString::fromUtf8(run.out.trimmed());
    QVERIFY2(line.startsWith(QStringLiteral("recording (asked)")) && line.contains(QStringLiteral("2.00 MiB/s"))
            && line.contains(QStringLiteral("1 part per episode")) && line.contains(QStringLiteral("until ")),
        qPrintable(line));
    run = cli({QStringLiteral("throttle"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject json = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(json.value(QStringLiteral("mode")).toString(), QStringLiteral("recording"));
    QCOMPARE(json.value(QStringLiteral("limit_bytes_per_second")).toInteger(), 2 * kMiB);
    QVERIFY(QDateTime::fromString(json.value(QStringLiteral("until")).toString(), Qt::ISODateWithMs).isValid());

    // The instance checks the rate: a clear error, the mode unchanged.
    run = cli(
        {QStringLiteral("throttle"), QStringLiteral("recording"), QStringLiteral("--limit"), QStringLiteral("fast")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("limit"), run.err.constData());
    QCOMPARE(cli({QStringLiteral("throttle"), QStringLiteral("loud")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("throttle"), QStringLiteral("off"), QStringLiteral("--limit"), QStringLiteral("1M")})
                 .exitCode,
        2);
    run = cli({QStringLiteral("throttle"), QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("limit_bytes_per_second")).toInteger(),
        2 * kMiB);

    run = cli({QStringLiteral("throttle"), QStringLiteral("off")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.startsWith("normal"), run.out.constData());
}

void TestScriptCli::prioritySetsAndValidates()
{
    const qint64 id = add(makeEpisode(QStringLiteral("prio"), 1024), QStringLiteral("prio"));
    QVERIFY(id > 0);
    const QString idText = QString::number(id);
    Run run = cli({QStringLiteral("priority"), idText, QStringLiteral("12")});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out.trimmed(), QStringLiteral("%1 priority 12").arg(id).toUtf8());
    QCOMPARE(statusJson(id).value(QStringLiteral("priority")).toInt(), 12);
    // A negative priority is an operand, also with the location options after it.
    run = cli({QStringLiteral("priority"), idText, QStringLiteral("-7")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(statusJson(id).value(QStringLiteral("priority")).toInt(), -7);

    QCOMPARE(cli({QStringLiteral("priority"), idText, QStringLiteral("1001")}).exitCode, 2); // the API's 400
    QCOMPARE(cli({QStringLiteral("priority"), idText, QStringLiteral("high")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("priority"), idText}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("priority"), QStringLiteral("999999"), QStringLiteral("1")}).exitCode, 3);
    QCOMPARE(statusJson(id).value(QStringLiteral("priority")).toInt(), -7);
}

void TestScriptCli::conflictIsRefused()
{
    const QString path = makeEpisode(QStringLiteral("twice"), 100);
    const qint64 id = add(path, QStringLiteral("twice"));
    QVERIFY(id > 0);
    Run run = cli({QStringLiteral("add"), path, QStringLiteral("--name"), QStringLiteral("twice")}); // name taken
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.err.count('\n'), 1);

    QTRY_COMPARE_WITH_TIMEOUT(state(id), QStringLiteral("completed"), 30000);
    run = cli({QStringLiteral("cancel"), QString::number(id)}); // 409 invalid_transition
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.startsWith(QStringLiteral("keystone-console cancel: episode %1: ").arg(id).toUtf8()),
        run.err.constData());
}

void TestScriptCli::notFoundAndUsage_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString unknown = QStringLiteral("987654");
    QTest::newRow("status unknown") << QStringList{QStringLiteral("status"), unknown} << 3 << unknown;
    QTest::newRow("sync unknown") << QStringList{QStringLiteral("sync"), unknown} << 3 << unknown;
    QTest::newRow("retry unknown") << QStringList{QStringLiteral("retry"), unknown} << 3 << unknown;
    QTest::newRow("watch unknown") << QStringList{QStringLiteral("watch"), unknown} << 3 << unknown;
    QTest::newRow("garbage id") << QStringList{QStringLiteral("status"), QStringLiteral("abc")} << 2
                                << QStringLiteral("'abc'");
    QTest::newRow("signed id") << QStringList{QStringLiteral("cancel"), QStringLiteral("+1")} << 2
                               << QStringLiteral("'+1'");
    QTest::newRow("id too large") << QStringList{QStringLiteral("sync"), QStringLiteral("99999999999999999999")} << 2
                                  << QStringLiteral("99999999999999999999");
    QTest::newRow("no id") << QStringList{QStringLiteral("status")} << 2 << QStringLiteral("at least one");
    QTest::newRow("add without path") << QStringList{QStringLiteral("add")} << 2 << QStringLiteral("PATH");
    QTest::newRow("add missing path") << QStringList{QStringLiteral("add"), QStringLiteral("/nonexistent/episode")} << 2
                                      << QStringLiteral("/nonexistent/episode");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("status"), QStringLiteral("--frobnicate"),
        QStringLiteral("1")} << 2 << QStringLiteral("frobnicate");
    QTest::newRow("option of another verb") << QStringList{QStringLiteral("sync"), QStringLiteral("--json"),
        QStringLiteral("1")} << 2 << QStringLiteral("json");
}

void TestScriptCli::notFoundAndUsage()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run run = cli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
}

void TestScriptCli::serverDownIsUnreachable()
{
    QTcpServer probe; // a port that was free a moment ago and has nothing listening now
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    // A data directory without a socket: the instance's own socket would reach it (socketIsUsedWithoutTcp).
    const Run run = cli({QStringLiteral("status"), QStringLiteral("1"), QStringLiteral("--data-dir"),
                            m_fixture.filePath(QStringLiteral("nowhere")), QStringLiteral("--listen"),
                            QStringLiteral("127.0.0.1:%1").arg(port)},
        false);
    QCOMPARE(run.exitCode, 4);
    QVERIFY2(run.err.contains(QStringLiteral("http://127.0.0.1:%1/api/v1").arg(port).toUtf8()), run.err.constData());
    QVERIFY(run.err.contains("keystone-console --server"));
}

void TestScriptCli::wrongTokenIsAuthenticationFailure()
{
    const QString tokenFile = m_fixture.filePath(QStringLiteral("wrong-token"));
    QVERIFY(TestData::writeFile(tokenFile, QByteArray(64, 'a') + '\n'));
    Run run = cli({QStringLiteral("status"), QStringLiteral("1"), QStringLiteral("--token-file"), tokenFile});
    QCOMPARE(run.exitCode, 5);
    QVERIFY2(run.err.contains(tokenFile.toUtf8()), run.err.constData());
    QVERIFY(run.err.contains("401"));

    // A data directory without the instance's token: the same, naming the file it looked for.
    const QString otherDir = m_fixture.filePath(QStringLiteral("elsewhere"));
    run = cli(
        {QStringLiteral("list"), QStringLiteral("--data-dir"), otherDir, QStringLiteral("--listen"), m_listen}, false);
    QCOMPARE(run.exitCode, 5);
    QVERIFY2(run.err.contains(QDir(otherDir).filePath(QStringLiteral("api-token")).toUtf8()), run.err.constData());
    QVERIFY(run.err.contains("cannot be read"));

    // The right token through --token-file works from anywhere.
    run = cli({QStringLiteral("list"), QStringLiteral("--data-dir"), otherDir, QStringLiteral("--listen"), m_listen,
                  QStringLiteral("--token-file"), QDir(m_dataDir).filePath(QStringLiteral("api-token"))},
        false);
    QCOMPARE(run.exitCode, 0);
}

// With the instance's data directory, the CLI talks through its Unix socket: a TCP address where nothing listens
// does not matter.
void TestScriptCli::socketIsUsedWithoutTcp()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 deadPort = probe.serverPort();
    probe.close();
    const QString socket = QDir(m_dataDir).filePath(QStringLiteral("api.sock"));
    QVERIFY(QFileInfo(socket).exists());
    QVERIFY2(m_server->output().contains("API also on unix:" + QFile::encodeName(socket)), m_server->output());
    Run run = cli({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--data-dir"), m_dataDir,
                      QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(deadPort)},
        false);
    QCOMPARE(run.exitCode, 0);
    QVERIFY(QJsonDocument::fromJson(run.out).object().contains(QStringLiteral("items")));
    // The socket named explicitly, from a directory that holds no instance (the token from --token-file).
    run = cli({QStringLiteral("list"), QStringLiteral("--data-dir"), m_fixture.filePath(QStringLiteral("nowhere")),
                  QStringLiteral("--listen"), QStringLiteral("unix:") + socket, QStringLiteral("--listen"),
                  QStringLiteral("127.0.0.1:%1").arg(deadPort), QStringLiteral("--token-file"),
                  QDir(m_dataDir).filePath(QStringLiteral("api-token"))},
        false);
    QCOMPARE(run.exitCode, 0);
}

void TestScriptCli::fakeServerOnTheApiPortNeverGetsTheToken_data()
{
    QTest::addColumn<bool>("relay");
    QTest::newRow("made-up proof") << false;
    QTest::newRow("relayed to the real instance") << true;
}

// Issue 17: a process that holds the API port while the instance is not there (it died, or listens elsewhere) must
// not get the token. The CLI uses TCP here (the data directory has no socket) and asks for the identity proof
// first; the fake cannot make one, and relaying the nonce to the real instance yields a proof for the real port.
void TestScriptCli::fakeServerOnTheApiPortNeverGetsTheToken()
{
    QFETCH(bool, relay);
    FakeApiServer fake(relay ? m_server->apiBase() : QUrl());
    QVERIFY(fake.listen());
    // The instance's token and identity files, copied where no socket is: what a client beside a moved socket has.
    const QString elsewhere = m_fixture.filePath(QStringLiteral("copied-%1").arg(relay));
    QVERIFY(QDir().mkpath(elsewhere));
    for (const char *name : {"api-token", "server-identity"}) {
        const QString copy = QDir(elsewhere).filePath(QLatin1String(name));
        QFile::remove(copy);
        QVERIFY(QFile::copy(QDir(m_dataDir).filePath(QLatin1String(name)), copy));
        QVERIFY(QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner));
    }
    QProcess process;
    process.start(QStringLiteral(KEYSTONE_CONSOLE_BIN),
        {QStringLiteral("list"), QStringLiteral("--data-dir"), elsewhere, QStringLiteral("--listen"),
            QStringLiteral("127.0.0.1:%1").arg(fake.port())});
    QSignalSpy finished(&process, &QProcess::finished); // the fake answers on this thread: wait with the event loop
    QVERIFY(finished.wait(30000));
    const QByteArray err = process.readAllStandardError();
    QCOMPARE(process.exitCode(), 6);
    QVERIFY2(
        err.contains("did not prove it is the instance") && err.contains("the token was not sent"), err.constData());
    QVERIFY2(fake.received().startsWith("GET /api/v1/health?nonce="), fake.received().constData());
    QVERIFY(!fake.received().contains(m_server->token()));
    QVERIFY(!fake.received().contains("Authorization"));

    // The same files against the real instance's port: the proof holds and the token goes.
    const Run run = cli(
        {QStringLiteral("list"), QStringLiteral("--data-dir"), elsewhere, QStringLiteral("--listen"), m_listen}, false);
    QCOMPARE(run.exitCode, 0);
}

QTEST_GUILESS_MAIN(TestScriptCli)
#include "tst_scriptcli.moc"

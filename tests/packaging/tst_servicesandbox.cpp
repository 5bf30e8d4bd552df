// The service unit's restrictions against the real program: `keystone-console --server` runs under
// MemoryDenyWriteExecute=yes (mdwe-exec) and under the unit's SystemCallFilter=~@privileged @resources with
// SystemCallErrorNumber=EPERM (syscall-deny-exec), with the unit's environment, serves its API and uploads an episode
// to the strict S3 server, then stops cleanly on SIGTERM. A crash, a refused W+X mapping or a call the filter takes
// away in Qt, libcurl, OpenSSL or SQLite shows up here instead of in a station's journal.
#include "apiclient.h"
#include "consoleprocess.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "testdata.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

constexpr int kMdweUnsupported = 77;

} // namespace

class TestServiceSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void serverUploadsUnderMemoryDenyWriteExecute_data();
    void serverUploadsUnderMemoryDenyWriteExecute();
    void filterListIsSystemdsGroups();
    void serverUploadsUnderTheSystemCallFilter();

private:
    // wrapper imposes a restriction and execs the server, which announces its API as always.
    void uploadThrough(const QString &wrapper, const QProcessEnvironment &environment, QByteArray *standardError);
    QProcessEnvironment unitEnvironment() const;

    StrictServerFixture m_fixture;
    bool m_mdweSupported = false;
};

void TestServiceSandbox::initTestCase()
{
    // Whether this kernel can impose the restriction at all (Debian 12's own 6.1 kernel cannot).
    QProcess probe;
    probe.start(QStringLiteral(KEYSTONE_MDWE_EXEC), {QStringLiteral("/bin/true")});
    QVERIFY(probe.waitForFinished(10000));
    m_mdweSupported = probe.exitCode() != kMdweUnsupported;
    QVERIFY2(!m_mdweSupported || probe.exitCode() == 0, probe.readAllStandardError().constData());

    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestServiceSandbox::serverUploadsUnderMemoryDenyWriteExecute_data()
{
    QTest::addColumn<bool>("regexpJit");
    // As keystone-console.service runs it (Environment=QT_ENABLE_REGEXP_JIT=0), and with Qt's default.
    QTest::newRow("unit environment") << false;
    QTest::newRow("regexp JIT on") << true;
}

QProcessEnvironment TestServiceSandbox::unitEnvironment() const
{
    QProcessEnvironment environment = ConsoleProcess::cleanEnvironment();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(m_fixture.server().accessKeyId()));
    environment.insert(
        QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(m_fixture.server().secretAccessKey()));
    environment.insert(QStringLiteral("QT_ENABLE_REGEXP_JIT"), QStringLiteral("0")); // Environment= of the unit
    return environment;
}

void TestServiceSandbox::uploadThrough(
    const QString &wrapper, const QProcessEnvironment &environment, QByteArray *standardError)
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString episode = dir.filePath(QStringLiteral("episode"));
    const QByteArray big = TestData::randomBytes(11 * 1024 * 1024, 6);
    const QByteArray small = TestData::randomBytes(300, 7);
    QVERIFY(TestData::writeFile(episode + QStringLiteral("/camera.bin"), big));
    QVERIFY(TestData::writeFile(episode + QStringLiteral("/meta.json"), small));

    ConsoleProcess server(wrapper, environment);
    QString error;
    QVERIFY2(
        server.start(
            {QStringLiteral(KEYSTONE_CONSOLE_BIN), QStringLiteral("--server"), QStringLiteral("--listen"),
                QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")),
                QStringLiteral("--bucket"), m_fixture.server().bucket(), QStringLiteral("--endpoint"),
                m_fixture.server().endpoint().toString(), QStringLiteral("--path-style"), QStringLiteral("--region"),
                QString::fromLatin1(m_fixture.server().region()), QStringLiteral("--part-size"), QStringLiteral("5M"),
                QStringLiteral("--single-put-threshold"), QStringLiteral("1M")},
            &error, 20000),
        qPrintable(error));
    ApiClient api(server.apiUrl(), server.token());

    QCOMPARE(api.get(QStringLiteral("/health")).status, 200);
    const QString name = QStringLiteral("ep-%1").arg(QFileInfo(wrapper).fileName());
    const HttpReply registered = api.registerEpisode(episode, name);
    QVERIFY2(registered.status == 201, registered.body.constData());
    const qint64 id = registered.json().value(QStringLiteral("episode_id")).toInteger();
    const auto status = [&] { return api.episodeStatus(id).value(QStringLiteral("status")).toString(); };
    QTRY_COMPARE_WITH_TIMEOUT(status(), QStringLiteral("completed"), 60000);

    QByteArray stored;
    QVERIFY(m_fixture.server().getObject(QStringLiteral("episodes/%1/camera.bin").arg(name), &stored));
    QVERIFY(stored == big);
    QVERIFY(m_fixture.server().getObject(QStringLiteral("episodes/%1/meta.json").arg(name), &stored));
    QVERIFY(stored == small);

    QCOMPARE(server.terminate(20000), 0); // a normal exit, code 0
    *standardError = server.standardError();
}

void TestServiceSandbox::serverUploadsUnderMemoryDenyWriteExecute()
{
    QFETCH(bool, regexpJit);
    if (!m_mdweSupported)
        QSKIP("PR_SET_MDWE unsupported by this kernel (needs Linux 6.3)");
    QProcessEnvironment environment = unitEnvironment();
    if (regexpJit)
        environment.remove(QStringLiteral("QT_ENABLE_REGEXP_JIT"));
    QByteArray err;
    uploadThrough(QStringLiteral(KEYSTONE_MDWE_EXEC), environment, &err);
}

// The helper's list is systemd's: the two groups as this systemd-analyze expands them, nothing more or less.
void TestServiceSandbox::filterListIsSystemdsGroups()
{
    // systemd-analyze names nested groups (@chown in @privileged) without expanding them: follow them.
    QSet<QString> systemd;
    QStringList groups{QStringLiteral("@privileged"), QStringLiteral("@resources")};
    QSet<QString> seen;
    while (!groups.isEmpty()) {
        const QString group = groups.takeFirst();
        QProcess analyze;
        analyze.start(QStringLiteral("systemd-analyze"), {QStringLiteral("syscall-filter"), group});
        if (!analyze.waitForFinished(10000) || analyze.exitCode() != 0)
            QSKIP("systemd-analyze is not installed: the helper's list is not compared");
        const QList<QByteArray> lines = analyze.readAllStandardOutput().split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) { // the first line is the group's own name
            const QString name = QString::fromLatin1(lines.at(i).trimmed());
            if (name.startsWith(QLatin1Char('@')) && !seen.contains(name)) {
                seen.insert(name);
                groups << name;
            } else if (!name.isEmpty() && !name.startsWith(QLatin1Char('#')) && !name.startsWith(QLatin1Char('@'))) {
                systemd.insert(name);
            }
        }
    }

    QProcess list;
    list.start(QStringLiteral(KEYSTONE_SYSCALL_DENY_EXEC), {QStringLiteral("--list")});
    QVERIFY(list.waitForFinished(10000));
    QSet<QString> helper;
    for (const QByteArray &line : list.readAllStandardOutput().split('\n')) {
        if (!line.trimmed().isEmpty())
            helper.insert(QString::fromLatin1(line.split(' ').value(0)));
    }
    QCOMPARE(helper, systemd);
}

void TestServiceSandbox::serverUploadsUnderTheSystemCallFilter()
{
    QByteArray err;
    uploadThrough(QStringLiteral(KEYSTONE_SYSCALL_DENY_EXEC), unitEnvironment(), &err);
    if (QTest::currentTestFailed())
        return;
    // setpriority and ioprio_set stay allowed: the work threads still run at the lower priority.
    QVERIFY2(!err.contains("cannot lower the priority"), err.constData());
}

QTEST_GUILESS_MAIN(TestServiceSandbox)
#include "tst_servicesandbox.moc"

// Permanent faults (issue 8): AccessDenied, NoSuchBucket and a wrong secret end an episode as `failed` after the
// first classification: one request reaches the server, the attempt is not repeated, and the S3 error code is what
// the API's status JSON and the console's table show.
#include "api/apiserver.h"
#include "apiclient.h"
#include "episodetablemodel.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using TestData::kMiB;

class TestPermanentFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void permanentFaultFailsAtOnce_data();
    void permanentFaultFailsAtOnce();
    void emptyServerMessageGetsOurSentence();

private:
    StrictServerFixture m_fixture;
};

void TestPermanentFaults::initTestCase()
{
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestPermanentFaults::init()
{
    QVERIFY(m_fixture.makeDir());
    QVERIFY(m_fixture.resetServer());
}

void TestPermanentFaults::permanentFaultFailsAtOnce_data()
{
    QTest::addColumn<QString>("fault"); // what is wrong
    QTest::addColumn<QString>("code"); // the S3 code the episode must fail with
    QTest::newRow("access denied") << "access"
                                   << "AccessDenied";
    QTest::newRow("no such bucket") << "bucket"
                                    << "NoSuchBucket";
    QTest::newRow("wrong secret") << "secret"
                                  << "SignatureDoesNotMatch";
}

void TestPermanentFaults::permanentFaultFailsAtOnce()
{
    QFETCH(QString, fault);
    QFETCH(QString, code);
    SyncConfig config = m_fixture.syncConfig(QStringLiteral("reliability/permanent"));
    config.upload.singlePutThreshold = 5 * kMiB; // a 6 MiB file: CreateMultipartUpload is the first request
    config.upload.retry = RetryPolicy(5, 10, 50); // retryable errors would be repeated: these must not be
    config.episodeRetry = RetryPolicy(5, 50, 100, RetryPolicy::Jitter::Equal);
    if (fault == QLatin1String("access")) {
        QVERIFY(m_fixture.server().injectFault(TestData::fault(QStringLiteral("*"), QStringLiteral("status"),
            {{QStringLiteral("status"), 403}, {QStringLiteral("code"), QStringLiteral("AccessDenied")},
                {QStringLiteral("message"), QStringLiteral("Access Denied")}, {QStringLiteral("times"), -1}})));
    } else if (fault == QLatin1String("bucket")) {
        config.bucket = QStringLiteral("no-such-bucket");
    } else {
        config.credentials.secretAccessKey = "not-the-secret";
    }
    const QString path = m_fixture.filePath(QStringLiteral("ep.bin"));
    QVERIFY(TestData::writeFile(path, TestData::randomBytes(6 * kMiB, 7)));

    auto engine = TestData::openSyncEngine(config);
    QVERIFY(engine);
    EpisodeTableModel model(*engine);
    ApiConfig apiConfig;
    apiConfig.dataDir = config.dataDir;
    ApiServer api(*engine, apiConfig);
    const auto started = api.start();
    QVERIFY2(started, qPrintable(started.error().message));
    ApiClient client(api.url(), api.token());

    const qint64 id = TestData::registerEpisode(*engine, path, QStringLiteral("ep"));
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Failed, 20000);
    const EpisodeRecord record = engine->status(id)->record;
    QCOMPARE(record.lastErrorCode, code);
    QCOMPARE(record.attempts, 1); // not retried beyond the first classification
    QVERIFY(!record.nextRetryAt.isValid());

    // Attempts bounded, from the server's side: the one CreateMultipartUpload, and nothing after it.
    const QJsonObject requests = m_fixture.server().stats().value(QStringLiteral("requests")).toObject();
    QCOMPARE(requests.value(QStringLiteral("CreateMultipartUpload")).toInteger(), 1);
    QCOMPARE(requests.value(QStringLiteral("UploadPart")).toInteger(), 0);
    QCOMPARE(requests.value(QStringLiteral("PutObject")).toInteger(), 0);

    const HttpReply reply = client.get(QStringLiteral("/sync/episodes/%1/status").arg(id));
    QCOMPARE(reply.status, 200);
    const QJsonObject status = reply.json();
    QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(status.value(QStringLiteral("last_error")).toObject().value(QStringLiteral("code")).toString(), code);

    QTRY_VERIFY(model.rowOf(id) >= 0 && model.statusAt(model.rowOf(id)).record.state == EpisodeState::Failed);
    const int row = model.rowOf(id);
    const QModelIndex errorCell = model.index(row, EpisodeTableModel::LastErrorColumn);
    QVERIFY(!model.data(errorCell, Qt::DisplayRole).toString().isEmpty());
    QVERIFY2(model.data(errorCell, Qt::ToolTipRole).toString().startsWith(code + QLatin1Char(':')),
        qPrintable(model.data(errorCell, Qt::ToolTipRole).toString()));
    QVERIFY(model.data(model.index(row, EpisodeTableModel::StatusColumn), Qt::ToolTipRole).toString().contains(code));
}

// A server that sends error documents with an empty <Message> (Ceph radosgw 16.2, issue 18): the operator reads
// our sentence for the code, with the code, the HTTP status and the request id kept.
void TestPermanentFaults::emptyServerMessageGetsOurSentence()
{
    S3ServerProcess quirky(S3ServerProcess::Kind::Strict);
    quirky.setExtraArguments({QStringLiteral("--quirk"), QStringLiteral("empty-error-message")});
    QString error;
    QVERIFY2(quirky.start(&error), qPrintable(error));
    SyncConfig config = TestData::syncConfig(quirky, m_fixture.dataDir(), QStringLiteral("reliability/empty-message"));
    config.credentials.secretAccessKey = "not-the-secret";
    const QString path = m_fixture.filePath(QStringLiteral("ep.bin"));
    QVERIFY(TestData::writeFile(path, TestData::randomBytes(64 * 1024, 8)));
    auto engine = TestData::openSyncEngine(config);
    QVERIFY(engine);

    const qint64 id = TestData::registerEpisode(*engine, path, QStringLiteral("ep"));
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Failed, 20000);
    const EpisodeRecord record = engine->status(id)->record;
    QCOMPARE(record.lastErrorCode, QStringLiteral("SignatureDoesNotMatch"));
    const QString &message = record.lastErrorMessage;
    QVERIFY2(message.startsWith(QLatin1String("The request's signature does not match")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("(HTTP 403)")), qPrintable(message));
    QVERIFY2(
        message.contains(QRegularExpression(QStringLiteral("\\[request id [0-9A-Za-z]+\\]"))), qPrintable(message));
}

QTEST_MAIN(TestPermanentFaults)
#include "tst_permanentfaults.moc"

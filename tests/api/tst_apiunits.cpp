// The API's pure parts without a server: id validation, JSON codecs, the token file and the Host/bearer checks.
#include "api/apiauth.h"
#include "api/apijson.h"
#include "api/idlistparser.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

class TestApiUnits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idListAccepts_data();
    void idListAccepts();
    void idListRejects_data();
    void idListRejects();
    void statusJsonShape();
    void errorMapping();
    void tokenFileIsCreatedPrivateAndReused();
    void tokenFileReadableByOthersIsRefused();
    void tokenRegenerationReplacesTheFile();
    void malformedTokenFileIsRefused();
    void bearerCheck();
    void hostCheck_data();
    void hostCheck();
};

void TestApiUnits::idListAccepts_data()
{
    QTest::addColumn<QString>("ids");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::newRow("one") << "7" << QList<qint64>{7};
    QTest::newRow("order and duplicates kept") << "3,1,3" << QList<qint64>{3, 1, 3};
    QTest::newRow("leading zeros") << "007" << QList<qint64>{7};
    QTest::newRow("64-bit max") << "9223372036854775807" << QList<qint64>{9223372036854775807LL};
    QString thousand;
    QList<qint64> thousandIds;
    for (int i = 1; i <= 1000; ++i) {
        thousand += (i > 1 ? QStringLiteral(",") : QString()) + QString::number(i);
        thousandIds << i;
    }
    QTest::newRow("1000 ids") << thousand << thousandIds;
}

void TestApiUnits::idListAccepts()
{
    QFETCH(QString, ids);
    QFETCH(QList<qint64>, expected);
    const auto result = IdListParser::parseList(ids);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.ids, expected);
}

void TestApiUnits::idListRejects_data()
{
    QTest::addColumn<std::optional<QString>>("ids");
    QTest::addColumn<QString>("why");
    QTest::newRow("missing") << std::optional<QString>() << "required";
    QTest::newRow("empty") << std::optional<QString>(QString()) << "required";
    QTest::newRow("letters") << std::optional<QString>("1,abc") << "not an integer";
    QTest::newRow("decimal") << std::optional<QString>("1.5") << "not an integer";
    QTest::newRow("exponent") << std::optional<QString>("1e3") << "not an integer";
    QTest::newRow("hex") << std::optional<QString>("0x10") << "not an integer";
    QTest::newRow("space") << std::optional<QString>(" 1") << "not an integer";
    QTest::newRow("plus") << std::optional<QString>("+1") << "not an integer";
    QTest::newRow("empty item") << std::optional<QString>("1,,2") << "empty";
    QTest::newRow("trailing comma") << std::optional<QString>("1,") << "empty";
    QTest::newRow("zero") << std::optional<QString>("0") << "positive";
    QTest::newRow("negative") << std::optional<QString>("-4") << "positive";
    QTest::newRow("2^63") << std::optional<QString>("9223372036854775808") << "64-bit";
    QTest::newRow("huge") << std::optional<QString>("123456789012345678901234567890") << "64-bit";
    QString tooMany;
    for (int i = 1; i <= 1001; ++i)
        tooMany += (i > 1 ? QStringLiteral(",") : QString()) + QString::number(i);
    QTest::newRow("1001 ids") << std::optional<QString>(tooMany) << "at most 1000";
}

void TestApiUnits::idListRejects()
{
    QFETCH(std::optional<QString>, ids);
    QFETCH(QString, why);
    const auto result = IdListParser::parseList(ids);
    QVERIFY(!result.ok());
    QVERIFY(result.ids.isEmpty());
    QVERIFY2(result.error.contains(why), qPrintable(result.error));
}

void TestApiUnits::statusJsonShape()
{
    EpisodeStatus status;
    status.record.id = 42;
    status.record.state = EpisodeState::Pending;
    status.record.attempts = 1; // the retry budget's count
    status.record.attemptsMade = 3; // every attempt: what operators see
    status.record.lastErrorCode = QStringLiteral("SlowDown");
    status.record.lastErrorMessage = QStringLiteral("503");
    status.record.nextRetryAt = QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9, 10), Qt::UTC);
    status.stage = EpisodeStage::WaitingRetry;
    QJsonObject json = ApiJson::status(status);
    QCOMPARE(json.value("episode_id").toInteger(), 42);
    QCOMPARE(json.value("status").toString(), QStringLiteral("pending"));
    QCOMPARE(json.value("stage").toString(), QStringLiteral("waiting_retry"));
    QCOMPARE(json.value("attempts").toInt(), 3);
    QCOMPARE(json.value("last_error").toObject().value("code").toString(), QStringLiteral("SlowDown"));
    QVERIFY(json.value("last_error").toObject().value("hint").toString().contains(QLatin1String("retry")));
    QCOMPARE(json.value("next_retry_at").toString(), QStringLiteral("2024-05-06T07:08:09.010Z"));
    QVERIFY(json.value("cloud").isNull());
    QVERIFY(!json.contains("progress")); // nothing verified, no attempt running

    TransferProgress resting; // at rest with verified parts: shown, runtime figures zero
    resting.committedBytes = 300;
    resting.totalBytes = 1000;
    resting.partsCompleted = 3;
    resting.partsTotal = 10;
    status.progress = resting;
    json = ApiJson::status(status);
    QCOMPARE(json.value("progress").toObject().value("committed_bytes").toInteger(), 300);
    QCOMPARE(json.value("progress").toObject().value("inflight_bytes").toInteger(), 0);
    QCOMPARE(json.value("progress").toObject().value("percent").toInt(), 30);

    status.record.state = EpisodeState::InProgress;
    status.record.lastErrorCode.clear();
    status.record.nextRetryAt = {};
    status.stage = EpisodeStage::Uploading;
    status.progress = TransferProgress{500, 100, 1000, 1, 2, 0, 1, 12.5, -1, 6};
    json = ApiJson::status(status);
    QVERIFY(json.value("last_error").isNull());
    QVERIFY(json.value("next_retry_at").isNull());
    const QJsonObject progress = json.value("progress").toObject();
    QCOMPARE(progress.value("committed_bytes").toInteger(), 500);
    QCOMPARE(progress.value("inflight_bytes").toInteger(), 100);
    QCOMPARE(progress.value("percent").toDouble(), 50.0);
    QCOMPARE(progress.value("parts_total").toInt(), 2);
    QVERIFY(progress.value("eta_seconds").isNull());
    QCOMPARE(progress.value("parallel").toInt(), 6);
    QCOMPARE(progress.size(), 11);
    status.progress->committedBytes = 99'996; // 99.996 %: rounded down, never 100 before completed
    status.progress->totalBytes = 100'000;
    QCOMPARE(ApiJson::status(status).value("progress").toObject().value("percent").toInt(), 99);

    status.record.state = EpisodeState::Completed;
    status.progress.reset();
    status.record.cloudBucket = QStringLiteral("b");
    status.record.cloudKeyPrefix = QStringLiteral("episodes/x");
    status.record.manifestEtag = "abc";
    status.record.syncedAt = QDateTime::currentDateTimeUtc();
    json = ApiJson::status(status);
    QCOMPARE(json.value("cloud").toObject().value("key_prefix").toString(), QStringLiteral("episodes/x"));
    QVERIFY(!json.value("cloud").toObject().value("synced_at").toString().isEmpty());
    QVERIFY(!json.contains("progress"));
}

void TestApiUnits::errorMapping()
{
    QCOMPARE(ApiJson::httpError(SyncError::Code::NotFound).httpStatus, 404);
    QCOMPARE(ApiJson::httpError(SyncError::Code::InvalidTransition).httpStatus, 409);
    QCOMPARE(ApiJson::httpError(SyncError::Code::InvalidInput).httpStatus, 400);
    QCOMPARE(ApiJson::httpError(SyncError::Code::Conflict).httpStatus, 409);
    QCOMPARE(ApiJson::httpError(SyncError::Code::CatalogFailed).httpStatus, 500);
    QCOMPARE(ApiJson::httpError(SyncError::Code::UnsupportedFiles).httpStatus, 400);
    QCOMPARE(ApiJson::httpError(SyncError::Code::UnsupportedFiles).code, QStringLiteral("unsupported_files"));
    QCOMPARE(ApiJson::errorBody("x", "y \"quoted\""),
        QByteArray("{\"error\":{\"code\":\"x\",\"message\":\"y \\\"quoted\\\"\"}}"));
    QCOMPARE(ApiJson::errorBody("unsupported_files", "m", {QStringLiteral("a/pipe"), QStringLiteral("link")}),
        QByteArray("{\"error\":{\"code\":\"unsupported_files\",\"message\":\"m\",\"paths\":[\"a/pipe\",\"link\"]}}"));
}

void TestApiUnits::tokenFileIsCreatedPrivateAndReused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sub/api-token"));
    ApiAuth first;
    const auto created = first.loadOrCreateToken(path);
    QVERIFY2(created, qPrintable(created.error().message));
    QVERIFY(first.token().size() >= 64);
    struct stat st = {};
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
    ApiAuth second;
    QVERIFY(second.loadOrCreateToken(path));
    QCOMPARE(second.token(), first.token());
    ApiAuth other;
    QVERIFY(other.loadOrCreateToken(dir.filePath(QStringLiteral("other-token"))));
    QVERIFY(other.token() != first.token());
}

void TestApiUnits::tokenRegenerationReplacesTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("api-token"));
    ApiAuth auth;
    QVERIFY(auth.loadOrCreateToken(path));
    const QByteArray old = auth.token();
    const auto regenerated = auth.regenerateToken(path);
    QVERIFY2(regenerated, qPrintable(regenerated.error().message));
    QVERIFY(auth.token() != old);
    QCOMPARE(auth.check("Bearer " + auth.token()), ApiAuth::Verdict::Ok);
    QCOMPARE(auth.check("Bearer " + old), ApiAuth::Verdict::Invalid);
    struct stat st = {};
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
    ApiAuth reader; // what a script reading the file gets
    QVERIFY(reader.loadOrCreateToken(path));
    QCOMPARE(reader.token(), auth.token());
    QVERIFY(!QFile::exists(path + QStringLiteral(".new")));
}

void TestApiUnits::tokenFileReadableByOthersIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("api-token"));
    ApiAuth auth;
    QVERIFY(auth.loadOrCreateToken(path));
    QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
    ApiAuth again;
    const auto refusal = again.loadOrCreateToken(path);
    QVERIFY(!refusal);
    const QString error = refusal.error().message;
    QVERIFY2(error.contains(QLatin1String("0644")) && error.contains(QLatin1String("chmod 600")), qPrintable(error));
    QVERIFY(!error.contains(QString::fromLatin1(auth.token()))); // the token never appears in messages
    QVERIFY(again.token().isEmpty());
}

void TestApiUnits::malformedTokenFileIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("api-token"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("short\n");
    file.close();
    QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    ApiAuth auth;
    const auto refusal = auth.loadOrCreateToken(path);
    QVERIFY(!refusal);
    const QString error = refusal.error().message;
    QVERIFY2(error.contains(QLatin1String("malformed")), qPrintable(error));
}

void TestApiUnits::bearerCheck()
{
    QTemporaryDir dir;
    ApiAuth auth;
    QVERIFY(auth.loadOrCreateToken(dir.filePath(QStringLiteral("t"))));
    const QByteArray token = auth.token();
    QCOMPARE(auth.check("Bearer " + token), ApiAuth::Verdict::Ok);
    QCOMPARE(auth.check("bearer " + token), ApiAuth::Verdict::Ok);
    QCOMPARE(auth.check({}), ApiAuth::Verdict::Missing);
    QByteArray wrong = token;
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    QCOMPARE(auth.check("Bearer " + wrong), ApiAuth::Verdict::Invalid);
    QCOMPARE(auth.check("Bearer " + token.left(10)), ApiAuth::Verdict::Invalid);
    QCOMPARE(auth.check("Bearer " + token + "00"), ApiAuth::Verdict::Invalid);
    QCOMPARE(auth.check("Basic " + token), ApiAuth::Verdict::Invalid);
    QCOMPARE(auth.check(token), ApiAuth::Verdict::Invalid);
    QCOMPARE(auth.check("Bearer "), ApiAuth::Verdict::Invalid);
    QVERIFY(ApiAuth::constantTimeEquals("abc", "abc"));
    QVERIFY(!ApiAuth::constantTimeEquals("abc", "abd"));
    QVERIFY(!ApiAuth::constantTimeEquals("abc", "abcd"));
}

void TestApiUnits::hostCheck_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("127.0.0.1") << QByteArray("127.0.0.1") << true;
    QTest::newRow("127.0.0.1:port") << QByteArray("127.0.0.1:8765") << true;
    QTest::newRow("127.1.2.3") << QByteArray("127.1.2.3:1") << true;
    QTest::newRow("localhost") << QByteArray("localhost") << true;
    QTest::newRow("LOCALHOST:port") << QByteArray("LOCALHOST:8765") << true;
    QTest::newRow("[::1]") << QByteArray("[::1]") << true;
    QTest::newRow("[::1]:port") << QByteArray("[::1]:8765") << true;
    QTest::newRow("configured") << QByteArray("robot-station.lan:8765") << true;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("evil") << QByteArray("evil.example") << false;
    QTest::newRow("rebinding suffix") << QByteArray("127.0.0.1.evil.example") << false;
    QTest::newRow("localhost prefix") << QByteArray("localhost.evil.example") << false;
    QTest::newRow("lan address") << QByteArray("192.168.1.5:8765") << false;
    QTest::newRow("bare v6") << QByteArray("::1") << false;
    QTest::newRow("broken bracket") << QByteArray("[::1") << false;
}

void TestApiUnits::hostCheck()
{
    QFETCH(QByteArray, host);
    QFETCH(bool, allowed);
    ApiAuth auth;
    auth.setAllowedHosts({QStringLiteral("Robot-Station.lan")}, QHostAddress::LocalHost);
    QCOMPARE(auth.hostAllowed(host), allowed);
}

QTEST_GUILESS_MAIN(TestApiUnits)
#include "tst_apiunits.moc"

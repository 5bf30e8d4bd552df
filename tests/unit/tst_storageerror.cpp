#include <QTest>

#include "storage/storageerror.h"
#include "storage/storageresult.h"

class TestStorageError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classification_data();
    void classification();
    void emptyBodyCodes_data();
    void emptyBodyCodes();
    void bodyFieldsAndRequestId();
    void emptyMessageGetsOurSentence();
    void ossErrorBody();
    void retryAfter_data();
    void retryAfter();
    void retryAfterFromResponse();
    void toStringFormat();
    void toStringWithoutHttp();
    void factories_data();
    void factories();
    void defaultIsNoError();
    void resultHoldsValueOrError();
    void voidResult();
    void metaType();
};

namespace {

QByteArray errorBody(const QString &code)
{
    return QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<Error xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
                          "  <Code>%1</Code>\n  <Message>Something about %1.</Message>\n"
                          "  <RequestId>REQ123</RequestId>\n</Error>\n")
        .arg(code)
        .toUtf8();
}

} // namespace

void TestStorageError::classification_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code"); // empty: no body
    QTest::addColumn<QString>("expectedCode");
    QTest::addColumn<bool>("retryable");

    // Retryable: server trouble and throttling.
    QTest::newRow("500 InternalError") << 500 << "InternalError"
                                       << "InternalError" << true;
    QTest::newRow("503 SlowDown") << 503 << "SlowDown"
                                  << "SlowDown" << true;
    QTest::newRow("503 ServiceUnavailable") << 503 << "ServiceUnavailable"
                                            << "ServiceUnavailable" << true;
    QTest::newRow("400 RequestTimeout") << 400 << "RequestTimeout"
                                        << "RequestTimeout" << true;
    QTest::newRow("400 Throttling") << 400 << "Throttling"
                                    << "Throttling" << true;
    QTest::newRow("400 ThrottlingException") << 400 << "ThrottlingException"
                                             << "ThrottlingException" << true;
    QTest::newRow("400 BadDigest") << 400 << "BadDigest"
                                   << "BadDigest" << true;
    QTest::newRow("500 empty") << 500 << ""
                               << "InternalError" << true;
    QTest::newRow("502 empty") << 502 << ""
                               << "BadGateway" << true;
    QTest::newRow("503 empty") << 503 << ""
                               << "ServiceUnavailable" << true;
    QTest::newRow("504 empty") << 504 << ""
                               << "GatewayTimeout" << true;
    QTest::newRow("429 empty") << 429 << ""
                               << "TooManyRequests" << true;
    QTest::newRow("408 empty") << 408 << ""
                               << "RequestTimeout" << true;
    QTest::newRow("503 unknown vendor code") << 503 << "ServerBusy"
                                             << "ServerBusy" << true;
    QTest::newRow("200 InternalError (Complete)") << 200 << "InternalError"
                                                  << "InternalError" << true;

    // Not retryable: the same request fails the same way.
    QTest::newRow("403 AccessDenied") << 403 << "AccessDenied"
                                      << "AccessDenied" << false;
    QTest::newRow("403 InvalidAccessKeyId") << 403 << "InvalidAccessKeyId"
                                            << "InvalidAccessKeyId" << false;
    QTest::newRow("403 SignatureDoesNotMatch") << 403 << "SignatureDoesNotMatch"
                                               << "SignatureDoesNotMatch" << false;
    QTest::newRow("403 RequestTimeTooSkewed") << 403 << "RequestTimeTooSkewed"
                                              << "RequestTimeTooSkewed" << false;
    QTest::newRow("404 NoSuchBucket") << 404 << "NoSuchBucket"
                                      << "NoSuchBucket" << false;
    QTest::newRow("404 NoSuchUpload") << 404 << "NoSuchUpload"
                                      << "NoSuchUpload" << false;
    QTest::newRow("400 EntityTooSmall") << 400 << "EntityTooSmall"
                                        << "EntityTooSmall" << false;
    QTest::newRow("400 InvalidPart") << 400 << "InvalidPart"
                                     << "InvalidPart" << false;
    QTest::newRow("400 InvalidPartOrder") << 400 << "InvalidPartOrder"
                                          << "InvalidPartOrder" << false;
    QTest::newRow("400 unknown code") << 400 << "SomethingNew"
                                      << "SomethingNew" << false;
    QTest::newRow("409 empty") << 409 << ""
                               << "Conflict" << false;
    QTest::newRow("501 NotImplemented") << 501 << "NotImplemented"
                                        << "NotImplemented" << false;
    QTest::newRow("418 empty") << 418 << ""
                               << "HttpStatus418" << false;
    QTest::newRow("200 unknown code") << 200 << "Mystery"
                                      << "Mystery" << false;
    // The body's code wins over the status in both directions.
    QTest::newRow("500 with AccessDenied body") << 500 << "AccessDenied"
                                                << "AccessDenied" << false;
}

void TestStorageError::classification()
{
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, expectedCode);
    QFETCH(bool, retryable);

    const QByteArray body = code.isEmpty() ? QByteArray() : errorBody(code);
    const StorageError error = StorageError::fromHttpResponse(status, body, {}, {});
    QVERIFY(error.isError());
    QCOMPARE(error.kind, StorageError::Kind::Http);
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.s3Code, expectedCode);
    QCOMPARE(error.retryable, retryable);
    QCOMPARE(error.retryAfterMs, -1);
    QVERIFY(!error.message.isEmpty());
}

void TestStorageError::emptyBodyCodes_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("retryable");

    // HEAD answers carry no body: the status alone has to say what happened.
    QTest::newRow("HEAD 403") << 403 << QByteArray() << "AccessDenied" << false;
    QTest::newRow("HEAD 404") << 404 << QByteArray() << "NotFound" << false;
    QTest::newRow("HEAD 301 (wrong region)") << 301 << QByteArray() << "PermanentRedirect" << false;
    QTest::newRow("HEAD 412") << 412 << QByteArray() << "PreconditionFailed" << false;
    // Proxies answer in HTML; that is no S3 error body either.
    QTest::newRow("proxy 502 HTML") << 502 << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>")
                                    << "BadGateway" << true;
    QTest::newRow("error body without code")
        << 404 << QByteArray("<Error><Message>gone</Message></Error>") << "NotFound" << false;
}

void TestStorageError::emptyBodyCodes()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(bool, retryable);

    const StorageError error = StorageError::fromHttpResponse(status, body, "HEADREQID", {});
    QCOMPARE(error.kind, StorageError::Kind::Http);
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.s3Code, code);
    QCOMPARE(error.requestId, QStringLiteral("HEADREQID"));
    QCOMPARE(error.retryable, retryable);
    QVERIFY(!error.message.isEmpty());
}

// radosgw 16.2 sends <Message></Message>: our sentence for the code, else the status line; code and id kept.
void TestStorageError::emptyMessageGetsOurSentence()
{
    const QByteArray denied = "<Error><Code>AccessDenied</Code><Message></Message><RequestId>tx1</RequestId></Error>";
    const StorageError error = StorageError::fromHttpResponse(403, denied, {}, {});
    QCOMPARE(error.s3Code, QStringLiteral("AccessDenied"));
    QVERIFY2(error.message.startsWith(QLatin1String("The storage denied access")), qPrintable(error.message));
    QCOMPARE(error.detail(), error.message + QStringLiteral(" (HTTP 403) [request id tx1]"));
    const QByteArray blank = "<Error><Code>NoSuchUpload</Code><Message>  </Message></Error>";
    QVERIFY(StorageError::fromHttpResponse(404, blank, {}, {}).message.contains(QLatin1String("aborted, completed")));
    const QByteArray unknown = "<Error><Code>SomethingNew</Code><Message/></Error>";
    QCOMPARE(StorageError::fromHttpResponse(409, unknown, {}, {}).message, QStringLiteral("Conflict"));
    // A message the server did send is kept as it is.
    const QByteArray worded = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
    QCOMPARE(StorageError::fromHttpResponse(403, worded, {}, {}).message, QStringLiteral("Access Denied"));
}

void TestStorageError::bodyFieldsAndRequestId()
{
    const QByteArray body = "<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message>"
                            "<RequestId>BODYID</RequestId></Error>";
    const StorageError fromBody = StorageError::fromHttpResponse(404, body, {}, {});
    QCOMPARE(fromBody.requestId, QStringLiteral("BODYID"));
    QCOMPARE(fromBody.message, QStringLiteral("The specified upload does not exist."));

    // The response header is what S3 support looks up; it wins when present.
    const StorageError fromHeader = StorageError::fromHttpResponse(404, body, "HEADERID", {});
    QCOMPARE(fromHeader.requestId, QStringLiteral("HEADERID"));
}

void TestStorageError::ossErrorBody()
{
    // As Alibaba OSS answers: the S3 names, plus HostId and the EC its support asks for.
    const QByteArray body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n"
                            "  <Code>SignatureDoesNotMatch</Code>\n"
                            "  <Message>The request signature we calculated does not match the signature you "
                            "provided.</Message>\n"
                            "  <RequestId>65B8D1C5A3F0E93B32D1A9E4</RequestId>\n"
                            "  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n"
                            "  <OSSAccessKeyId>ak</OSSAccessKeyId>\n"
                            "  <EC>0002-00000040</EC>\n</Error>\n";
    const StorageError error = StorageError::fromHttpResponse(403, body, "65B8D1C5A3F0E93B32D1A9E4", {});
    QCOMPARE(error.s3Code, QStringLiteral("SignatureDoesNotMatch"));
    QCOMPARE(error.hostId, QStringLiteral("examplebucket.oss-cn-hangzhou.aliyuncs.com"));
    QCOMPARE(error.ec, QStringLiteral("0002-00000040"));
    QVERIFY(!error.retryable);
    QVERIFY(error.toString().endsWith(QLatin1String("[request id 65B8D1C5A3F0E93B32D1A9E4] [EC 0002-00000040]")));

    // A bodiless answer (HEAD) carries the EC in x-oss-ec only.
    const StorageError head = StorageError::fromHttpResponse(404, {}, "ID", {}, "0026-00000001");
    QCOMPARE(head.s3Code, QStringLiteral("NotFound"));
    QCOMPARE(head.ec, QStringLiteral("0026-00000001"));
    // The body's EC wins over the header's.
    QCOMPARE(StorageError::fromHttpResponse(403, body, {}, {}, "9999-99999999").ec, QStringLiteral("0002-00000040"));
    QCOMPARE(StorageError::fromHttpResponse(403, body, {}, {}).requestId, QStringLiteral("65B8D1C5A3F0E93B32D1A9E4"));
}

void TestStorageError::retryAfter_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("expectedMs");

    QTest::newRow("absent") << QByteArray() << -1;
    QTest::newRow("0 s") << QByteArray("0") << 0;
    QTest::newRow("3 s") << QByteArray("3") << 3000;
    QTest::newRow("padded") << QByteArray(" 12 ") << 12000;
    QTest::newRow("5 min: at the cap") << QByteArray("300") << 300000;
    QTest::newRow("1 h: clamped") << QByteArray("3600") << StorageError::kMaxRetryAfterMs;
    QTest::newRow("overflowing number: clamped")
        << QByteArray("99999999999999999999999") << StorageError::kMaxRetryAfterMs;
    QTest::newRow("negative") << QByteArray("-5") << -1;
    QTest::newRow("fraction") << QByteArray("1.5") << -1;
    QTest::newRow("garbage") << QByteArray("soon") << -1;
    // Dates relative to the fixed "now" of the test: Wed, 21 Oct 2015 07:28:00 GMT.
    QTest::newRow("IMF-fixdate +10 s") << QByteArray("Wed, 21 Oct 2015 07:28:10 GMT") << 10000;
    QTest::newRow("RFC 850 +2 min") << QByteArray("Wednesday, 21-Oct-15 07:30:00 GMT") << 120000;
    QTest::newRow("asctime +1 s") << QByteArray("Wed Oct 21 07:28:01 2015") << 1000;
    QTest::newRow("numeric zone +30 s") << QByteArray("Wed, 21 Oct 2015 09:28:30 +0200") << 30000;
    QTest::newRow("date in the past") << QByteArray("Tue, 20 Oct 2015 07:28:00 GMT") << 0;
    QTest::newRow("date a day ahead: clamped")
        << QByteArray("Thu, 22 Oct 2015 07:28:00 GMT") << StorageError::kMaxRetryAfterMs;
    QTest::newRow("invalid date") << QByteArray("Wed, 32 Oct 2015 07:28:00 GMT") << -1;
}

void TestStorageError::retryAfter()
{
    QFETCH(QByteArray, header);
    QFETCH(int, expectedMs);
    const QDateTime now(QDate(2015, 10, 21), QTime(7, 28, 0), Qt::UTC);
    QCOMPARE(StorageError::parseRetryAfterMs(header, now), expectedMs);
}

void TestStorageError::retryAfterFromResponse()
{
    const StorageError seconds = StorageError::fromHttpResponse(503, errorBody(QStringLiteral("SlowDown")), {}, "7");
    QCOMPARE(seconds.retryAfterMs, 7000);
    QVERIFY(seconds.retryable);

    // fromHttpResponse measures dates against the real clock.
    const QDateTime inOneMinute = QDateTime::currentDateTimeUtc().addSecs(60);
    const QByteArray httpDate
        = QLocale::c().toString(inOneMinute, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss")).toLatin1() + " GMT";
    const StorageError dated = StorageError::fromHttpResponse(429, {}, {}, httpDate);
    QVERIFY2(dated.retryAfterMs > 50000 && dated.retryAfterMs <= 60000, QByteArray::number(dated.retryAfterMs));
}

void TestStorageError::toStringFormat()
{
    const QByteArray body = "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated "
                            "does not match\n   the signature you provided.</Message>"
                            "<RequestId>4442587FB7D0A2F9</RequestId></Error>";
    const StorageError error = StorageError::fromHttpResponse(403, body, {}, {});
    const QString text = error.toString();
    QCOMPARE(text,
        QStringLiteral("SignatureDoesNotMatch (HTTP 403): The request signature we calculated does not "
                       "match the signature you provided. [request id 4442587FB7D0A2F9]"));
    QVERIFY(!text.contains(QLatin1Char('\n')));
}

void TestStorageError::toStringWithoutHttp()
{
    const QString text = StorageError::network(QStringLiteral("Connection refused"), false).toString();
    QCOMPARE(text, QStringLiteral("NetworkError: Connection refused"));
    QVERIFY(!text.contains(QLatin1String("HTTP")));
    QVERIFY(!text.contains(QLatin1String("request id")));
}

void TestStorageError::factories_data()
{
    QTest::addColumn<StorageError>("error");
    QTest::addColumn<StorageError::Kind>("kind");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("retryable");

    const QString m = QStringLiteral("details");
    QTest::newRow("network") << StorageError::network(m, false) << StorageError::Kind::Network << "NetworkError"
                             << true;
    QTest::newRow("unreachable") << StorageError::unreachable(m) << StorageError::Kind::Network << "Unreachable"
                                 << true;
    QTest::newRow("timeout") << StorageError::network(m, true) << StorageError::Kind::Timeout << "Timeout" << true;
    QTest::newRow("integrity") << StorageError::integrity(m) << StorageError::Kind::Integrity << "BadDigest" << true;
    QTest::newRow("localIo") << StorageError::localIo(m) << StorageError::Kind::LocalIo << "LocalIoError" << false;
    QTest::newRow("protocol") << StorageError::protocol(m) << StorageError::Kind::Protocol << "InvalidResponse" << true;
    QTest::newRow("cancelled") << StorageError::cancelled() << StorageError::Kind::Cancelled << "Cancelled" << false;
    QTest::newRow("config") << StorageError::config(m) << StorageError::Kind::Config << "ConfigError" << false;
}

void TestStorageError::factories()
{
    QFETCH(StorageError, error);
    QFETCH(StorageError::Kind, kind);
    QFETCH(QString, code);
    QFETCH(bool, retryable);

    QVERIFY(error.isError());
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.s3Code, code);
    QCOMPARE(error.retryable, retryable);
    QCOMPARE(error.httpStatus, 0);
    QCOMPARE(error.retryAfterMs, -1);
    QVERIFY(!error.message.isEmpty());
    QVERIFY(error.toString().startsWith(code));
}

void TestStorageError::defaultIsNoError()
{
    const StorageError error;
    QVERIFY(!error.isError());
    QCOMPARE(error.kind, StorageError::Kind::None);
    QVERIFY(!error.retryable);
}

void TestStorageError::resultHoldsValueOrError()
{
    StorageResult<QString> good(QStringLiteral("upload-id"));
    QVERIFY(good.ok());
    QVERIFY(bool(good));
    QCOMPARE(good.value(), QStringLiteral("upload-id"));
    QVERIFY(!good.error().isError());
    good.value() += QLatin1String("-2");
    QCOMPARE(good.value(), QStringLiteral("upload-id-2"));

    const StorageResult<QString> bad(StorageError::cancelled());
    QVERIFY(!bad.ok());
    QVERIFY(!bad);
    QCOMPARE(bad.error().kind, StorageError::Kind::Cancelled);
    QCOMPARE(bad.valueOr(QStringLiteral("fallback")), QStringLiteral("fallback"));
    QVERIFY_THROWS_EXCEPTION(std::bad_variant_access, bad.value());
}

void TestStorageError::voidResult()
{
    const StorageResult<void> good;
    QVERIFY(good.ok());
    QVERIFY(!good.error().isError());

    const StorageResult<void> bad = StorageError::localIo(QStringLiteral("disk full"));
    QVERIFY(!bad.ok());
    QVERIFY(!bad);
    QCOMPARE(bad.error().s3Code, QStringLiteral("LocalIoError"));
}

void TestStorageError::metaType()
{
    // Errors travel in queued signals: they must survive a QVariant round trip.
    const StorageError original = StorageError::fromHttpResponse(503, errorBody(QStringLiteral("SlowDown")), "ID", "2");
    const QVariant variant = QVariant::fromValue(original);
    QVERIFY(variant.canConvert<StorageError>());
    QCOMPARE(variant.value<StorageError>(), original);
}

QTEST_APPLESS_MAIN(TestStorageError)
#include "tst_storageerror.moc"

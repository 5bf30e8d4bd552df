#include <QTest>
#include <QXmlStreamReader>

#include "storage/s3xml.h"

// Bodies modelled on what AWS S3 sends (namespace, declaration, indentation) and on its documented examples.
class TestS3Xml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseError_data();
    void parseError();
    void parseErrorRejectsOtherBodies_data();
    void parseErrorRejectsOtherBodies();
    void initiate();
    void initiateWithoutUploadId_data();
    void initiateWithoutUploadId();
    void listPartsPage();
    void listPartsLastPage();
    void listPartsNextMarker();
    void listPartsBadValues_data();
    void listPartsBadValues();
    void listMultipartUploads();
    void listMultipartUploadsUrlEncoded();
    void completeSuccess();
    void completeWithLeadingWhitespace();
    void complete200WithError_data();
    void complete200WithError();
    void malformedXml_data();
    void malformedXml();
    void wrongRootElement();
    void buildCompleteRoundTrip();
    void buildCompleteEmpty();
    void normalizeEtag_data();
    void normalizeEtag();
};

namespace {

const QByteArray kSignatureError = R"(<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>SignatureDoesNotMatch</Code>
  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>
  <AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId>
  <StringToSign>AWS4-HMAC-SHA256
20130524T000000Z
20130524/us-east-1/s3/aws4_request
7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972</StringToSign>
  <SignatureProvided>f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41</SignatureProvided>
  <CanonicalRequest>PUT
/examplebucket/test.txt
partNumber=1&amp;uploadId=abc
host:examplebucket.s3.amazonaws.com</CanonicalRequest>
  <RequestId>4442587FB7D0A2F9</RequestId>
  <HostId>nM4ZMvk9VPvWxV2Tbj4SvdO3l7ZtvF8kgWJNBoabpsOJRuAYGuVu4kTHaqbvxplICSXKbyrYlgU=</HostId>
</Error>
)";

const QByteArray kNoSuchUpload = R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.</Message><UploadId>VXBsb2FkIElE</UploadId><RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>)";

const QByteArray kSlowDown = R"(<?xml version="1.0" encoding="UTF-8"?>
<Error xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Code>SlowDown</Code>
    <Message>Please reduce your request rate.</Message>
    <Resource>/bucket/episodes/ep-0001.mcap</Resource>
    <RequestId>TX0000000000000000000AB</RequestId>
</Error>)";

const QByteArray kInternalError200 = R"(<?xml version="1.0" encoding="UTF-8"?>

<Error>
  <Code>InternalError</Code>
  <Message>We encountered an internal error. Please try again.</Message>
  <RequestId>656c76696e6727732072657175657374</RequestId>
  <HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId>
</Error>)";

} // namespace

void TestS3Xml::parseError_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("messageStart");
    QTest::addColumn<QString>("requestId");
    QTest::addColumn<QString>("resource");

    QTest::newRow("SignatureDoesNotMatch") << kSignatureError << "SignatureDoesNotMatch"
                                           << "The request signature we calculated"
                                           << "4442587FB7D0A2F9"
                                           << "";
    QTest::newRow("NoSuchUpload") << kNoSuchUpload << "NoSuchUpload"
                                  << "The specified upload does not exist."
                                  << "656c76696e6727732072657175657374"
                                  << "";
    QTest::newRow("SlowDown with namespace") << kSlowDown << "SlowDown"
                                             << "Please reduce your request rate."
                                             << "TX0000000000000000000AB"
                                             << "/bucket/episodes/ep-0001.mcap";
    QTest::newRow("prefixed namespace") << QByteArray(R"(<s3:Error xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/">
<s3:Code>AccessDenied</s3:Code><s3:Message>Access Denied</s3:Message></s3:Error>)")
                                        << "AccessDenied"
                                        << "Access Denied"
                                        << ""
                                        << "";
}

void TestS3Xml::parseError()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, code);
    QFETCH(QString, messageStart);
    QFETCH(QString, requestId);
    QFETCH(QString, resource);

    const std::optional<S3Xml::ErrorBody> error = S3Xml::parseError(xml);
    QVERIFY(error.has_value());
    QCOMPARE(error->code, code);
    QVERIFY2(error->message.startsWith(messageStart), qPrintable(error->message));
    QCOMPARE(error->requestId, requestId);
    QCOMPARE(error->resource, resource);
}

void TestS3Xml::parseErrorRejectsOtherBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("html from a proxy") << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>");
    QTest::newRow("success body") << QByteArray(
        "<InitiateMultipartUploadResult><UploadId>x</UploadId></InitiateMultipartUploadResult>");
    QTest::newRow("Error nested, not root") << QByteArray("<Wrapper><Error><Code>X</Code></Error></Wrapper>");
    QTest::newRow("truncated Error") << QByteArray("<Error><Code>SlowDown</Code><Mess");
    QTest::newRow("plain text") << QByteArray("Service Unavailable");
}

void TestS3Xml::parseErrorRejectsOtherBodies()
{
    QFETCH(QByteArray, body);
    QVERIFY(!S3Xml::parseError(body).has_value());
}

void TestS3Xml::initiate()
{
    const QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>example-bucket</Bucket>
  <Key>example-object</Key>
  <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
</InitiateMultipartUploadResult>)";
    const StorageResult<QString> result = S3Xml::parseInitiateMultipartUpload(xml);
    QVERIFY2(result.ok(), qPrintable(result.error().toString()));
    QCOMPARE(result.value(), QStringLiteral("VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA"));
}

void TestS3Xml::initiateWithoutUploadId_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::newRow("missing") << QByteArray("<InitiateMultipartUploadResult><Bucket>b</Bucket>"
                                           "</InitiateMultipartUploadResult>");
    QTest::newRow("blank") << QByteArray("<InitiateMultipartUploadResult><UploadId>  </UploadId>"
                                         "</InitiateMultipartUploadResult>");
}

void TestS3Xml::initiateWithoutUploadId()
{
    QFETCH(QByteArray, xml);
    const StorageResult<QString> result = S3Xml::parseInitiateMultipartUpload(xml);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, StorageError::Kind::Protocol);
    QVERIFY(result.error().message.contains(QLatin1String("UploadId")));
}

void TestS3Xml::listPartsPage()
{
    const QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>example-bucket</Bucket>
  <Key>example-object</Key>
  <UploadId>XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA</UploadId>
  <Initiator>
      <ID>arn:aws:iam::111122223333:user/some-user-11116a31-17b5-4fb7-9df5-b288870f11xx</ID>
      <DisplayName>umat-user-11116a31-17b5-4fb7-9df5-b288870f11xx</DisplayName>
  </Initiator>
  <Owner>
    <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
    <DisplayName>someName</DisplayName>
  </Owner>
  <StorageClass>STANDARD</StorageClass>
  <PartNumberMarker>1</PartNumberMarker>
  <NextPartNumberMarker>3</NextPartNumberMarker>
  <MaxParts>2</MaxParts>
  <IsTruncated>true</IsTruncated>
  <Part>
    <PartNumber>2</PartNumber>
    <LastModified>2010-11-10T20:48:34.000Z</LastModified>
    <ETag>"7778AEF83F66ABC1FA1E8477F296D394"</ETag>
    <Size>10485760</Size>
  </Part>
  <Part>
    <ETag>&quot;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&quot;</ETag>
    <Size>1</Size>
    <PartNumber>3</PartNumber>
    <ChecksumCRC32C>AAAAAA==</ChecksumCRC32C>
  </Part>
</ListPartsResult>)";
    const StorageResult<S3Xml::ListPartsPage> result = S3Xml::parseListParts(xml);
    QVERIFY2(result.ok(), qPrintable(result.error().toString()));
    const S3Xml::ListPartsPage &page = result.value();
    QVERIFY(page.isTruncated);
    QCOMPARE(page.nextPartNumberMarker, 3);
    QCOMPARE(page.parts.size(), 2);
    QCOMPARE(page.parts[0].partNumber, 2);
    QCOMPARE(page.parts[0].etag, QByteArray("7778aef83f66abc1fa1e8477f296d394"));
    QCOMPARE(page.parts[0].size, qint64(10485760));
    QCOMPARE(page.parts[1].partNumber, 3);
    QCOMPARE(page.parts[1].etag, QByteArray("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    QCOMPARE(page.parts[1].size, qint64(1));
}

void TestS3Xml::listPartsLastPage()
{
    // No namespace, as some S3-compatible servers answer.
    const QByteArray xml = "<ListPartsResult><IsTruncated>false</IsTruncated>"
                           "<Part><PartNumber>7</PartNumber><ETag>\"0123456789abcdef0123456789abcdef\"</ETag>"
                           "<Size>5242880</Size></Part></ListPartsResult>";
    const StorageResult<S3Xml::ListPartsPage> result = S3Xml::parseListParts(xml);
    QVERIFY2(result.ok(), qPrintable(result.error().toString()));
    QVERIFY(!result.value().isTruncated);
    QCOMPARE(result.value().parts.size(), 1);
    QCOMPARE(result.value().parts[0].partNumber, 7);
    QCOMPARE(result.value().parts[0].size, qint64(5242880));

    const StorageResult<S3Xml::ListPartsPage> empty = S3Xml::parseListParts(
        "<ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><IsTruncated>false</IsTruncated>"
        "</ListPartsResult>");
    QVERIFY(empty.ok());
    QVERIFY(empty.value().parts.isEmpty());
}

void TestS3Xml::listPartsNextMarker()
{
    // The server's marker is taken as given, even where it is not simply the highest part listed.
    const StorageResult<S3Xml::ListPartsPage> given = S3Xml::parseListParts(
        "<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>12</NextPartNumberMarker>"
        "<Part><PartNumber>9</PartNumber><ETag>\"ab\"</ETag><Size>1</Size></Part></ListPartsResult>");
    QVERIFY(given.ok());
    QCOMPARE(given.value().nextPartNumberMarker, 12);

    // Without NextPartNumberMarker the highest part number of the page is where the next page starts.
    const StorageResult<S3Xml::ListPartsPage> result = S3Xml::parseListParts(
        "<ListPartsResult><IsTruncated>true</IsTruncated>"
        "<Part><PartNumber>4</PartNumber><ETag>\"ab\"</ETag><Size>1</Size></Part>"
        "<Part><PartNumber>9</PartNumber><ETag>\"cd\"</ETag><Size>1</Size></Part></ListPartsResult>");
    QVERIFY(result.ok());
    QCOMPARE(result.value().nextPartNumberMarker, 9);

    // Truncated with nothing to page on would make the caller loop forever.
    const StorageResult<S3Xml::ListPartsPage> stuck
        = S3Xml::parseListParts("<ListPartsResult><IsTruncated>true</IsTruncated></ListPartsResult>");
    QVERIFY(!stuck.ok());
    QCOMPARE(stuck.error().kind, StorageError::Kind::Protocol);
}

void TestS3Xml::listPartsBadValues_data()
{
    QTest::addColumn<QByteArray>("part");
    QTest::addColumn<QString>("field");
    QTest::newRow("non-numeric PartNumber")
        << QByteArray("<PartNumber>two</PartNumber><ETag>\"ab\"</ETag><Size>1</Size>") << "PartNumber";
    QTest::newRow("PartNumber 0") << QByteArray("<PartNumber>0</PartNumber><ETag>\"ab\"</ETag><Size>1</Size>")
                                  << "PartNumber";
    QTest::newRow("missing Size") << QByteArray("<PartNumber>1</PartNumber><ETag>\"ab\"</ETag>") << "Size";
    QTest::newRow("negative Size") << QByteArray("<PartNumber>1</PartNumber><ETag>\"ab\"</ETag><Size>-5</Size>")
                                   << "Size";
    QTest::newRow("empty ETag") << QByteArray("<PartNumber>1</PartNumber><ETag>\"\"</ETag><Size>1</Size>") << "ETag";
}

void TestS3Xml::listPartsBadValues()
{
    QFETCH(QByteArray, part);
    QFETCH(QString, field);
    const StorageResult<S3Xml::ListPartsPage> result = S3Xml::parseListParts(
        "<ListPartsResult><IsTruncated>false</IsTruncated><Part>" + part + "</Part></ListPartsResult>");
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, StorageError::Kind::Protocol);
    QVERIFY2(result.error().message.contains(field), qPrintable(result.error().message));
}

void TestS3Xml::listMultipartUploads()
{
    const QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>bucket</Bucket>
  <KeyMarker></KeyMarker>
  <UploadIdMarker></UploadIdMarker>
  <NextKeyMarker>my-movie.m2ts</NextKeyMarker>
  <NextUploadIdMarker>YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ</NextUploadIdMarker>
  <MaxUploads>3</MaxUploads>
  <IsTruncated>true</IsTruncated>
  <Upload>
    <Key>my-divisor</Key>
    <UploadId>XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw</UploadId>
    <Initiator>
      <ID>arn:aws:iam::111122223333:user/user1-11111a31-17b5-4fb7-9df5-b111111f13de</ID>
      <DisplayName>user1-11111a31-17b5-4fb7-9df5-b111111f13de</DisplayName>
    </Initiator>
    <StorageClass>STANDARD</StorageClass>
    <Initiated>2010-11-10T20:48:33.000Z</Initiated>
  </Upload>
  <Upload>
    <Key>my-movie.m2ts</Key>
    <UploadId>VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
    <StorageClass>STANDARD</StorageClass>
    <Initiated>2010-11-10T20:48:33.000Z</Initiated>
  </Upload>
  <CommonPrefixes><Prefix>photos/</Prefix></CommonPrefixes>
</ListMultipartUploadsResult>)";
    const StorageResult<QList<S3Xml::MultipartUploadEntry>> result = S3Xml::parseListMultipartUploads(xml);
    QVERIFY2(result.ok(), qPrintable(result.error().toString()));
    const QList<S3Xml::MultipartUploadEntry> &uploads = result.value();
    QCOMPARE(uploads.size(), 2);
    QCOMPARE(uploads[0].key, QStringLiteral("my-divisor"));
    QCOMPARE(uploads[0].uploadId, QStringLiteral("XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw"));
    QCOMPARE(uploads[0].initiated, QDateTime(QDate(2010, 11, 10), QTime(20, 48, 33), Qt::UTC));
    QCOMPARE(uploads[1].key, QStringLiteral("my-movie.m2ts"));
    QCOMPARE(uploads[1].uploadId, QStringLiteral("VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA"));

    const StorageResult<S3Xml::MultipartUploadsPage> page = S3Xml::parseListMultipartUploadsPage(xml);
    QVERIFY(page.ok());
    QVERIFY(page.value().isTruncated);
    QCOMPARE(page.value().nextKeyMarker, QStringLiteral("my-movie.m2ts"));
    QCOMPARE(page.value().nextUploadIdMarker, QStringLiteral("YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ"));
    QCOMPARE(page.value().uploads.size(), 2);

    const StorageResult<QList<S3Xml::MultipartUploadEntry>> none = S3Xml::parseListMultipartUploads(
        "<ListMultipartUploadsResult><Bucket>b</Bucket><IsTruncated>false</IsTruncated>"
        "</ListMultipartUploadsResult>");
    QVERIFY(none.ok());
    QVERIFY(none.value().isEmpty());
}

void TestS3Xml::listMultipartUploadsUrlEncoded()
{
    const StorageResult<S3Xml::MultipartUploadsPage> page = S3Xml::parseListMultipartUploadsPage(
        "<ListMultipartUploadsResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
        "<Upload><Key>episodes/ep%201%2B%C3%A9.mcap</Key><UploadId>u1</UploadId></Upload>"
        "</ListMultipartUploadsResult>");
    QVERIFY2(page.ok(), qPrintable(page.error().toString()));
    QCOMPARE(page.value().uploads.size(), 1);
    QCOMPARE(page.value().uploads[0].key, QStringLiteral("episodes/ep 1+\u00e9.mcap"));
    QVERIFY(!page.value().uploads[0].initiated.isValid());
}

void TestS3Xml::completeSuccess()
{
    const QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Location>https://example-bucket.s3.eu-central-1.amazonaws.com/episodes/ep-0001.mcap</Location>
  <Bucket>example-bucket</Bucket>
  <Key>episodes/ep-0001.mcap</Key>
  <ETag>"3858F62230AC3C915F300C664312C11F-9"</ETag>
</CompleteMultipartUploadResult>)";
    const StorageResult<S3Xml::CompleteResult> result = S3Xml::parseCompleteMultipartUpload(xml);
    QVERIFY2(result.ok(), qPrintable(result.error().toString()));
    QCOMPARE(result.value().location,
        QStringLiteral("https://example-bucket.s3.eu-central-1.amazonaws.com/episodes/ep-0001.mcap"));
    QCOMPARE(result.value().bucket, QStringLiteral("example-bucket"));
    QCOMPARE(result.value().key, QStringLiteral("episodes/ep-0001.mcap"));
    QCOMPARE(result.value().etag, QByteArray("3858f62230ac3c915f300c664312c11f-9")); // normalized: unquoted, lower
}

void TestS3Xml::completeWithLeadingWhitespace()
{
    // While it assembles a large object S3 sends whitespace ahead of the XML declaration to keep the connection.
    const QByteArray xml = "  \n \n   \r\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                           "<ETag>&quot;abc-2&quot;</ETag></CompleteMultipartUploadResult>";
    const StorageResult<S3Xml::CompleteResult> result = S3Xml::parseCompleteMultipartUpload(xml);
    QVERIFY2(result.ok(), qPrintable(result.error().toString()));
    QCOMPARE(result.value().etag, QByteArray("abc-2"));

    // ... and the same whitespace can precede an error.
    const StorageResult<S3Xml::CompleteResult> failed
        = S3Xml::parseCompleteMultipartUpload("      \n" + kInternalError200);
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().s3Code, QStringLiteral("InternalError"));
}

void TestS3Xml::complete200WithError_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QString>("requestId");

    QTest::newRow("InternalError") << kInternalError200 << "InternalError" << true
                                   << "656c76696e6727732072657175657374";
    QTest::newRow("SlowDown") << kSlowDown << "SlowDown" << true << "TX0000000000000000000AB";
    QTest::newRow("NoSuchUpload") << kNoSuchUpload << "NoSuchUpload" << false << "656c76696e6727732072657175657374";
    QTest::newRow("InvalidPart") << QByteArray("<Error><Code>InvalidPart</Code><Message>One or more of the specified "
                                               "parts could not be found.</Message></Error>")
                                 << "InvalidPart" << false << "";
}

void TestS3Xml::complete200WithError()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, code);
    QFETCH(bool, retryable);
    QFETCH(QString, requestId);

    const StorageResult<S3Xml::CompleteResult> result = S3Xml::parseCompleteMultipartUpload(xml);
    QVERIFY(!result.ok());
    const StorageError &error = result.error();
    QCOMPARE(error.kind, StorageError::Kind::Http);
    QCOMPARE(error.httpStatus, 200);
    QCOMPARE(error.s3Code, code);
    QCOMPARE(error.retryable, retryable);
    QCOMPARE(error.requestId, requestId);
    QVERIFY(!error.message.isEmpty());
}

void TestS3Xml::malformedXml_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("only whitespace") << QByteArray(" \n  ");
    QTest::newRow("truncated") << QByteArray("<?xml version=\"1.0\"?>\n<CompleteMultipartUploadResult>\n<Bucket>b</Bu");
    QTest::newRow("mismatched tags") << QByteArray("<CompleteMultipartUploadResult><Key>k</ETag>"
                                                   "</CompleteMultipartUploadResult>");
    QTest::newRow("not xml") << QByteArray("502 Bad Gateway");
    QTest::newRow("html with an unclosed <hr>") << QByteArray("<html><body><hr></body></html>");
}

void TestS3Xml::malformedXml()
{
    QFETCH(QByteArray, xml);

    const StorageResult<S3Xml::CompleteResult> complete = S3Xml::parseCompleteMultipartUpload(xml);
    QVERIFY(!complete.ok());
    QCOMPARE(complete.error().kind, StorageError::Kind::Protocol);
    QCOMPARE(complete.error().s3Code, QStringLiteral("InvalidResponse"));
    QVERIFY(complete.error().retryable);
    QVERIFY2(complete.error().message.contains(QLatin1String("CompleteMultipartUpload")),
        qPrintable(complete.error().message));

    QCOMPARE(S3Xml::parseInitiateMultipartUpload(xml).error().kind, StorageError::Kind::Protocol);
    QCOMPARE(S3Xml::parseListParts(xml).error().kind, StorageError::Kind::Protocol);
    QCOMPARE(S3Xml::parseListMultipartUploads(xml).error().kind, StorageError::Kind::Protocol);
}

void TestS3Xml::wrongRootElement()
{
    // A well-formed answer to a different question (a misrouted request, a proxy page) is not a success.
    const StorageResult<S3Xml::ListPartsPage> result = S3Xml::parseListParts(
        "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>");
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, StorageError::Kind::Protocol);
    QVERIFY2(result.error().message.contains(QLatin1String("ListPartsResult")), qPrintable(result.error().message));
}

void TestS3Xml::buildCompleteRoundTrip()
{
    // Given out of order (workers finish in any order) and with ETags in the forms servers return.
    const QList<CompletedPart> parts{
        {3, 1, "\"CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC\""},
        {1, 5242880, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
        {2, 5242880, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
    };
    const QByteArray xml = S3Xml::buildCompleteMultipartUpload(parts);

    // Read it back with a plain reader, as a server would.
    QXmlStreamReader reader(xml);
    QVERIFY(reader.readNextStartElement());
    QCOMPARE(reader.name(), QLatin1String("CompleteMultipartUpload"));
    QCOMPARE(reader.namespaceUri(), QLatin1String("http://s3.amazonaws.com/doc/2006-03-01/"));
    QList<std::pair<int, QString>> seen;
    while (reader.readNextStartElement()) {
        QCOMPARE(reader.name(), QLatin1String("Part"));
        int number = 0;
        QString etag;
        while (reader.readNextStartElement()) {
            if (reader.name() == QLatin1String("PartNumber")) {
                number = reader.readElementText().toInt();
            } else if (reader.name() == QLatin1String("ETag")) {
                etag = reader.readElementText();
            } else {
                QFAIL(qPrintable(QStringLiteral("unexpected element ") + reader.name().toString()));
            }
        }
        seen.append({number, etag});
    }
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));

    const QList<std::pair<int, QString>> expected{
        {1, QStringLiteral("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"")},
        {2, QStringLiteral("\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"")},
        {3, QStringLiteral("\"cccccccccccccccccccccccccccccccc\"")},
    };
    QCOMPARE(seen, expected);

    // The same body parsed as a ListParts-like structure gives back the normalized ETags.
    QByteArray asList = xml;
    asList.replace("CompleteMultipartUpload", "ListPartsResult");
    asList.replace("</PartNumber>", "</PartNumber><Size>1</Size>");
    const StorageResult<S3Xml::ListPartsPage> page = S3Xml::parseListParts(asList);
    QVERIFY2(page.ok(), qPrintable(page.error().toString()));
    QCOMPARE(page.value().parts.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(page.value().parts[i].partNumber, i + 1);
        QCOMPARE(page.value().parts[i].etag, S3Xml::normalizeEtag(parts[(i + 1) % 3].etag));
    }
}

void TestS3Xml::buildCompleteEmpty()
{
    const QByteArray xml = S3Xml::buildCompleteMultipartUpload({});
    QXmlStreamReader reader(xml);
    QVERIFY(reader.readNextStartElement());
    QCOMPARE(reader.name(), QLatin1String("CompleteMultipartUpload"));
    QVERIFY(!reader.readNextStartElement());
    QVERIFY(!reader.hasError());
}

void TestS3Xml::normalizeEtag_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("quoted upper") << QByteArray("\"7778AEF83F66ABC1FA1E8477F296D394\"")
                                  << QByteArray("7778aef83f66abc1fa1e8477f296d394");
    QTest::newRow("bare") << QByteArray("7778aef83f66abc1fa1e8477f296d394")
                          << QByteArray("7778aef83f66abc1fa1e8477f296d394");
    QTest::newRow("&quot;") << QByteArray("&quot;ABCDEF&quot;") << QByteArray("abcdef");
    QTest::newRow("whitespace") << QByteArray("  \"abc\" \r\n") << QByteArray("abc");
    QTest::newRow("multipart") << QByteArray("\"3858F62230AC3C915F300C664312C11F-9\"")
                               << QByteArray("3858f62230ac3c915f300c664312c11f-9");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("just quotes") << QByteArray("\"\"") << QByteArray();
    QTest::newRow("lone quote kept") << QByteArray("\"abc") << QByteArray("\"abc");
}

void TestS3Xml::normalizeEtag()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(S3Xml::normalizeEtag(input), expected);
}

QTEST_APPLESS_MAIN(TestS3Xml)
#include "tst_s3xml.moc"

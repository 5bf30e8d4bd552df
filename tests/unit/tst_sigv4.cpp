// Runs every case of the official AWS SigV4 test suite (tests/data/aws-sig-v4-test-suite, see its ORIGIN.md)
// through SigV4Signer and compares canonical request, string to sign and Authorization header byte for byte.
#include "storage/hashing.h"
#include "storage/sigv4signer.h"

#include <QDirIterator>
#include <QFile>
#include <QTest>

namespace {

const QByteArray kSuiteAccessKey = "AKIDEXAMPLE";
const QByteArray kSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Parses a suite .req file: request line, "Name:value" headers (a line starting with whitespace continues the
// previous header as a further value), a blank line, then the body.
SigningRequest parseSuiteRequest(const QByteArray &raw)
{
    SigningRequest request;
    const qsizetype bodyStart = raw.indexOf("\n\n");
    const QByteArray head = bodyStart < 0 ? raw : raw.left(bodyStart);
    const QByteArray body = bodyStart < 0 ? QByteArray() : raw.mid(bodyStart + 2);
    QByteArrayList lines = head.split('\n');

    const QByteArray requestLine = lines.takeFirst();
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    request.method = requestLine.left(firstSpace);
    const QByteArray target = requestLine.mid(firstSpace + 1, lastSpace - firstSpace - 1);
    const qsizetype question = target.indexOf('?');
    request.path = QByteArray::fromPercentEncoding(question < 0 ? target : target.left(question));
    if (question >= 0) {
        for (const QByteArray &item : target.mid(question + 1).split('&')) {
            const qsizetype eq = item.indexOf('=');
            const QByteArray name = eq < 0 ? item : item.left(eq);
            const QByteArray value = eq < 0 ? QByteArray() : item.mid(eq + 1);
            request.query.append({QByteArray::fromPercentEncoding(name), QByteArray::fromPercentEncoding(value)});
        }
    }
    for (const QByteArray &line : std::as_const(lines)) {
        if (!line.isEmpty() && (line.front() == ' ' || line.front() == '\t')) {
            request.headers.append({request.headers.last().first, line.trimmed()});
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        request.headers.append({line.left(colon), line.mid(colon + 1)});
    }
    return request;
}

} // namespace

class TestSigV4 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void suite_data();
    void suite();
    void s3GetObjectExample();
    void uriEncode_data();
    void uriEncode();
    void differentSecretChangesSignature();
};

void TestSigV4::suite_data()
{
    QTest::addColumn<QString>("basePath");
    QDirIterator it(QStringLiteral(KEYSTONE_TEST_DATA_DIR "/aws-sig-v4-test-suite"), {QStringLiteral("*.req")},
        QDir::Files, QDirIterator::Subdirectories);
    QStringList cases;
    while (it.hasNext())
        cases.append(it.next().chopped(4));
    cases.sort();
    QVERIFY2(cases.size() >= 30, "the AWS SigV4 test suite is missing from tests/data");
    for (const QString &base : std::as_const(cases))
        QTest::newRow(qPrintable(base.section(QLatin1Char('/'), -1))) << base;
}

void TestSigV4::suite()
{
    QFETCH(QString, basePath);
    const QByteArray raw = readFile(basePath + QStringLiteral(".req"));
    QVERIFY(!raw.isEmpty());
    SigningRequest request = parseSuiteRequest(raw);
    const qsizetype bodyStart = raw.indexOf("\n\n");
    request.payloadHash = Hashing::sha256Hex(bodyStart < 0 ? QByteArray() : raw.mid(bodyStart + 2));

    // The suite describes a generic AWS service: paths are normalized (S3 does not; see normalize-path.txt).
    const SigV4Signer signer({kSuiteAccessKey, kSuiteSecret, {}}, "us-east-1", "service");
    const QDateTime time
        = QDateTime::fromString(QStringLiteral("20150830T123600Z"), QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    const auto signature
        = signer.sign(request, QDateTime(time.date(), time.time(), Qt::UTC), SigV4Signer::PathMode::Normalized);

    QCOMPARE(signature.canonicalRequest, readFile(basePath + QStringLiteral(".creq")));
    QCOMPARE(signature.stringToSign, readFile(basePath + QStringLiteral(".sts")));
    QCOMPARE(signature.authorization, readFile(basePath + QStringLiteral(".authz")));
}

// The worked example of the S3 API reference ("Signature Calculations for the Authorization Header",
// GET Object with a Range header): S3 service name, path not normalized.
void TestSigV4::s3GetObjectExample()
{
    SigningRequest request;
    request.method = "GET";
    request.path = "/test.txt";
    request.payloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    request.headers = {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"},
        {"x-amz-content-sha256", request.payloadHash}, {"x-amz-date", "20130524T000000Z"}};
    const SigV4Signer signer({"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", {}}, "us-east-1");
    const auto signature = signer.sign(request, QDateTime(QDate(2013, 5, 24), QTime(0, 0), Qt::UTC));
    QCOMPARE(Hashing::sha256Hex(signature.canonicalRequest),
        QByteArray("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"));
    QCOMPARE(signature.signature, QByteArray("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
    QCOMPARE(signature.signedHeaders, QByteArray("host;range;x-amz-content-sha256;x-amz-date"));
}

void TestSigV4::uriEncode_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("keepSlash");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("unreserved") << QByteArray("AZaz09-_.~") << false << QByteArray("AZaz09-_.~");
    QTest::newRow("space is %20, never +") << QByteArray("a b") << false << QByteArray("a%20b");
    QTest::newRow("slash kept in paths") << QByteArray("/dir/file") << true << QByteArray("/dir/file");
    QTest::newRow("slash encoded in query") << QByteArray("a/b") << false << QByteArray("a%2Fb");
    QTest::newRow("utf-8, upper-case hex") << QByteArray("\xe1\x88\xb4") << true << QByteArray("%E1%88%B4");
    QTest::newRow("reserved") << QByteArray("$&+=?#") << true << QByteArray("%24%26%2B%3D%3F%23");
}

void TestSigV4::uriEncode()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, keepSlash);
    QFETCH(QByteArray, expected);
    QCOMPARE(SigV4Signer::uriEncode(input, keepSlash), expected);
}

void TestSigV4::differentSecretChangesSignature()
{
    SigningRequest request{
        "PUT", "/bucket/key", {{"partNumber", "1"}, {"uploadId", "abc"}}, {{"host", "h"}}, "UNSIGNED-PAYLOAD"};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto a = SigV4Signer({"AK", "secret-a", {}}, "us-east-1").sign(request, now);
    const auto b = SigV4Signer({"AK", "secret-b", {}}, "us-east-1").sign(request, now);
    QCOMPARE(a.canonicalRequest, b.canonicalRequest);
    QVERIFY(a.signature != b.signature);
    QVERIFY(a.canonicalRequest.contains("\npartNumber=1&uploadId=abc\n"));
}

QTEST_APPLESS_MAIN(TestSigV4)
#include "tst_sigv4.moc"

// Alibaba OSS native signatures (V1 and V4, with and without a security token) against the known-answer vectors of
// Alibaba's Go SDK v2, read from tests/data/oss-signature/vectors.json (see ORIGIN.md there).
#include "storage/ossv1signer.h"
#include "storage/ossv4signer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {

QJsonObject vectors()
{
    QFile file(QStringLiteral(KEYSTONE_TEST_DATA_DIR "/oss-signature/vectors.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

HeaderList pairs(const QJsonArray &array)
{
    HeaderList out;
    for (const QJsonValue &item : array)
        out.append({item[0].toString().toUtf8(), item[1].toString().toUtf8()});
    return out;
}

OssSigningRequest requestOf(const QJsonObject &c)
{
    OssSigningRequest request;
    request.method = c[QLatin1String("method")].toString().toUtf8();
    request.bucket = c[QLatin1String("bucket")].toString().toUtf8();
    request.key = c[QLatin1String("key")].toString().toUtf8();
    request.query = pairs(c[QLatin1String("query")].toArray());
    request.headers = pairs(c[QLatin1String("headers")].toArray());
    return request;
}

AwsCredentials credentialsOf(bool withToken)
{
    const QJsonObject c = vectors()[QLatin1String("credentials")].toObject();
    return {c[QLatin1String("accessKeyId")].toString().toUtf8(), c[QLatin1String("secret")].toString().toUtf8(),
        withToken ? c[QLatin1String("token")].toString().toUtf8() : QByteArray()};
}

QByteArray header(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &[n, v] : headers) {
        if (n == name)
            return v;
    }
    return {};
}

} // namespace

class TestOssSignature : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(!vectors().isEmpty(), "tests/data/oss-signature/vectors.json is missing"); }

    void v1_data()
    {
        QTest::addColumn<QJsonObject>("vector");
        for (const QJsonValue &c : vectors()[QLatin1String("v1")].toArray())
            QTest::newRow(qPrintable(c[QLatin1String("name")].toString())) << c.toObject();
    }
    void v1()
    {
        QFETCH(QJsonObject, vector);
        OssSigningRequest request = requestOf(vector);
        const QDateTime time = QDateTime::fromString(vector[QLatin1String("time")].toString(), Qt::ISODate);
        OssV1Signer(credentialsOf(false)).authorize(request, time);
        QCOMPARE(header(request.headers, "authorization"), vector[QLatin1String("authorization")].toString().toUtf8());
        if (vector.contains(QLatin1String("stringToSign"))) {
            QCOMPARE(OssV1Signer(credentialsOf(false)).sign(request).stringToSign,
                vector[QLatin1String("stringToSign")].toString().toUtf8());
        }
        // The server side re-signs what arrived: the same headers give the same answer.
        QCOMPARE(OssV1Signer(credentialsOf(false)).sign(request).authorization,
            vector[QLatin1String("authorization")].toString().toUtf8());
    }

    void v1TakesXOssDateWithoutDateHeader()
    {
        OssSigningRequest request;
        request.method = "GET";
        request.bucket = "b";
        request.key = "k";
        request.headers = {{"x-oss-date", "Wed, 28 Dec 2022 10:27:41 GMT"}};
        QVERIFY(OssV1Signer(credentialsOf(false))
                    .sign(request)
                    .stringToSign.startsWith("GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\n"));
    }

    void v1SignsOnlyOssSubResources()
    {
        OssSigningRequest request;
        request.method = "PUT";
        request.bucket = "b";
        request.key = "dir/part file";
        request.query = {{"uploadId", "A/B+C"}, {"partNumber", "7"}, {"max-parts", "5"}};
        request.headers = {{"date", "x"}};
        QVERIFY(OssV1Signer(credentialsOf(false))
                    .sign(request)
                    .stringToSign.endsWith("\n/b/dir/part file?partNumber=7&uploadId=A/B+C"));
    }

    void v4_data()
    {
        QTest::addColumn<QJsonObject>("vector");
        for (const QJsonValue &c : vectors()[QLatin1String("v4")].toArray())
            QTest::newRow(qPrintable(c[QLatin1String("name")].toString())) << c.toObject();
    }
    void v4()
    {
        QFETCH(QJsonObject, vector);
        OssSigningRequest request = requestOf(vector);
        const auto time = QDateTime::fromSecsSinceEpoch(vector[QLatin1String("unixTime")].toInteger(), Qt::UTC);
        const bool withToken = vector[QLatin1String("token")].toBool();
        const OssV4Signer signer(credentialsOf(withToken), vector[QLatin1String("region")].toString().toUtf8());
        signer.authorize(request, time);
        QCOMPARE(header(request.headers, "authorization"), vector[QLatin1String("authorization")].toString().toUtf8());
        QCOMPARE(header(request.headers, "x-oss-security-token"), withToken ? QByteArray("token") : QByteArray());
        QCOMPARE(signer.sign(request, time).authorization, vector[QLatin1String("authorization")].toString().toUtf8());
    }

    void v4HostIsNotSignedButAdditionalHeadersAre()
    {
        const OssV4Signer signer(credentialsOf(false), "cn-hangzhou");
        OssSigningRequest request;
        request.method = "GET";
        request.bucket = "b";
        request.key = "k";
        request.headers = {{"x-oss-date", "20231216T162057Z"}, {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"}};
        const auto time = QDateTime::fromSecsSinceEpoch(1702743657, Qt::UTC);
        const OssV4Signer::Signature plain = signer.sign(request, time);
        request.headers.emplaceBack("Host", "b.oss-cn-hangzhou.aliyuncs.com");
        QCOMPARE(signer.sign(request, time).signature, plain.signature);

        request.additionalHeaders = {"Host"};
        const OssV4Signer::Signature withHost = signer.sign(request, time);
        QVERIFY(withHost.signature != plain.signature);
        QVERIFY(withHost.authorization.contains(",AdditionalHeaders=host,Signature="));
        QVERIFY(withHost.canonicalRequest.contains("\nhost:b.oss-cn-hangzhou.aliyuncs.com\nx-oss-content-sha256:"));
        QVERIFY(withHost.canonicalRequest.endsWith("\n\nhost\nUNSIGNED-PAYLOAD"));
    }

    void v4CanonicalUriIsBucketAndKey()
    {
        QCOMPARE(OssV4Signer::canonicalUri("bucket", "a b/c+d.bin"), QByteArray("/bucket/a%20b/c%2Bd.bin"));
        QCOMPARE(OssV4Signer::canonicalUri("bucket", {}), QByteArray("/bucket/"));
        QCOMPARE(OssV4Signer::canonicalUri({}, {}), QByteArray("/"));
    }

    void v4WrongSecretGivesAnotherSignature()
    {
        OssSigningRequest request;
        request.method = "PUT";
        request.bucket = "b";
        request.key = "k";
        const auto time = QDateTime::fromSecsSinceEpoch(1702743657, Qt::UTC);
        OssV4Signer({"ak", "sk", {}}, "cn-hangzhou").authorize(request, time);
        const auto good = header(request.headers, "authorization");
        QVERIFY(OssV4Signer({"ak", "sk2", {}}, "cn-hangzhou").sign(request, time).authorization != good);
        QVERIFY(OssV4Signer({"ak", "sk", {}}, "cn-beijing").sign(request, time).authorization != good);
    }
};

QTEST_GUILESS_MAIN(TestOssSignature)
#include "tst_osssignature.moc"

// StorageCommandLine's provider rules, through the real parser and OptionValues (command line and config file):
// the OSS region read from the endpoint host, the S3 services' presets (R2, B2, Wasabi), --signature-version,
// part-size bounds per provider and the refusal of path style on OSS. Each case fails with the message the user would
// read.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/bytesize.h"
#include "optionvalues.h"
#include "storage/partplan.h"
#include "storagecommandline.h"

class TestStorageCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ossRegionFromEndpoint_data();
    void ossRegionFromEndpoint();
    void awsRegionStillFeedsS3Providers();
    void s3ServicePresets_data();
    void s3ServicePresets();
    void signatureVersion();
    void signatureVersionFromConfigFile();
    void partSizeBoundsFollowProvider_data();
    void partSizeBoundsFollowProvider();
    void errors_data();
    void errors();

private:
    // Parses the arguments (after a program name) and reads them into *storage; false with *error.
    static bool read(const QStringList &arguments, StorageCommandLine *storage, QString *error,
        const QProcessEnvironment &environment = {});

    QTemporaryDir m_dir;
};

bool TestStorageCommandLine::read(
    const QStringList &arguments, StorageCommandLine *storage, QString *error, const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    OptionValues::addCommonOptions(parser);
    storage->addOptions(parser);
    OptionValues values(parser);
    if (!parser.parse(QStringList{QStringLiteral("keystone-console")} + arguments)) {
        *error = parser.errorText();
        return false;
    }
    auto read = values.loadConfig();
    if (read)
        read = storage->read(values, environment);
    if (!read)
        *error = read.error().message;
    return read.ok();
}

namespace {

QProcessEnvironment awsRegionEnvironment()
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("AWS_REGION"), QStringLiteral("eu-west-3"));
    return environment;
}

} // namespace

void TestStorageCommandLine::ossRegionFromEndpoint_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("region");
    QTest::newRow("regional host") << QStringList{QStringLiteral("--endpoint"),
        QStringLiteral("https://oss-cn-shanghai.aliyuncs.com")}
                                   << QStringLiteral("https://oss-cn-shanghai.aliyuncs.com")
                                   << QStringLiteral("cn-shanghai");
    QTest::newRow("internal host") << QStringList{QStringLiteral("--endpoint"),
        QStringLiteral("http://oss-ap-southeast-1-internal.aliyuncs.com")}
                                   << QStringLiteral("http://oss-ap-southeast-1-internal.aliyuncs.com")
                                   << QStringLiteral("ap-southeast-1");
    QTest::newRow("explicit region wins")
        << QStringList{QStringLiteral("--endpoint"), QStringLiteral("https://oss-cn-shanghai.aliyuncs.com"),
               QStringLiteral("--region"), QStringLiteral("cn-beijing")}
        << QStringLiteral("https://oss-cn-shanghai.aliyuncs.com") << QStringLiteral("cn-beijing");
    QTest::newRow("explicit region for a custom domain")
        << QStringList{QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:9000"),
               QStringLiteral("--region"), QStringLiteral("cn-shenzhen")}
        << QStringLiteral("http://127.0.0.1:9000") << QStringLiteral("cn-shenzhen");
    QTest::newRow("region without endpoint")
        << QStringList{QStringLiteral("--region"), QStringLiteral("cn-beijing")}
        << QStringLiteral("https://oss-cn-beijing.aliyuncs.com") << QStringLiteral("cn-beijing");
    QTest::newRow("preset") << QStringList{} << QStringLiteral("https://oss-cn-hangzhou.aliyuncs.com")
                            << QStringLiteral("cn-hangzhou");
}

void TestStorageCommandLine::ossRegionFromEndpoint()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, endpoint);
    QFETCH(QString, region);
    StorageCommandLine storage;
    QString error;
    // $AWS_REGION is set and must not win over the endpoint's region (nor replace the OSS preset's).
    QVERIFY2(read(QStringList{QStringLiteral("--provider"), QStringLiteral("oss")} + arguments, &storage, &error,
                 awsRegionEnvironment()),
        qPrintable(error));
    QVERIFY(storage.profile.isOss());
    QCOMPARE(storage.profile.endpoint, QUrl(endpoint));
    QCOMPARE(storage.profile.region, region);
    QVERIFY(!storage.profile.pathStyle); // OSS implies virtual-hosted
    QCOMPARE(storage.profile.signatureVersion, EndpointProfile::SignatureVersion::V4);
}

void TestStorageCommandLine::awsRegionStillFeedsS3Providers()
{
    StorageCommandLine storage;
    QString error;
    QVERIFY2(read({QStringLiteral("--provider"), QStringLiteral("aws")}, &storage, &error, awsRegionEnvironment()),
        qPrintable(error));
    QCOMPARE(storage.profile.region, QStringLiteral("eu-west-3"));
    QCOMPARE(storage.profile.endpoint, QUrl(QStringLiteral("https://s3.eu-west-3.amazonaws.com")));
    QVERIFY2(read({QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:9000")}, &storage, &error,
                 awsRegionEnvironment()),
        qPrintable(error));
    QCOMPARE(storage.profile.region, QStringLiteral("eu-west-3"));
    QCOMPARE(storage.options.minPartSize, PartPlan::kMinPartSize);
}

void TestStorageCommandLine::s3ServicePresets_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("region");
    QTest::newRow("r2") << QStringList{QStringLiteral("--provider=r2"),
        QStringLiteral("--endpoint=https://0123abcd.r2.cloudflarestorage.com")}
                        << QStringLiteral("https://0123abcd.r2.cloudflarestorage.com") << QStringLiteral("auto");
    QTest::newRow("b2 region") << QStringList{QStringLiteral("--provider=b2"), QStringLiteral("--region=us-west-004")}
                               << QStringLiteral("https://s3.us-west-004.backblazeb2.com")
                               << QStringLiteral("us-west-004");
    QTest::newRow("b2 endpoint") << QStringList{QStringLiteral("--provider=backblaze"),
        QStringLiteral("--endpoint=https://s3.eu-central-003.backblazeb2.com")}
                                 << QStringLiteral("https://s3.eu-central-003.backblazeb2.com")
                                 << QStringLiteral("eu-central-003");
    QTest::newRow("wasabi preset") << QStringList{QStringLiteral("--provider=wasabi")}
                                   << QStringLiteral("https://s3.us-east-1.wasabisys.com")
                                   << QStringLiteral("us-east-1");
    QTest::newRow("wasabi region") << QStringList{QStringLiteral("--provider=wasabi"),
        QStringLiteral("--region=eu-central-1")}
                                   << QStringLiteral("https://s3.eu-central-1.wasabisys.com")
                                   << QStringLiteral("eu-central-1");
    QTest::newRow("wasabi original host")
        << QStringList{QStringLiteral("--provider=wasabi"), QStringLiteral("--endpoint=https://s3.wasabisys.com")}
        << QStringLiteral("https://s3.wasabisys.com") << QStringLiteral("us-east-1");
    QTest::newRow("explicit region for a proxy")
        << QStringList{QStringLiteral("--provider=wasabi"), QStringLiteral("--endpoint=http://127.0.0.1:9000"),
               QStringLiteral("--region=ap-northeast-1")}
        << QStringLiteral("http://127.0.0.1:9000") << QStringLiteral("ap-northeast-1");
}

// R2, B2 and Wasabi speak S3 with path style; their region comes from the preset or the endpoint, never from
// $AWS_REGION (set here to eu-west-3), which is an AWS setting.
void TestStorageCommandLine::s3ServicePresets()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, endpoint);
    QFETCH(QString, region);
    StorageCommandLine storage;
    QString error;
    QVERIFY2(read(arguments, &storage, &error, awsRegionEnvironment()), qPrintable(error));
    QCOMPARE(storage.profile.endpoint, QUrl(endpoint));
    QCOMPARE(storage.profile.region, region);
    QVERIFY(storage.profile.pathStyle);
    QVERIFY(!storage.profile.isOss());
    QCOMPARE(storage.options.minPartSize, PartPlan::kMinPartSize);
}

void TestStorageCommandLine::signatureVersion()
{
    StorageCommandLine storage;
    QString error;
    QVERIFY2(read({QStringLiteral("--provider"), QStringLiteral("oss"), QStringLiteral("--signature-version"),
                      QStringLiteral("v1")},
                 &storage, &error),
        qPrintable(error));
    QCOMPARE(storage.profile.signatureVersion, EndpointProfile::SignatureVersion::V1);
    QVERIFY2(read({QStringLiteral("--provider"), QStringLiteral("oss"), QStringLiteral("--signature-version"),
                      QStringLiteral("V4")},
                 &storage, &error),
        qPrintable(error));
    QCOMPARE(storage.profile.signatureVersion, EndpointProfile::SignatureVersion::V4);
}

void TestStorageCommandLine::signatureVersionFromConfigFile()
{
    const QString path = m_dir.filePath(QStringLiteral("oss.conf"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("provider=oss\nendpoint=https://oss-cn-qingdao.aliyuncs.com\nsignature-version=v1\npart-size=256K\n");
    file.close();
    StorageCommandLine storage;
    QString error;
    QVERIFY2(read({QStringLiteral("--config"), path}, &storage, &error), qPrintable(error));
    QCOMPARE(storage.profile.signatureVersion, EndpointProfile::SignatureVersion::V1);
    QCOMPARE(storage.profile.region, QStringLiteral("cn-qingdao"));
    QCOMPARE(storage.options.partSize, 256 * 1024);
    QCOMPARE(storage.options.minPartSize, PartPlan::kOssMinPartSize);
}

void TestStorageCommandLine::partSizeBoundsFollowProvider_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("partSize");
    QTest::addColumn<QString>("expectedError"); // empty: accepted
    const QString ossError
        = QStringLiteral("--part-size must be between 100K (Alibaba OSS's minimum part size) and 5G");
    const QString s3Error = QStringLiteral("--part-size must be between 5M (S3's minimum part size) and 5G");
    QTest::newRow("oss 100K") << QStringLiteral("oss") << QStringLiteral("100K") << QString();
    QTest::newRow("oss 1M") << QStringLiteral("oss") << QStringLiteral("1M") << QString();
    QTest::newRow("oss 99K") << QStringLiteral("oss") << QStringLiteral("99K") << ossError;
    QTest::newRow("oss 6G") << QStringLiteral("oss") << QStringLiteral("6G") << ossError;
    QTest::newRow("custom 5M") << QStringLiteral("custom") << QStringLiteral("5M") << QString();
    QTest::newRow("custom 1M") << QStringLiteral("custom") << QStringLiteral("1M") << s3Error;
    QTest::newRow("aws 100K") << QStringLiteral("aws") << QStringLiteral("100K") << s3Error;
}

void TestStorageCommandLine::partSizeBoundsFollowProvider()
{
    QFETCH(QString, provider);
    QFETCH(QString, partSize);
    QFETCH(QString, expectedError);
    StorageCommandLine storage;
    QString error;
    const bool ok
        = read({QStringLiteral("--provider"), provider, QStringLiteral("--part-size"), partSize}, &storage, &error);
    QCOMPARE(error, expectedError);
    QCOMPARE(ok, expectedError.isEmpty());
    if (ok) {
        QCOMPARE(storage.options.partSize, ByteSize::parse(partSize));
        QCOMPARE(storage.options.minPartSize, storage.profile.minPartSize());
    }
}

void TestStorageCommandLine::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");
    const QString oss = QStringLiteral("--provider=oss");
    QTest::newRow("signature version on S3")
        << QStringList{QStringLiteral("--signature-version"), QStringLiteral("v4")}
        << QStringLiteral("--signature-version applies only to --provider oss (Alibaba OSS's native protocol)");
    QTest::newRow("signature version on aws")
        << QStringList{QStringLiteral("--provider=aws"), QStringLiteral("--signature-version=v1")}
        << QStringLiteral("--signature-version applies only to --provider oss (Alibaba OSS's native protocol)");
    QTest::newRow("unknown signature version") << QStringList{oss, QStringLiteral("--signature-version=v2")}
                                               << QStringLiteral("unknown signature version 'v2' (use v4 or v1)");
    QTest::newRow("oss endpoint without a region")
        << QStringList{oss, QStringLiteral("--endpoint=http://127.0.0.1:9000")}
        << QStringLiteral("cannot read the OSS region from the endpoint host '127.0.0.1' (not "
                          "oss-<region>.aliyuncs.com): give --region");
    QTest::newRow("oss path style") << QStringList{oss, QStringLiteral("--path-style")}
                                    << QStringLiteral("Alibaba OSS needs virtual-hosted addressing (bucket.endpoint); "
                                                      "path style is refused");
    QTest::newRow("r2 without the account's endpoint")
        << QStringList{QStringLiteral("--provider=r2")}
        << QStringLiteral("Cloudflare R2 needs the account's endpoint: https://<account-id>.r2.cloudflarestorage.com");
    QTest::newRow("b2 without region or endpoint")
        << QStringList{QStringLiteral("--provider=b2")}
        << QStringLiteral("Backblaze B2 needs the bucket's region (e.g. us-west-004) or its endpoint, "
                          "https://s3.<region>.backblazeb2.com");
    QTest::newRow("wasabi endpoint without a region")
        << QStringList{QStringLiteral("--provider=wasabi"), QStringLiteral("--endpoint=https://storage.example.com")}
        << QStringLiteral("cannot read the Wasabi region from the endpoint host 'storage.example.com' (not "
                          "s3.<region>.wasabisys.com): give --region");
    QTest::newRow("unknown provider") << QStringList{QStringLiteral(
        "--provider=gcs")} << QStringLiteral("unknown provider 'gcs' (use aws, oss, r2, b2, wasabi or custom)");
    QTest::newRow("sigv1 on r2")
        << QStringList{QStringLiteral("--provider=r2"), QStringLiteral("--endpoint=https://a.r2.cloudflarestorage.com"),
               QStringLiteral("--signature-version=v1")}
        << QStringLiteral("--signature-version applies only to --provider oss (Alibaba OSS's native protocol)");
    QTest::newRow("invalid endpoint") << QStringList{oss, QStringLiteral("--endpoint=oss-cn-hangzhou.aliyuncs.com")}
                                      << QStringLiteral("invalid endpoint 'oss-cn-hangzhou.aliyuncs.com' (expected "
                                                        "http(s)://host[:port])");
}

void TestStorageCommandLine::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    StorageCommandLine storage;
    QString error;
    QVERIFY(!read(arguments, &storage, &error));
    QCOMPARE(error, expected);
}

QTEST_GUILESS_MAIN(TestStorageCommandLine)
#include "tst_storagecommandline.moc"

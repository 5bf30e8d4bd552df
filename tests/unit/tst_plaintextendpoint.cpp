// Which endpoints get the plain-http warning: http:// to anything that is not loopback by its spelling.
#include <QRegularExpression>
#include <QTest>

#include "storage/plaintextendpoint.h"

class TestPlainTextEndpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isExposed_data();
    void isExposed();
    void warningNamesTheEndpointAndTheRisk();
};

void TestPlainTextEndpoint::isExposed_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<bool>("exposed");
    QTest::newRow("https remote") << QStringLiteral("https://s3.eu-west-1.amazonaws.com") << false;
    QTest::newRow("https remote ip") << QStringLiteral("https://192.0.2.10:9000") << false;
    QTest::newRow("http 127.0.0.1") << QStringLiteral("http://127.0.0.1:9000") << false;
    QTest::newRow("http 127.1.2.3") << QStringLiteral("http://127.1.2.3:9000") << false;
    QTest::newRow("http ::1") << QStringLiteral("http://[::1]:9000") << false;
    QTest::newRow("http mapped 127") << QStringLiteral("http://[::ffff:127.0.0.1]:9000") << false;
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:9000") << false;
    QTest::newRow("http LOCALHOST") << QStringLiteral("HTTP://LocalHost:9000") << false;
    QTest::newRow("http bucket.localhost") << QStringLiteral("http://minio.localhost:9000") << false;
    QTest::newRow("http remote ip") << QStringLiteral("http://192.0.2.10:9000") << true;
    QTest::newRow("http 128.0.0.1") << QStringLiteral("http://128.0.0.1") << true;
    QTest::newRow("http private lan") << QStringLiteral("http://10.0.0.5:9000") << true;
    QTest::newRow("http remote name") << QStringLiteral("http://minio.station.lan:9000") << true;
    QTest::newRow("http localhost lookalike") << QStringLiteral("http://localhost.example.com") << true;
    QTest::newRow("http name not resolved") << QStringLiteral("http://myhost") << true;
    QTest::newRow("http ipv6 remote") << QStringLiteral("http://[2001:db8::1]:9000") << true;
    QTest::newRow("http mapped remote") << QStringLiteral("http://[::ffff:192.0.2.1]") << true;
    QTest::newRow("http unspecified") << QStringLiteral("http://0.0.0.0:9000") << true;
}

void TestPlainTextEndpoint::isExposed()
{
    QFETCH(QString, endpoint);
    QFETCH(bool, exposed);
    QCOMPARE(PlainTextEndpoint::isExposed(QUrl(endpoint)), exposed);
    QCOMPARE(PlainTextEndpoint::warning(QUrl(endpoint)).isEmpty(), !exposed);
}

void TestPlainTextEndpoint::warningNamesTheEndpointAndTheRisk()
{
    const QString text = PlainTextEndpoint::warning(QUrl(QStringLiteral("http://192.0.2.10:9000")));
    for (const char *part : {"http://192.0.2.10:9000", "plain http://", "unencrypted", "UNSIGNED-PAYLOAD", "https://"})
        QVERIFY2(text.contains(QLatin1String(part)), part);

    // Logged once for the exposed endpoint, and nothing for loopback (any other warning fails the test).
    QTest::ignoreMessage(QtWarningMsg, qPrintable(text));
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".")));
    PlainTextEndpoint::logIfExposed(QUrl(QStringLiteral("http://127.0.0.1:9000")));
    PlainTextEndpoint::logIfExposed(QUrl(QStringLiteral("http://192.0.2.10:9000")));
}

QTEST_GUILESS_MAIN(TestPlainTextEndpoint)
#include "tst_plaintextendpoint.moc"

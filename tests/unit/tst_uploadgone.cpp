// "The server no longer has this multipart upload" by its meaning (issue 18): NoSuchUpload on any request, and the
// 404 NoSuchKey radosgw 16.2 answers on a request that names an upload id; never a NoSuchKey about an object, nor
// another refusal.
#include "storage/uploadgone.h"

#include <QTest>

Q_DECLARE_METATYPE(S3Request)

class TestUploadGone : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decidesByMeaning_data();
    void decidesByMeaning();
};

void TestUploadGone::decidesByMeaning_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<S3Request>("request");
    QTest::addColumn<bool>("gone");

    const QString noSuchUpload = QStringLiteral("NoSuchUpload");
    const QString noSuchKey = QStringLiteral("NoSuchKey");
    QTest::newRow("NoSuchUpload on ListParts") << 404 << noSuchUpload << S3Request::ListParts << true;
    QTest::newRow("NoSuchUpload on UploadPart") << 404 << noSuchUpload << S3Request::UploadPart << true;
    QTest::newRow("NoSuchUpload on Complete") << 404 << noSuchUpload << S3Request::CompleteMultipartUpload << true;
    QTest::newRow("NoSuchUpload on Abort") << 404 << noSuchUpload << S3Request::AbortMultipartUpload << true;
    QTest::newRow("NoSuchKey on ListParts (radosgw)") << 404 << noSuchKey << S3Request::ListParts << true;
    QTest::newRow("NoSuchKey on UploadPart (radosgw)") << 404 << noSuchKey << S3Request::UploadPart << true;
    QTest::newRow("NoSuchKey on Complete") << 404 << noSuchKey << S3Request::CompleteMultipartUpload << true;
    QTest::newRow("NoSuchKey on Abort") << 404 << noSuchKey << S3Request::AbortMultipartUpload << true;
    QTest::newRow("NoSuchKey on HEAD") << 404 << noSuchKey << S3Request::HeadObject << false;
    QTest::newRow("NoSuchKey on GetObject") << 404 << noSuchKey << S3Request::GetObject << false;
    QTest::newRow("NoSuchKey on PutObject") << 404 << noSuchKey << S3Request::PutObject << false;
    QTest::newRow("NoSuchKey on Create") << 404 << noSuchKey << S3Request::CreateMultipartUpload << false;
    QTest::newRow("NoSuchKey not 404") << 400 << noSuchKey << S3Request::ListParts << false;
    QTest::newRow("403 AccessDenied on ListParts")
        << 403 << QStringLiteral("AccessDenied") << S3Request::ListParts << false;
    QTest::newRow("403 AccessDenied on UploadPart")
        << 403 << QStringLiteral("AccessDenied") << S3Request::UploadPart << false;
    QTest::newRow("404 NoSuchBucket on ListParts")
        << 404 << QStringLiteral("NoSuchBucket") << S3Request::ListParts << false;
    QTest::newRow("404 without a body on ListParts")
        << 404 << QStringLiteral("NotFound") << S3Request::ListParts << false;
    QTest::newRow("500 on UploadPart") << 500 << QStringLiteral("InternalError") << S3Request::UploadPart << false;
}

void TestUploadGone::decidesByMeaning()
{
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(S3Request, request);
    QFETCH(bool, gone);
    const QByteArray body = "<Error><Code>" + code.toUtf8() + "</Code><Message></Message></Error>";
    const StorageError error = StorageError::fromHttpResponse(status, body, "req-1", {});
    QCOMPARE(error.s3Code, code);
    QCOMPARE(isUploadGone(error, request), gone);
}

QTEST_GUILESS_MAIN(TestUploadGone)
#include "tst_uploadgone.moc"

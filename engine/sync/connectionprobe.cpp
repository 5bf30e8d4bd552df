#include "connectionprobe.h"

#include "storage/curltransport.h"
#include "storage/s3client.h"

#include <QThread>

#include <memory>

namespace {

// Short timeouts: someone is waiting for the answer in front of the dialog.
constexpr int kConnectTimeoutMs = 10000;
constexpr int kStallTimeoutSeconds = 15;
const QString kMissingObject = QStringLiteral(".keystone-connection-test");

StorageResult<void> probe(const EndpointProfile &profile, const AwsCredentials &credentials, const QString &bucket)
{
    TransportOptions options;
    options.caBundle = profile.caBundle;
    options.connectTimeoutMs = kConnectTimeoutMs;
    options.stallTimeoutSeconds = kStallTimeoutSeconds;
    CurlTransport transport(options);
    S3Client client(profile, credentials, transport);
    StorageResult<void> result = client.headBucket(bucket);
    if (!result && (result.error().httpStatus == 400 || result.error().httpStatus == 403)) {
        const StorageResult<QByteArray> named = client.getObject(bucket, kMissingObject);
        if (!named && named.error().httpStatus == result.error().httpStatus)
            result = named.error();
    }
    return result;
}

} // namespace

ConnectionProbe::ConnectionProbe(EndpointProfile profile, AwsCredentials credentials, QString bucket, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_credentials(std::move(credentials))
    , m_bucket(std::move(bucket))
{ }

void ConnectionProbe::start()
{
    if (m_running)
        return;
    m_running = true;
    // The result comes back through QThread::finished, delivered queued to this object's thread.
    auto result = std::make_shared<StorageResult<void>>();
    QThread *thread = QThread::create([profile = m_profile, credentials = m_credentials, bucket = m_bucket, result] {
        *result = probe(profile, credentials, bucket);
    });
    thread->setObjectName(QStringLiteral("settings-test-connection"));
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, result] {
        m_running = false;
        if (*result)
            Q_EMIT finished(true, tr("Connected: bucket \"%1\" is reachable with these credentials.").arg(m_bucket));
        else
            Q_EMIT finished(false, result->error().toString());
    });
    thread->start();
}

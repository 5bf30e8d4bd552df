#include "incompleteuploadcleaner.h"

#include "storage/s3client.h"
#include "storage/uploadgone.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcCleaner, "keystone.sync.cleaner", QtInfoMsg)

IncompleteUploadCleaner::IncompleteUploadCleaner(
    EndpointProfile profile, AwsCredentials credentials, TransportOptions transport)
    : m_profile(std::move(profile))
    , m_credentials(std::move(credentials))
    , m_transport(std::move(transport))
{
    m_pool.setMaxThreadCount(1); // aborts are rare and small: one at a time, in order
}

IncompleteUploadCleaner::~IncompleteUploadCleaner()
{
    m_pool.waitForDone();
}

bool IncompleteUploadCleaner::waitForDone(int msecs)
{
    return m_pool.waitForDone(msecs);
}

void IncompleteUploadCleaner::setStorage(
    EndpointProfile profile, AwsCredentials credentials, TransportOptions transport)
{
    m_profile = std::move(profile);
    m_credentials = std::move(credentials);
    m_transport = std::move(transport);
}

void IncompleteUploadCleaner::abort(const QList<Upload> &uploads)
{
    if (uploads.isEmpty())
        return;
    // The pool thread gets its own copies: setStorage() may change the members meanwhile, and uploads kept on the
    // storage used before a change must be aborted there.
    m_pool.start([profile = m_profile, credentials = m_credentials, options = m_transport, uploads] {
        CurlTransport transport(options);
        S3Client client(profile, credentials, transport);
        for (const Upload &upload : uploads) {
            const auto result = client.abortMultipartUpload(upload.bucket, upload.key, upload.uploadId);
            if (result || isUploadGone(result.error(), S3Request::AbortMultipartUpload)) {
                qCInfo(lcCleaner) << "aborted the kept upload of" << upload.key;
            } else {
                qCWarning(lcCleaner) << "could not abort the kept upload of" << upload.key << ":"
                                     << result.error().toString();
            }
        }
    });
}

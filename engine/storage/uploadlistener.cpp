#include "uploadlistener.h"

// The defaults: a listener implements only the events it follows.

UploadListener::~UploadListener() = default;

UploadListener &UploadListener::none()
{
    static UploadListener ignoring; // stateless, so one for every thread
    return ignoring;
}

void UploadListener::uploadStarted(const UploadItem &, const QString &, const PartPlan &)
{ }

StorageResult<void> UploadListener::partVerified(const UploadItem &, const CompletedPart &)
{
    return {};
}

void UploadListener::partFailed(const UploadItem &, int, int, const StorageError &, bool)
{ }

void UploadListener::uploadProgressed(const UploadItem &, const UploadProgress &)
{ }

void UploadListener::uploadGone(const UploadItem &, const QString &, const StorageError &)
{ }

void UploadListener::uploadAborted(const UploadItem &, const QString &)
{ }

StorageResult<void> UploadListener::beforeFile(const UploadItem &)
{
    return {};
}

void UploadListener::fileOpened(const UploadItem &, const FileIdentity &)
{ }

void UploadListener::fileUploaded(const UploadItem &, const QByteArray &, bool)
{ }

StorageResult<void> UploadListener::afterAllFiles(S3Client &)
{
    return {};
}

void UploadListener::jobFinished()
{ }

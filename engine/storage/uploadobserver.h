#pragma once

#include "core/completedpart.h"
#include "partplan.h"
#include "storageerror.h"
#include "storageresult.h"
#include "uploadprogress.h"

#include <QString>

// Hooks for the layer above (persistence, progress views). Called on the uploader's thread.
class UploadObserver
{
public:
    virtual ~UploadObserver() = default;
    virtual void uploadStarted(const QString &uploadId, const PartPlan &plan)
    {
        Q_UNUSED(uploadId)
        Q_UNUSED(plan)
    }
    // An error stops the upload (kept or aborted as for any failure) and the part does not count as committed: the
    // layer above could not record it, so progress must not claim it.
    virtual StorageResult<void> partVerified(const CompletedPart &part)
    {
        Q_UNUSED(part)
        return {};
    }
    virtual void partFailed(int partNumber, int attempt, const StorageError &error, bool willRetry)
    {
        Q_UNUSED(partNumber)
        Q_UNUSED(attempt)
        Q_UNUSED(error)
        Q_UNUSED(willRetry)
    }
    virtual void progressChanged(const UploadProgress &progress) { Q_UNUSED(progress) }
    // The server no longer has the multipart upload uploadId (isUploadGone): forget it and its verified parts. Once
    // per upload; a resume that found it gone calls uploadStarted() with the new upload next.
    virtual void uploadGone(const QString &uploadId, const StorageError &error)
    {
        Q_UNUSED(uploadId)
        Q_UNUSED(error)
    }
    // We aborted the multipart upload uploadId after a failure that ends it (the server confirmed, or said it was
    // gone already): its verified parts went with it, so forget both; a Retry starts the file with a new upload.
    virtual void uploadAborted(const QString &uploadId) { Q_UNUSED(uploadId) }
};

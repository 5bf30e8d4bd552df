#pragma once

#include "core/completedpart.h"
#include "core/fileidentity.h"
#include "partplan.h"
#include "storageerror.h"
#include "storageresult.h"
#include "uploaditem.h"
#include "uploadprogress.h"

#include <QByteArray>
#include <QString>

class S3Client;

// What an upload tells the layer above (the sync engine persists resume state and writes a manifest; views show
// progress), as it happens, on the thread that drives the upload. One interface all the way up: MultipartUploader
// reports a file's events to its listener; UploadJob is the listener of its files' uploaders and passes every event
// on to its own, adding the job's (files opened and completed, the end). Each event names the file it concerns.
// Every event has a default that does nothing (or accepts), so a listener implements only what it follows.
class UploadListener
{
public:
    virtual ~UploadListener();

    // A listener that follows nothing: for an upload nobody listens to.
    [[nodiscard]] static UploadListener &none();

    // Events of one file's upload (MultipartUploader).

    // The item's multipart upload uploadId is the one its parts go to: created, or resumed (ListParts found it).
    virtual void uploadStarted(const UploadItem &item, const QString &uploadId, const PartPlan &plan);
    // An error stops the upload (kept or aborted as for any failure) and the part does not count as committed: the
    // layer above could not record it, so progress must not claim it.
    [[nodiscard]] virtual StorageResult<void> partVerified(const UploadItem &item, const CompletedPart &part);
    virtual void partFailed(
        const UploadItem &item, int partNumber, int attempt, const StorageError &error, bool willRetry);
    virtual void uploadProgressed(const UploadItem &item, const UploadProgress &progress);
    // The server no longer has the item's multipart upload uploadId (isUploadGone): forget it and its verified parts.
    // Once per upload; a resume that found it gone calls uploadStarted() with the new upload next.
    virtual void uploadGone(const UploadItem &item, const QString &uploadId, const StorageError &error);
    // We aborted the item's multipart upload uploadId after a failure that ends it (the server confirmed, or said it
    // was gone already): its verified parts went with it, so forget both; a Retry starts the file with a new upload.
    virtual void uploadAborted(const UploadItem &item, const QString &uploadId);

    // Events of the job (UploadJob).

    // Before the file is opened; an error ends the job.
    [[nodiscard]] virtual StorageResult<void> beforeFile(const UploadItem &item);
    // The file passed its check (CheckedFile) and is open: found is what its descriptor says (e.g. to record the
    // device and inode of a file registered before they were kept).
    virtual void fileOpened(const UploadItem &item, const FileIdentity &found);
    // etagChecked: see UploadOutcome::etagChecked (etag may then be empty).
    virtual void fileUploaded(const UploadItem &item, const QByteArray &etag, bool etagChecked);
    // After every file is complete; an error fails the job.
    [[nodiscard]] virtual StorageResult<void> afterAllFiles(S3Client &client);
    // Last call on the job's thread, whatever the outcome (release thread-bound resources here).
    virtual void jobFinished();
};

#pragma once

#include "core/awscredentials.h"
#include "storage/curltransport.h"
#include "storage/endpointprofile.h"

#include <QList>
#include <QString>
#include <QThreadPool>

// Aborts multipart uploads nobody will resume any more (their episode was removed from the catalog while an upload
// was kept for a resume), so the storage does not keep and bill their parts. Runs on its own thread: the engine
// thread never waits on the network. Best effort: a failure is logged and left to the bucket's lifecycle rules;
// an upload the server no longer has (isUploadGone) counts as done.
class IncompleteUploadCleaner
{
public:
    struct Upload
    {
        QString bucket;
        QString key;
        QString uploadId;
    };

    IncompleteUploadCleaner(EndpointProfile profile, AwsCredentials credentials, TransportOptions transport);
    ~IncompleteUploadCleaner(); // waits for a running abort

    // Aborted with the storage and credentials set when called (a later setStorage() does not change them).
    void abort(const QList<Upload> &uploads);
    // Where later aborts go (settings applied live). Call from the thread that calls abort().
    void setStorage(EndpointProfile profile, AwsCredentials credentials, TransportOptions transport);
    // For shutdown: false when aborts were still running after msecs.
    bool waitForDone(int msecs);

private:
    EndpointProfile m_profile;
    AwsCredentials m_credentials;
    TransportOptions m_transport;
    QThreadPool m_pool;
};

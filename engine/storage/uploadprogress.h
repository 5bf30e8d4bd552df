#pragma once

#include <QMetaType>
#include <QtGlobal>

// Progress of one object upload. committedBytes counts only parts the server acknowledged *and* whose ETag
// matched our MD5: it never goes backwards while the multipart upload exists (it returns to zero when the upload is
// aborted or found gone, as its parts went with it). inflightBytes is what was handed to the network for parts not yet
// acknowledged; a failed part's bytes leave it at once.
struct UploadProgress
{
    qint64 committedBytes = 0;
    qint64 inflightBytes = 0;
    qint64 totalBytes = 0;
    int partsCompleted = 0;
    int partsTotal = 0;

    friend bool operator==(const UploadProgress &, const UploadProgress &) = default;
};

Q_DECLARE_METATYPE(UploadProgress)

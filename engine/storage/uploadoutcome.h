#pragma once

#include <QByteArray>
#include <QString>

// What an upload left on the server, once it succeeded.
struct UploadOutcome
{
    QString uploadId; // empty for a single PutObject
    QByteArray etag; // of the object, quotes stripped; empty when the server never gave one
    qint64 size = 0;
    int partCount = 0;
    // False when the object completed but nothing the server said of it could be checked against the verified parts:
    // its ETag was empty (Complete and HEAD) or not of S3's md5-of-md5s-N form (an encrypted bucket, a server with
    // its own scheme), or on OSS no CRC-64 came back. Every part was still checked on its own.
    bool etagChecked = true;
};

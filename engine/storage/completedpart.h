#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QtGlobal>

// One uploaded part, as CompleteMultipartUpload needs it. Travels in queued signals from the part workers.
struct CompletedPart
{
    int partNumber = 0;
    qint64 size = 0;
    QByteArray etag; // normalized: lower-case hex MD5, no quotes (see S3Xml::normalizeEtag)

    friend bool operator==(const CompletedPart &, const CompletedPart &) = default;
};

Q_DECLARE_METATYPE(CompletedPart)

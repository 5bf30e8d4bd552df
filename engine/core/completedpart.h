#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QtGlobal>

#include <optional>

// One uploaded part, as CompleteMultipartUpload needs it. Travels in queued signals from the part workers.
struct CompletedPart
{
    int partNumber = 0;
    qint64 size = 0;
    QByteArray etag; // normalized: lower-case hex MD5, no quotes (see S3Xml::normalizeEtag)
    // OSS: the CRC-64/ECMA computed while the part streamed, and equal to the server's. Whole-object CRCs are
    // combined from these at Complete. nullopt on S3, and for parts recorded before the catalog kept CRCs.
    std::optional<quint64> crc64 = std::nullopt;

    friend bool operator==(const CompletedPart &, const CompletedPart &) = default;
};

Q_DECLARE_METATYPE(CompletedPart)

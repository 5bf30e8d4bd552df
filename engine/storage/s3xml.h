#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>

#include "core/completedpart.h"
#include "storageresult.h"

// Parsing and building the XML bodies of the S3 multipart API. Matching is by local name, so the S3 namespace
// (or none, as some S3-compatible servers send) does not matter; whitespace and unknown elements are ignored.
// Every parser turns an <Error> body into the matching StorageError (S3 answers some requests with HTTP 200 and
// an <Error> body), and malformed XML or a wrong root element into StorageError::protocol.
namespace S3Xml {

struct ErrorBody
{
    QString code;
    QString message;
    QString requestId;
    QString resource;
    QString hostId;
    QString ec; // Alibaba OSS: the detailed error code its support asks for ("0002-00000040")
};

// std::nullopt unless the body is well-formed XML whose root element is <Error>.
std::optional<ErrorBody> parseError(const QByteArray &xml);

// The UploadId; an error if it is missing or empty.
StorageResult<QString> parseInitiateMultipartUpload(const QByteArray &xml);

struct ListedPart
{
    int partNumber = 0;
    QByteArray etag; // normalized lower hex, quotes stripped
    qint64 size = 0;
};

struct ListPartsPage
{
    QList<ListedPart> parts;
    bool isTruncated = false;
    // Pass as part-number-marker for the next page. When a truncated page lacks it, the highest part number of
    // the page is used; a truncated page with neither is a protocol error (paging on would loop forever).
    int nextPartNumberMarker = 0;
};

StorageResult<ListPartsPage> parseListParts(const QByteArray &xml);

struct MultipartUploadEntry
{
    QString key; // decoded when the response says <EncodingType>url</EncodingType>
    QString uploadId;
    QDateTime initiated; // invalid when the server did not say
};

// The uploads of one page (paging information is dropped: see parseListMultipartUploadsPage).
StorageResult<QList<MultipartUploadEntry>> parseListMultipartUploads(const QByteArray &xml);

struct MultipartUploadsPage
{
    QList<MultipartUploadEntry> uploads;
    bool isTruncated = false;
    QString nextKeyMarker; // key-marker for the next page
    QString nextUploadIdMarker; // upload-id-marker for the next page
};

StorageResult<MultipartUploadsPage> parseListMultipartUploadsPage(const QByteArray &xml);

struct CompleteResult
{
    QString location;
    QString bucket;
    QString key;
    QByteArray etag; // normalized (e.g. "<md5-of-md5s>-<parts>"): quotes stripped, lower case
    std::optional<quint64> crc64; // OSS: x-oss-hash-crc64ecma of the whole object (set by S3Client, not the XML)
};

// S3 can answer CompleteMultipartUpload with HTTP 200 and an <Error> body: that comes back as an error with
// StorageError::fromHttpResponse semantics (InternalError → retryable). S3 also sends whitespace before the
// XML while it works (to keep the connection alive); that is skipped.
StorageResult<CompleteResult> parseCompleteMultipartUpload(const QByteArray &xml);

// Parts are written in ascending part-number order whatever the order given; ETags are normalized and quoted.
QByteArray buildCompleteMultipartUpload(const QList<CompletedPart> &parts);

// Strips surrounding whitespace and quotes (also the escaped form &quot; some servers double-encode) and
// lower-cases, so ETags from headers, ListParts, Complete and local MD5s compare equal and are stored in one form.
QByteArray normalizeEtag(QByteArrayView etag);

} // namespace S3Xml

#pragma once

#include "s3error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <map>
#include <mutex>
#include <optional>

namespace StrictS3 {

// Buckets, objects and multipart uploads under --root, guarded by one mutex (every critical section
// is metadata work or renames; bodies are streamed to temp files before the store is touched).
//
// Layout: root/buckets/<bucket>/bucket.json, .../meta/<sha256(key)>.json (key, size, ETag, segments),
// .../data/<random> (object bytes). A completed multipart object keeps its parts as segments (renamed,
// not copied), so Complete costs no I/O even for GiB objects. root/uploads/<uploadId>/part-N holds
// parts in flight; root/tmp/ receives bodies while they stream in. Uploads live in memory only: a
// restart forgets them (and clears uploads/ and tmp/); buckets and objects are reloaded.
//
// Discard mode (--discard, for benchmarks): bodies are hashed by the caller but never written; parts and objects
// keep only size and MD5, objects live in memory only (no meta/ file), so the server's cost per byte is the
// same for every client and no disk is involved.
class ObjectStore
{
public:
    struct Segment
    {
        QString path;
        qint64 size = 0;
    };
    struct ObjectInfo
    {
        QByteArray key;
        qint64 size = 0;
        QByteArray etag; // unquoted: md5 hex, or md5-of-md5s hex + "-N"
        QDateTime lastModified;
        QByteArray contentType;
        quint64 crc64 = 0; // CRC-64/ECMA of the body (oss dialect; 0 when the s3 dialect stored it)
        QList<Segment> segments;
        bool bodyDiscarded = false; // stored in discard mode: size and ETag only
    };
    struct PartInfo
    {
        int number = 0;
        qint64 size = 0;
        QByteArray md5; // raw 16 bytes
        quint64 crc64 = 0; // oss dialect: CRC-64/ECMA of the part
        quint32 crc32 = 0; // --quirk checksum-headers: CRC-32 of the part (0 otherwise)
        QDateTime lastModified;
        QString path;
    };
    struct UploadInfo
    {
        QByteArray uploadId;
        QByteArray bucket;
        QByteArray key;
        QByteArray contentType;
        QDateTime initiated;
        std::map<int, PartInfo> parts;
        int completeRequests = 0; // CompleteMultipartUpload requests seen for it (--quirk complete-error-in-200)
    };
    struct BucketInfo
    {
        QByteArray name;
        QDateTime created;
    };
    struct CompletedPart
    {
        int number = 0;
        QByteArray etag; // as the client listed it (quotes allowed)
    };

    ObjectStore(QString root, qint64 minPartSize, bool discard = false);
    bool discardsBodies() const { return m_discard; }
    // --quirk opaque-multipart-etag: a completed multipart object gets 32 random hex digits as its ETag (stored, so
    // HEAD and listings give the same one).
    void setOpaqueMultipartEtags(bool opaque) { m_opaqueMultipartEtags = opaque; }

    bool open(QString *error);
    QString newTempPath(); // a fresh file name under root/tmp/

    bool createBucket(const QByteArray &name); // false: it existed already
    bool bucketExists(const QByteArray &name) const;
    S3Error deleteBucket(const QByteArray &name);
    QList<BucketInfo> buckets() const;

    // Moves tempPath into the store as bucket/key (discard mode: tempPath is unused, may be empty).
    S3Error putObject(const QByteArray &bucket, const QByteArray &key, const QString &tempPath, qint64 size,
        const QByteArray &md5, quint64 crc64, const QByteArray &contentType, ObjectInfo *stored);
    std::optional<ObjectInfo> object(const QByteArray &bucket, const QByteArray &key) const;
    S3Error deleteObject(const QByteArray &bucket, const QByteArray &key);
    QList<ObjectInfo> listObjects(const QByteArray &bucket, const QByteArray &prefix) const; // sorted by key

    S3Error createUpload(
        const QByteArray &bucket, const QByteArray &key, const QByteArray &contentType, UploadInfo *created);
    std::optional<UploadInfo> upload(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId) const;
    S3Error putPart(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId, int number,
        const QString &tempPath, qint64 size, const QByteArray &md5, quint64 crc64, quint32 crc32 = 0);
    // Forgets a stored part (fault injection: a server that lost it). No-op when there is no such part.
    void dropPart(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId, int number);
    // Counts one CompleteMultipartUpload of the upload; returns how many it has had, this one included (0: no such
    // upload).
    int countCompleteRequest(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId);
    S3Error abortUpload(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId);
    // The object's CRC-64 is combined from the listed parts' (Crc64::combine), so no byte is read again.
    S3Error completeUpload(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId,
        const QList<CompletedPart> &parts, ObjectInfo *stored);
    QList<UploadInfo> listUploads(const QByteArray &bucket, const QByteArray &prefix) const;
    // Aborts every upload in progress whose key starts with prefix, in any bucket (POST /__keystone/uploads/abort:
    // what a lifecycle rule AbortIncompleteMultipartUpload or an admin's cleanup does). Returns how many.
    int abortUploads(const QByteArray &prefix);
    int uploadsInProgress() const;

    static S3Error noSuchBucket();
    static S3Error noSuchUpload();

private:
    struct Bucket
    {
        QDateTime created;
        std::map<QByteArray, ObjectInfo> objects;
    };

    QString bucketDir(const QByteArray &bucket) const;
    QString metaPath(const QByteArray &bucket, const QByteArray &key) const;
    QString newDataPath(const QByteArray &bucket) const;
    bool writeMeta(const QByteArray &bucket, const ObjectInfo &info) const;
    void installObject(Bucket &bucket, const QByteArray &bucketName, ObjectInfo info); // m_mutex held
    bool loadBucket(const QByteArray &name);
    const UploadInfo *findUpload(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId) const;

    QString m_root;
    qint64 m_minPartSize;
    bool m_discard;
    bool m_opaqueMultipartEtags = false;
    mutable std::mutex m_mutex;
    std::map<QByteArray, Bucket> m_buckets;
    std::map<QByteArray, UploadInfo> m_uploads;
};

} // namespace StrictS3

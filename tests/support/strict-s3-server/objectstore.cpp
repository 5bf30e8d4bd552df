#include "objectstore.h"

#include "s3util.h"

#include <storage/crc64.h>
#include <storage/hashing.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cstdio>

namespace StrictS3 {

namespace {

bool renameFile(const QString &from, const QString &to)
{
    // std::rename replaces an existing target atomically (QFile::rename refuses to).
    return std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0;
}

void removeSegments(const QList<ObjectStore::Segment> &segments)
{
    for (const auto &s : segments)
        QFile::remove(s.path);
}

} // namespace

ObjectStore::ObjectStore(QString root, qint64 minPartSize, bool discard)
    : m_root(QDir(root).absolutePath())
    , m_minPartSize(minPartSize)
    , m_discard(discard)
{ }

S3Error ObjectStore::noSuchBucket()
{
    return S3Error::make(404, "NoSuchBucket", "The specified bucket does not exist");
}

S3Error ObjectStore::noSuchUpload()
{
    return S3Error::make(404, "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have "
        "been aborted or completed.");
}

bool ObjectStore::open(QString *error)
{
    QDir root(m_root);
    for (const char *dir : {"tmp", "uploads"}) {
        QDir(root.filePath(QString::fromLatin1(dir))).removeRecursively(); // in-flight state does not survive
    }
    for (const char *dir : {"buckets", "tmp", "uploads"}) {
        if (!root.mkpath(QString::fromLatin1(dir))) {
            *error = QStringLiteral("cannot create %1/%2").arg(m_root, QString::fromLatin1(dir));
            return false;
        }
    }
    const QStringList names
        = QDir(root.filePath(QStringLiteral("buckets"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        if (!loadBucket(name.toUtf8())) {
            *error = QStringLiteral("cannot load bucket %1").arg(name);
            return false;
        }
    }
    return true;
}

bool ObjectStore::loadBucket(const QByteArray &name)
{
    Bucket bucket;
    QFile info(bucketDir(name) + QStringLiteral("/bucket.json"));
    if (info.open(QIODevice::ReadOnly)) {
        const QJsonObject o = QJsonDocument::fromJson(info.readAll()).object();
        bucket.created = QDateTime::fromMSecsSinceEpoch(qint64(o.value(u"created").toDouble()), Qt::UTC);
    } else {
        bucket.created = QDateTime::currentDateTimeUtc();
    }
    const QDir metaDir(bucketDir(name) + QStringLiteral("/meta"));
    for (const QString &file : metaDir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        QFile f(metaDir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            return false;
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        ObjectInfo obj;
        obj.key = QByteArray::fromHex(o.value(u"key_hex").toString().toLatin1());
        obj.size = qint64(o.value(u"size").toDouble());
        obj.etag = o.value(u"etag").toString().toLatin1();
        obj.lastModified = QDateTime::fromMSecsSinceEpoch(qint64(o.value(u"last_modified").toDouble()), Qt::UTC);
        obj.contentType = o.value(u"content_type").toString().toUtf8();
        obj.crc64 = o.value(u"crc64").toString().toULongLong(); // a string: a double would round it
        for (const QJsonValue &v : o.value(u"segments").toArray()) {
            const QJsonObject s = v.toObject();
            obj.segments.append({bucketDir(name) + QStringLiteral("/data/") + s.value(u"file").toString(),
                qint64(s.value(u"size").toDouble())});
        }
        bucket.objects.emplace(obj.key, obj);
    }
    m_buckets.emplace(name, std::move(bucket));
    return true;
}

QString ObjectStore::newTempPath()
{
    return m_root + QStringLiteral("/tmp/") + QString::fromLatin1(S3Util::randomHex(12));
}

QString ObjectStore::bucketDir(const QByteArray &bucket) const
{
    return m_root + QStringLiteral("/buckets/") + QString::fromUtf8(bucket);
}

QString ObjectStore::metaPath(const QByteArray &bucket, const QByteArray &key) const
{
    // Keys may hold '/', "..", any UTF-8 and be 1024 bytes long: name the sidecar by a hash instead.
    return bucketDir(bucket) + QStringLiteral("/meta/") + QString::fromLatin1(Hashing::sha256Hex(key))
        + QStringLiteral(".json");
}

QString ObjectStore::newDataPath(const QByteArray &bucket) const
{
    return bucketDir(bucket) + QStringLiteral("/data/") + QString::fromLatin1(S3Util::randomHex(12));
}

bool ObjectStore::writeMeta(const QByteArray &bucket, const ObjectInfo &info) const
{
    QJsonArray segments;
    for (const Segment &s : info.segments)
        segments.append(QJsonObject{{"file", QFileInfo(s.path).fileName()}, {"size", double(s.size)}});
    const QJsonObject o{{"key", QString::fromUtf8(info.key)}, {"key_hex", QString::fromLatin1(info.key.toHex())},
        {"size", double(info.size)}, {"etag", QString::fromLatin1(info.etag)},
        {"last_modified", double(info.lastModified.toMSecsSinceEpoch())},
        {"content_type", QString::fromUtf8(info.contentType)}, {"crc64", QString::number(info.crc64)},
        {"segments", segments}};
    QSaveFile f(metaPath(bucket, info.key));
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QJsonDocument(o).toJson(QJsonDocument::Indented));
    return f.commit();
}

bool ObjectStore::createBucket(const QByteArray &name)
{
    std::lock_guard lock(m_mutex);
    if (m_buckets.count(name))
        return false;
    const QDir dir(bucketDir(name));
    dir.mkpath(QStringLiteral("meta"));
    dir.mkpath(QStringLiteral("data"));
    Bucket bucket;
    bucket.created = QDateTime::currentDateTimeUtc();
    QSaveFile f(dir.filePath(QStringLiteral("bucket.json")));
    if (f.open(QIODevice::WriteOnly)) {
        f.write(QJsonDocument(QJsonObject{{"created", double(bucket.created.toMSecsSinceEpoch())}}).toJson());
        f.commit();
    }
    m_buckets.emplace(name, std::move(bucket));
    return true;
}

bool ObjectStore::bucketExists(const QByteArray &name) const
{
    std::lock_guard lock(m_mutex);
    return m_buckets.count(name) > 0;
}

S3Error ObjectStore::deleteBucket(const QByteArray &name)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_buckets.find(name);
    if (it == m_buckets.end())
        return noSuchBucket();
    if (!it->second.objects.empty())
        return S3Error::make(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
    for (const auto &[id, upload] : m_uploads) {
        if (upload.bucket == name)
            return S3Error::make(409, "BucketNotEmpty", "The bucket you tried to delete has multipart uploads");
    }
    QDir(bucketDir(name)).removeRecursively();
    m_buckets.erase(it);
    return {};
}

QList<ObjectStore::BucketInfo> ObjectStore::buckets() const
{
    std::lock_guard lock(m_mutex);
    QList<BucketInfo> list;
    for (const auto &[name, bucket] : m_buckets)
        list.append({name, bucket.created});
    return list;
}

void ObjectStore::installObject(Bucket &bucket, const QByteArray &bucketName, ObjectInfo info)
{
    if (!m_discard) // discarded objects live in memory only: nothing on disk could describe them after a restart
        writeMeta(bucketName, info);
    const auto old = bucket.objects.find(info.key);
    if (old != bucket.objects.end()) {
        // A GET still streaming the old version from an unlinked-but-open segment is unaffected;
        // one that has not opened a later segment yet fails (acceptable for a test server).
        removeSegments(old->second.segments);
        bucket.objects.erase(old);
    }
    const QByteArray key = info.key;
    bucket.objects.emplace(key, std::move(info));
}

S3Error ObjectStore::putObject(const QByteArray &bucket, const QByteArray &key, const QString &tempPath, qint64 size,
    const QByteArray &md5, quint64 crc64, const QByteArray &contentType, ObjectInfo *stored)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_buckets.find(bucket);
    if (it == m_buckets.end())
        return noSuchBucket();
    ObjectInfo info;
    info.key = key;
    info.size = size;
    info.etag = md5.toHex();
    info.crc64 = crc64;
    info.lastModified = QDateTime::currentDateTimeUtc();
    info.contentType = contentType;
    info.bodyDiscarded = m_discard;
    if (!m_discard) {
        const QString data = newDataPath(bucket);
        if (!renameFile(tempPath, data))
            return S3Error::make(500, "InternalError", "cannot move the object into the store");
        info.segments = {{data, size}};
    }
    *stored = info;
    installObject(it->second, bucket, std::move(info));
    return {};
}

std::optional<ObjectStore::ObjectInfo> ObjectStore::object(const QByteArray &bucket, const QByteArray &key) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_buckets.find(bucket);
    if (it == m_buckets.end())
        return std::nullopt;
    const auto obj = it->second.objects.find(key);
    if (obj == it->second.objects.end())
        return std::nullopt;
    return obj->second;
}

S3Error ObjectStore::deleteObject(const QByteArray &bucket, const QByteArray &key)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_buckets.find(bucket);
    if (it == m_buckets.end())
        return noSuchBucket();
    const auto obj = it->second.objects.find(key);
    if (obj != it->second.objects.end()) { // deleting a missing key succeeds, as in S3
        removeSegments(obj->second.segments);
        QFile::remove(metaPath(bucket, key));
        it->second.objects.erase(obj);
    }
    return {};
}

QList<ObjectStore::ObjectInfo> ObjectStore::listObjects(const QByteArray &bucket, const QByteArray &prefix) const
{
    std::lock_guard lock(m_mutex);
    QList<ObjectInfo> list;
    const auto it = m_buckets.find(bucket);
    if (it == m_buckets.end())
        return list;
    for (auto obj = it->second.objects.lower_bound(prefix); obj != it->second.objects.end(); ++obj) {
        if (!obj->first.startsWith(prefix))
            break;
        list.append(obj->second);
    }
    return list;
}

S3Error ObjectStore::createUpload(
    const QByteArray &bucket, const QByteArray &key, const QByteArray &contentType, UploadInfo *created)
{
    std::lock_guard lock(m_mutex);
    if (!m_buckets.count(bucket))
        return noSuchBucket();
    UploadInfo upload;
    upload.uploadId = S3Util::randomHex(24);
    upload.bucket = bucket;
    upload.key = key;
    upload.contentType = contentType;
    upload.initiated = QDateTime::currentDateTimeUtc();
    if (!m_discard && !QDir(m_root).mkpath(QStringLiteral("uploads/") + QString::fromLatin1(upload.uploadId)))
        return S3Error::make(500, "InternalError", "cannot create the upload directory");
    *created = upload;
    m_uploads.emplace(upload.uploadId, std::move(upload));
    return {};
}

const ObjectStore::UploadInfo *ObjectStore::findUpload(
    const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId) const
{
    const auto it = m_uploads.find(uploadId);
    if (it == m_uploads.end() || it->second.bucket != bucket || it->second.key != key)
        return nullptr;
    return &it->second;
}

std::optional<ObjectStore::UploadInfo> ObjectStore::upload(
    const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId) const
{
    std::lock_guard lock(m_mutex);
    const UploadInfo *u = findUpload(bucket, key, uploadId);
    if (!u)
        return std::nullopt;
    return *u;
}

S3Error ObjectStore::putPart(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId, int number,
    const QString &tempPath, qint64 size, const QByteArray &md5, quint64 crc64, quint32 crc32)
{
    std::lock_guard lock(m_mutex);
    if (!m_buckets.count(bucket))
        return noSuchBucket();
    auto *u = const_cast<UploadInfo *>(findUpload(bucket, key, uploadId));
    if (!u)
        return noSuchUpload(); // aborted or completed while the body streamed in
    PartInfo part;
    part.number = number;
    part.size = size;
    part.md5 = md5;
    part.crc64 = crc64;
    part.crc32 = crc32;
    part.lastModified = QDateTime::currentDateTimeUtc();
    part.path = m_root + QStringLiteral("/uploads/") + QString::fromLatin1(uploadId) + QStringLiteral("/part-")
        + QString::number(number);
    if (!m_discard && !renameFile(tempPath, part.path)) // replaces an earlier upload of the same part number
        return S3Error::make(500, "InternalError", "cannot move the part into the store");
    u->parts[number] = part;
    return {};
}

void ObjectStore::dropPart(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId, int number)
{
    std::lock_guard lock(m_mutex);
    auto *u = const_cast<UploadInfo *>(findUpload(bucket, key, uploadId));
    if (!u)
        return;
    const auto part = u->parts.find(number);
    if (part == u->parts.end())
        return;
    QFile::remove(part->second.path);
    u->parts.erase(part);
}

int ObjectStore::countCompleteRequest(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId)
{
    std::lock_guard lock(m_mutex);
    auto *u = const_cast<UploadInfo *>(findUpload(bucket, key, uploadId));
    return u ? ++u->completeRequests : 0;
}

S3Error ObjectStore::abortUpload(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId)
{
    std::lock_guard lock(m_mutex);
    if (!m_buckets.count(bucket))
        return noSuchBucket();
    if (!findUpload(bucket, key, uploadId))
        return noSuchUpload();
    QDir(m_root + QStringLiteral("/uploads/") + QString::fromLatin1(uploadId)).removeRecursively();
    m_uploads.erase(uploadId);
    return {};
}

S3Error ObjectStore::completeUpload(const QByteArray &bucket, const QByteArray &key, const QByteArray &uploadId,
    const QList<CompletedPart> &parts, ObjectInfo *stored)
{
    std::lock_guard lock(m_mutex);
    const auto bucketIt = m_buckets.find(bucket);
    if (bucketIt == m_buckets.end())
        return noSuchBucket();
    const UploadInfo *u = findUpload(bucket, key, uploadId);
    if (!u)
        return noSuchUpload();
    if (parts.isEmpty() || parts.size() > 10000)
        return S3Error::make(400, "MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published "
            "schema");
    // Same order of checks as S3: order first, then existence/ETag, then sizes.
    for (qsizetype i = 1; i < parts.size(); ++i) {
        if (parts[i].number <= parts[i - 1].number)
            return S3Error::make(400, "InvalidPartOrder",
                "The list of parts was not in ascending order. Parts must be ordered by part "
                "number.");
    }
    for (const CompletedPart &p : parts) {
        const auto it = u->parts.find(p.number);
        if (it == u->parts.end() || S3Util::unquoted(p.etag).toLower() != it->second.md5.toHex()) {
            S3Error e = S3Error::make(400, "InvalidPart",
                "One or more of the specified parts could not be found. The part may not have "
                "been uploaded, or the specified entity tag may not match the part's entity "
                "tag.");
            e.extra = {{"UploadId", uploadId}, {"PartNumber", QByteArray::number(p.number)}, {"ETag", p.etag}};
            return e;
        }
    }
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        const PartInfo &part = u->parts.at(parts[i].number);
        if (part.size < m_minPartSize) {
            S3Error e = S3Error::make(400, "EntityTooSmall",
                "Your proposed upload is smaller than the minimum "
                "allowed object size.");
            e.extra = {{"ProposedSize", QByteArray::number(part.size)},
                {"MinSizeAllowed", QByteArray::number(m_minPartSize)}, {"PartNumber", QByteArray::number(part.number)},
                {"ETag", S3Util::quoted(part.md5.toHex())}};
            return e;
        }
    }

    // The parts become the object's segments by rename: no bytes are copied or re-hashed.
    Hashing::StreamingDigest md5(Hashing::StreamingDigest::Algorithm::Md5);
    ObjectInfo info;
    info.key = key;
    info.contentType = u->contentType;
    info.lastModified = QDateTime::currentDateTimeUtc();
    info.bodyDiscarded = m_discard;
    for (const CompletedPart &p : parts) {
        const PartInfo &part = u->parts.at(p.number);
        md5.update(part.md5.constData(), size_t(part.md5.size()));
        info.crc64 = Crc64::combine(info.crc64, part.crc64, quint64(part.size));
        info.size += part.size;
        if (m_discard)
            continue;
        const QString data = newDataPath(bucket);
        if (!renameFile(part.path, data)) {
            removeSegments(info.segments);
            return S3Error::make(500, "InternalError", "cannot move a part into the store");
        }
        info.segments.append({data, part.size});
    }
    info.etag = md5.finish().toHex() + '-' + QByteArray::number(parts.size());
    if (m_opaqueMultipartEtags)
        info.etag = S3Util::randomHex(16); // as with SSE-KMS: not derived from the parts, stable once stored
    QDir(m_root + QStringLiteral("/uploads/") + QString::fromLatin1(uploadId)).removeRecursively(); // unlisted parts
    m_uploads.erase(uploadId);
    *stored = info;
    installObject(bucketIt->second, bucket, std::move(info));
    return {};
}

QList<ObjectStore::UploadInfo> ObjectStore::listUploads(const QByteArray &bucket, const QByteArray &prefix) const
{
    std::lock_guard lock(m_mutex);
    QList<UploadInfo> list;
    for (const auto &[id, upload] : m_uploads) {
        if (upload.bucket == bucket && upload.key.startsWith(prefix))
            list.append(upload);
    }
    std::sort(list.begin(), list.end(), [](const UploadInfo &a, const UploadInfo &b) {
        return a.key != b.key ? a.key < b.key : a.initiated < b.initiated;
    });
    return list;
}

int ObjectStore::abortUploads(const QByteArray &prefix)
{
    std::lock_guard lock(m_mutex);
    int aborted = 0;
    for (auto it = m_uploads.begin(); it != m_uploads.end();) {
        if (!it->second.key.startsWith(prefix)) {
            ++it;
            continue;
        }
        QDir(m_root + QStringLiteral("/uploads/") + QString::fromLatin1(it->first)).removeRecursively();
        it = m_uploads.erase(it);
        ++aborted;
    }
    return aborted;
}

int ObjectStore::uploadsInProgress() const
{
    std::lock_guard lock(m_mutex);
    return int(m_uploads.size());
}

} // namespace StrictS3

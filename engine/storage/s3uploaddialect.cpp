#include "s3uploaddialect.h"

#include "hashing.h"

#include <QObject>
#include <QRegularExpression>

StorageResult<void> S3UploadDialect::expectObjectOf(QList<CompletedPart> &verified, const RegionCrc64 &regionCrc64)
{
    Q_UNUSED(regionCrc64)
    m_expectedEtag = multipartEtag(verified);
    return {};
}

StorageResult<bool> S3UploadDialect::matches(const QByteArray &etag, std::optional<quint64> crc64) const
{
    Q_UNUSED(crc64)
    // S3 makes the ETag of a multipart object from the parts' MD5s. Anything else (empty, a plain MD5 as s3rver
    // sends, an encrypted bucket's opaque ETag) says nothing we can check without reading the object back.
    static const QRegularExpression multipartForm(QStringLiteral("^[0-9a-f]{32}-[0-9]+$"));
    const QByteArray normalized = etag.toLower(); // hex either way: some servers send it upper-case
    if (!multipartForm.match(QString::fromLatin1(normalized)).hasMatch())
        return false;
    if (normalized != m_expectedEtag) {
        return StorageError::integrity(
            QObject::tr("the completed object's ETag %1 is not the %2 our verified parts make")
                .arg(QString::fromLatin1(etag), QString::fromLatin1(m_expectedEtag)));
    }
    return true;
}

bool S3UploadDialect::isExpectedObject(const ObjectInfo &head, qint64 fileSize) const
{
    Q_UNUSED(fileSize)
    return head.etag == m_expectedEtag;
}

QByteArray S3UploadDialect::multipartEtag(const QList<CompletedPart> &parts)
{
    QByteArray digests;
    for (const CompletedPart &part : parts)
        digests += QByteArray::fromHex(part.etag);
    return Hashing::md5(digests).toHex() + '-' + QByteArray::number(parts.size());
}

#pragma once

#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QVariant>

// How single values are stored in the catalog's columns and read back. Empty strings, invalid dates and zero sizes
// are NULL in the catalog; a typed null variant binds as SQL NULL.
namespace CatalogValues {

[[nodiscard]] QVariant textOrNull(const QString &text);
// ETags are ASCII in practice; Latin-1 keeps any byte sequence round-tripping exactly.
[[nodiscard]] QVariant etagOrNull(const QByteArray &etag);
[[nodiscard]] QByteArray etagFrom(const QVariant &value);
// etag_checked: 0 only for a file completed without a checkable ETag; NULL for everything else.
[[nodiscard]] QVariant etagCheckedOrNull(bool checked);
// Times are UTC milliseconds since the epoch.
[[nodiscard]] QVariant msOrNull(const QDateTime &time);
[[nodiscard]] QDateTime timeFrom(const QVariant &value);
[[nodiscard]] QVariant positiveOrNull(qint64 value);
// device / inode of a file: NULL while the inode is not known (knowsInode false). SQLite integers are signed: the
// bits are kept.
[[nodiscard]] QVariant identityOrNull(bool knowsInode, quint64 value);
// An OSS part's CRC-64 as decimal text (SQLite integers are signed); NULL for S3 parts.
[[nodiscard]] QVariant crc64OrNull(const std::optional<quint64> &crc);
[[nodiscard]] std::optional<quint64> crc64From(const QVariant &value);

} // namespace CatalogValues

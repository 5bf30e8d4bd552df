#include "catalogvalues.h"

namespace CatalogValues {

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant etagOrNull(const QByteArray &etag)
{
    return etag.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(QString::fromLatin1(etag));
}

QByteArray etagFrom(const QVariant &value)
{
    return value.isNull() ? QByteArray() : value.toString().toLatin1();
}

QVariant etagCheckedOrNull(bool checked)
{
    return checked ? QVariant(QMetaType::fromType<int>()) : QVariant(0);
}

QVariant msOrNull(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime timeFrom(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant positiveOrNull(qint64 value)
{
    return value > 0 ? QVariant(value) : QVariant(QMetaType::fromType<qint64>());
}

QVariant identityOrNull(bool knowsInode, quint64 value)
{
    return knowsInode ? QVariant(qint64(value)) : QVariant(QMetaType::fromType<qint64>());
}

QVariant crc64OrNull(const std::optional<quint64> &crc)
{
    return crc ? QVariant(QString::number(*crc)) : QVariant(QMetaType::fromType<QString>());
}

std::optional<quint64> crc64From(const QVariant &value)
{
    bool ok = false;
    const quint64 crc = value.toString().toULongLong(&ok);
    return value.isNull() || !ok ? std::nullopt : std::optional<quint64>(crc);
}

} // namespace CatalogValues

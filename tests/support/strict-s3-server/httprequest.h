#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace StrictS3 {

// One parsed request head. Header names keep their wire spelling; lookups are case-insensitive.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // raw request target as sent ("/bucket/my%20key?uploads")
    QByteArray version; // "HTTP/1.1"
    QList<std::pair<QByteArray, QByteArray>> headers;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (name.compare(h.first, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (name.compare(h.first, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
};

} // namespace StrictS3

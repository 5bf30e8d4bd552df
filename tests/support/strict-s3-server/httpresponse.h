#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace StrictS3 {

// A response to write in one go (bodies streamed from files are written separately after the head).
struct HttpResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 contentLength = -1; // -1: body.size(); set explicitly for HEAD and for file bodies
    bool close = false; // send "Connection: close" and drop the connection afterwards
    // No Content-Length header: the body ends when the connection closes (HTTP/1.1 allows it; implies close).
    bool withoutContentLength = false;

    void addHeader(QByteArray name, QByteArray value) { headers.append({std::move(name), std::move(value)}); }
};

} // namespace StrictS3

#pragma once

#include <QString>
#include <QtGlobal>

#include <cstddef>

// A request body that libcurl pulls from, chunk by chunk. Implementations never hold a whole part in memory.
// Called on the transport's thread only.
class BodySource
{
public:
    virtual ~BodySource() = default;
    virtual qint64 size() const = 0;
    // Copies up to maxBytes into buffer; returns the count, 0 at the end, or -1 on a read error (see errorString()).
    virtual qint64 read(char *buffer, qint64 maxBytes) = 0;
    // libcurl may resend a body from the start (e.g. a kept-alive connection died before the response).
    virtual bool rewind() = 0;
    // Bytes handed to libcurl so far: what is "in flight" until the server answers.
    virtual qint64 position() const = 0;
    virtual QString errorString() const { return {}; }
};

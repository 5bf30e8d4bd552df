#pragma once

#include "sigv4signer.h"

#include <QByteArray>

#include <memory>

class BodySource;

// One HTTP exchange as the transport performs it. The URL is fully percent-encoded already: libcurl sends it as is,
// so what is signed is exactly what goes on the wire.
struct HttpRequest
{
    QByteArray method;
    QByteArray url;
    HeaderList headers;
    std::shared_ptr<BodySource> body; // null: no body
};

struct HttpResponse
{
    int status = 0;
    HeaderList headers; // names lower-case
    QByteArray body;

    QByteArray header(QByteArrayView lowerCaseName) const
    {
        for (const auto &[name, value] : headers) {
            if (name == lowerCaseName)
                return value;
        }
        return {};
    }
};

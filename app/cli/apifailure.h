#pragma once

#include <QString>

// Why a call to the local API did not succeed, sorted into what a script needs to tell apart. Carries the API's
// error message ({"error": {"code", "message"}}) or a sentence of our own for transport failures.
struct ApiFailure
{
    enum class Kind {
        None,
        Unreachable, // connection refused, timeout, no HTTP answer
        Unauthorized, // 401 / 403
        NotFound, // 404
        BadRequest, // 400: the arguments were wrong (bad id, path, status filter)
        Refused, // 409 and any other error status
        NotTheInstance, // over TCP, the server did not prove its identity (ServerIdentity): the token was not sent
    };

    Kind kind = Kind::None;
    int httpStatus = 0; // 0: no HTTP answer
    QString code; // the API's error.code, when it sent one
    QString message;

    bool isError() const { return kind != Kind::None; }
};

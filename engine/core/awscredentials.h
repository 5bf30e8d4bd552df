#pragma once

#include <QByteArray>

// An access key pair. The secret never leaves this struct except into an HMAC: it is not logged,
// not persisted by the engine, and not part of any error message.
struct AwsCredentials
{
    QByteArray accessKeyId;
    QByteArray secretAccessKey;
    QByteArray sessionToken; // optional (temporary credentials)

    bool isValid() const { return !accessKeyId.isEmpty() && !secretAccessKey.isEmpty(); }
};

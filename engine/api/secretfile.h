#pragma once

#include "apiresult.h"

#include <QByteArray>
#include <QString>

// A secret kept in a file only its owner may read: kBytes random bytes from QRandomGenerator::system(),
// hex-encoded. Created 0600 with O_EXCL (never readable by others, not even for a moment); replaced atomically
// (written 0600 beside it, then renamed) so a reader sees the old or the new secret, never half of one. The API token
// and the server identity are two of them. `what` names the file in messages ("API token"); no message holds the
// secret.
class SecretFile
{
public:
    static constexpr int kBytes = 32;

    // Refuses a non-regular file (a symlink too), a file group or others may read or write, malformed content.
    [[nodiscard]] static ApiResult<QByteArray> read(const QString &path, const QString &what);
    // A fresh secret in a new file (its directory is created if missing); fails if the file exists.
    [[nodiscard]] static ApiResult<QByteArray> create(const QString &path, const QString &what);
    // A fresh secret in place of the file (which need not exist).
    [[nodiscard]] static ApiResult<QByteArray> replace(const QString &path, const QString &what);
};

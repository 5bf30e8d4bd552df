#pragma once

#include "apiresult.h"

#include <QByteArray>
#include <QString>

// Lets a client check, before it sends the bearer token over TCP, that the server on the port is the instance of
// its data directory and not a process that took the port (after the real server died, or before it
// started). The server writes a fresh random secret at every start into ApiLocation::identityFile()
// (a SecretFile: 0600, so only its user can read it); GET /health?nonce=N answers
// "instance": proof(N, port). The client reads the same file, sends a random nonce and compares. The secret never
// leaves the file: a fake server can neither read it nor replay an old proof (the nonce is new), and relaying the
// client's nonce to the real server on another port does not help either, because the proof names the port the real
// server listens on.
class ServerIdentity
{
public:
    static constexpr int kNonceBytes = 16; // what a client sends, hex-encoded
    static constexpr int kMaxNonceLength = 128; // hex digits the server accepts

    // A fresh secret in the file (replacing the one of an earlier run).
    [[nodiscard]] ApiResult<void> create(const QString &path);
    // The secret the running server wrote (as a client). An error if missing, unsafe or malformed.
    [[nodiscard]] ApiResult<void> read(const QString &path);
    bool isValid() const { return !m_secret.isEmpty(); }

    // Hex of HMAC-SHA256(secret, "keystone-console instance " + nonce + " port " + port).
    [[nodiscard]] QByteArray proof(const QByteArray &nonce, quint16 port) const;
    // The client's side of the exchange: kNonceBytes random bytes, hex-encoded.
    [[nodiscard]] static QByteArray newNonce();
    // 1 to kMaxNonceLength hex digits: what /health accepts as a nonce.
    [[nodiscard]] static bool isValidNonce(const QByteArray &nonce);

private:
    // The secret read or written, kept for proof(); or its error passed on.
    [[nodiscard]] ApiResult<void> keep(ApiResult<QByteArray> secret);

    QByteArray m_secret;
};

#pragma once

#include "secretfile.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <QStringList>

// The API's two gates: the bearer token (kept in <dataDir>/api-token, mode 0600) and the Host header check
// (DNS-rebinding defence: only loopback names/addresses or configured names). The token is never logged.
class ApiAuth
{
public:
    static constexpr int kTokenBytes = SecretFile::kBytes; // random bytes; the file holds them hex-encoded

    // Reads the token file, or creates it (a SecretFile: 0600, O_EXCL, random).
    // Refuses a file readable or writable by group/others, a non-regular file, or malformed content.
    bool loadOrCreateToken(const QString &path, QString *error);
    QByteArray token() const { return m_token; }
    // A fresh token replaces the file atomically (written 0600 beside it, then renamed); the old one stops working.
    bool regenerateToken(const QString &path, QString *error);

    // "Bearer <token>", compared in constant time (SHA-256 of both sides, so the length is not revealed either).
    enum class Verdict { Ok, Missing, Invalid };
    Verdict check(const QByteArray &authorizationHeader) const;

    void setAllowedHosts(const QStringList &hosts, const QHostAddress &boundAddress);
    // The Host header value (host, host:port, [v6], [v6]:port).
    bool hostAllowed(const QByteArray &hostHeader) const;

    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

private:
    bool readToken(const QString &path, QString *error);
    bool createToken(const QString &path, QString *error);

    QByteArray m_token;
    QStringList m_allowedHosts; // lower-case
};

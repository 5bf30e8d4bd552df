#pragma once

#include "apiresult.h"
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
    [[nodiscard]] ApiResult<void> loadOrCreateToken(const QString &path);
    QByteArray token() const { return m_token; }
    // A fresh token replaces the file atomically (written 0600 beside it, then renamed); the old one stops working.
    [[nodiscard]] ApiResult<void> regenerateToken(const QString &path);

    // "Bearer <token>", compared in constant time (SHA-256 of both sides, so the length is not revealed either).
    enum class Verdict { Ok, Missing, Invalid };
    Verdict check(const QByteArray &authorizationHeader) const;

    void setAllowedHosts(const QStringList &hosts, const QHostAddress &boundAddress);
    // The Host header value (host, host:port, [v6], [v6]:port).
    bool hostAllowed(const QByteArray &hostHeader) const;

    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

private:
    [[nodiscard]] ApiResult<void> readToken(const QString &path);
    [[nodiscard]] ApiResult<void> createToken(const QString &path);

    QByteArray m_token;
    QStringList m_allowedHosts; // lower-case
};

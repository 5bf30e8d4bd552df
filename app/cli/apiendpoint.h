#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

// Where a script verb reaches the local API: the instance's Unix socket (preferred: the kernel admits only the same
// user there, so the token never goes to a port another user could own) or its TCP address.
struct ApiEndpoint
{
    QString unixSocketPath; // not empty: the Unix socket
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0;

    bool isUnixSocket() const { return !unixSocketPath.isEmpty(); }
    // host:port of the TCP address, a v6 address in brackets.
    QString authority() const
    {
        const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
        return (v6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2")).arg(address.toString()).arg(port);
    }
    // For messages: unix:/path/api.sock, or http://127.0.0.1:8470/api/v1.
    QString toString() const
    {
        return isUnixSocket() ? QStringLiteral("unix:") + unixSocketPath
                              : QStringLiteral("http://%1/api/v1").arg(authority());
    }
    // The Host header: a loopback name or address the API's Host check accepts.
    QByteArray hostHeader() const { return isUnixSocket() ? QByteArrayLiteral("localhost") : authority().toLatin1(); }
};

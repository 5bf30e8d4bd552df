#pragma once

#include "apiresult.h"

#include <QObject>
#include <QString>

#include <functional>

#include <sys/types.h>

class QSocketNotifier;

// The local API's Unix-domain socket (--listen unix:PATH; default <dataDir>/api.sock): a listening AF_UNIX stream
// socket whose accepted connections are handed, as descriptors, to the API's GuardedTcpServer (QHttpServer 6.4
// binds only a QTcpServer; a QTcpSocket serves an AF_UNIX stream descriptor as it serves TCP, with a null peer
// address). Unlike a loopback port, the kernel tells who connected: SO_PEERCRED admits only the server's own uid
// (and root); any other peer is closed at once and logged with its uid and pid. The bearer token is still required.
//
// The socket file is created 0600 (umask around bind, then chmod) in the 0700 data directory. A socket file left
// by a crashed run is removed at start, but only if it is a socket owned by us and nothing answers on it
// (ECONNREFUSED); a live instance there makes listen() fail. The file is removed when the listener is destroyed
// (if it is still the one we bound).
class UnixSocketListener : public QObject
{
    Q_OBJECT

public:
    using Adopt = std::function<void(qintptr descriptor)>; // takes ownership of the connected descriptor

    static constexpr int kMaxPathBytes = 107; // sizeof(sockaddr_un::sun_path) - 1 on Linux

    UnixSocketListener(Adopt adopt, QObject *parent = nullptr);
    ~UnixSocketListener() override;

    // An error if the path is too long, taken by a live instance or by something else, or cannot be bound.
    [[nodiscard]] ApiResult<void> listen(const QString &path);
    QString path() const { return m_path; }
    [[nodiscard]] static bool pathFits(const QString &path); // 1 to kMaxPathBytes bytes in the file system's encoding
    // The uid admitted besides root; the process's effective uid by default. A test seam: lets a test without
    // root prove that a peer of another uid is refused by admitting a uid that is not its own.
    void setAllowedUid(uid_t uid) { m_allowedUid = uid; }

private:
    [[nodiscard]] ApiResult<void> removeStale(const QByteArray &path);
    void acceptPending();
    bool admit(int descriptor) const;

    Adopt m_adopt;
    QString m_path;
    int m_fd = -1;
    dev_t m_device = 0; // of the socket file we bound: removed at exit only if it is still that file
    ino_t m_inode = 0;
    uid_t m_allowedUid;
    QSocketNotifier *m_notifier = nullptr;
};

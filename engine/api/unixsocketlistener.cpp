#include "unixsocketlistener.h"

#include "apilogging.h"

#include <QFile>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

constexpr int kBacklog = 64;
constexpr int kRetryAfterFdExhaustionMs = 100;

QString errnoText(int error)
{
    return QString::fromLocal8Bit(strerror(error));
}

static_assert(sizeof(sockaddr_un::sun_path) - 1 == UnixSocketListener::kMaxPathBytes);

bool fillAddress(const QByteArray &path, sockaddr_un *address)
{
    *address = {};
    address->sun_family = AF_UNIX;
    if (path.isEmpty() || size_t(path.size()) >= sizeof(address->sun_path))
        return false;
    memcpy(address->sun_path, path.constData(), size_t(path.size()));
    return true;
}

} // namespace

UnixSocketListener::UnixSocketListener(Adopt adopt, QObject *parent)
    : QObject(parent)
    , m_adopt(std::move(adopt))
    , m_allowedUid(::geteuid())
{ }

bool UnixSocketListener::pathFits(const QString &path)
{
    const qsizetype bytes = QFile::encodeName(path).size();
    return bytes > 0 && bytes <= kMaxPathBytes;
}

UnixSocketListener::~UnixSocketListener()
{
    if (m_fd < 0)
        return;
    ::close(m_fd);
    struct stat st = {};
    const QByteArray path = QFile::encodeName(m_path);
    if (::lstat(path.constData(), &st) == 0 && st.st_dev == m_device && st.st_ino == m_inode)
        ::unlink(path.constData());
}

ApiResult<void> UnixSocketListener::listen(const QString &path)
{
    const QByteArray encoded = QFile::encodeName(path);
    sockaddr_un address;
    if (!fillAddress(encoded, &address))
        return ApiError{QStringLiteral("the socket path %1 is empty or longer than %2 bytes")
                            .arg(path)
                            .arg(sizeof(address.sun_path) - 1)};
    if (auto removed = removeStale(encoded); !removed)
        return removed;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return ApiError{QStringLiteral("cannot create a Unix socket: %1").arg(errnoText(errno))};
    // The file bind() creates gets 0777 & ~umask: 0600 from its first moment, then chmod for certainty (the umask
    // is process-wide, so it is restored at once).
    const mode_t previousMask = ::umask(0177);
    const int bound = ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address));
    const int bindError = errno;
    ::umask(previousMask);
    struct stat st = {};
    if (bound != 0 || ::chmod(encoded.constData(), 0600) != 0 || ::lstat(encoded.constData(), &st) != 0
        || ::listen(fd, kBacklog) != 0) {
        ApiError error{QStringLiteral("cannot listen on %1: %2").arg(path, errnoText(bound != 0 ? bindError : errno))};
        if (bound == 0)
            ::unlink(encoded.constData());
        ::close(fd);
        return error;
    }
    m_fd = fd;
    m_path = path;
    m_device = st.st_dev;
    m_inode = st.st_ino;
    m_notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &UnixSocketListener::acceptPending);
    qCInfo(lcApi) << "listening on unix:" + path;
    return {};
}

ApiResult<void> UnixSocketListener::removeStale(const QByteArray &path)
{
    const QString name = QFile::decodeName(path);
    struct stat st = {};
    if (::lstat(path.constData(), &st) != 0) {
        if (errno == ENOENT)
            return {};
        return ApiError{QStringLiteral("cannot inspect %1: %2").arg(name, errnoText(errno))};
    }
    if (!S_ISSOCK(st.st_mode)) {
        return ApiError{
            QStringLiteral("%1 exists and is not a socket; remove it or choose another --listen unix: path").arg(name)};
    }
    if (st.st_uid != ::geteuid()) {
        return ApiError{QStringLiteral("the socket %1 belongs to uid %2, not to us; remove it or choose another path")
                            .arg(name)
                            .arg(st.st_uid)};
    }
    const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address;
    fillAddress(path, &address);
    const int connected
        = probe < 0 ? -1 : ::connect(probe, reinterpret_cast<const sockaddr *>(&address), sizeof(address));
    const int connectError = errno;
    if (probe >= 0)
        ::close(probe);
    if (connected == 0)
        return ApiError{QStringLiteral("another instance is listening on %1").arg(name)};
    if (connectError != ECONNREFUSED)
        return ApiError{QStringLiteral("cannot tell whether %1 is in use: %2").arg(name, errnoText(connectError))};
    qCInfo(lcApi) << "removing the stale socket" << name << "(nothing answers on it)";
    if (::unlink(path.constData()) != 0 && errno != ENOENT)
        return ApiError{QStringLiteral("cannot remove the stale socket %1: %2").arg(name, errnoText(errno))};
    return {};
}

void UnixSocketListener::acceptPending()
{
    for (;;) {
        const int descriptor = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (descriptor >= 0) {
            if (admit(descriptor))
                m_adopt(descriptor);
            else
                ::close(descriptor);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            // The pending connection stays queued and the notifier would fire again at once: pause it briefly
            // rather than spin.
            qCWarning(lcApi) << "cannot accept on" << m_path << ":" << errnoText(errno);
            m_notifier->setEnabled(false);
            QTimer::singleShot(kRetryAfterFdExhaustionMs, this, [this] { m_notifier->setEnabled(true); });
        }
        return; // EAGAIN: nothing more pending
    }
}

bool UnixSocketListener::admit(int descriptor) const
{
    ucred peer = {};
    socklen_t length = sizeof(peer);
    if (::getsockopt(descriptor, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0) {
        qCWarning(lcApi) << "refused a connection on" << m_path << ": no peer credentials:" << errnoText(errno);
        return false;
    }
    if (peer.uid == m_allowedUid || peer.uid == 0)
        return true;
    qCWarning(lcApi).nospace() << "refused a connection on " << m_path << " from uid " << peer.uid << " (pid "
                               << peer.pid << "): only uid " << m_allowedUid << " and root may use the API socket";
    return false;
}

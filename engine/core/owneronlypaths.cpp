#include "owneronlypaths.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QScopeGuard>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcOwnerOnly, "keystone.core.files", QtWarningMsg)

namespace {

constexpr mode_t kGroupAndOthers = 077;

QString octal(mode_t mode)
{
    return QStringLiteral("%1").arg(mode & 07777, 4, 8, QLatin1Char('0'));
}

QString lastError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// Clears the group's and others' bits of what fd refers to; nothing when they are clear already. A file found loose
// is news (a warning naming it and both modes); one a library has just created is narrowed quietly. What is not
// ours, or is a shared directory (sticky bit, as /tmp), is left alone with a warning: narrowing /tmp given as
// --data-dir to a root process would break the machine.
void narrow(int fd, const QString &path, OwnerOnlyPaths::Origin origin)
{
    struct stat info = {};
    if (::fstat(fd, &info) != 0 || (info.st_mode & kGroupAndOthers) == 0)
        return;
    const mode_t narrowed = info.st_mode & 07700;
    QString refusal;
    if (info.st_uid != ::geteuid())
        refusal = QStringLiteral("it belongs to uid %1").arg(info.st_uid);
    else if ((info.st_mode & S_ISVTX) != 0)
        refusal = QStringLiteral("it is a shared directory (sticky bit); give Keystone Console a directory of its own");
    else if (::fchmod(fd, narrowed) != 0)
        refusal = lastError();
    if (!refusal.isEmpty()) {
        qCWarning(lcOwnerOnly).noquote() << QStringLiteral(
            "%1 has mode %2, open to group or others, and is not narrowed to %3: %4")
                                                .arg(path, octal(info.st_mode), octal(narrowed), refusal);
        return;
    }
    if (origin == OwnerOnlyPaths::Origin::Found) {
        qCWarning(lcOwnerOnly).noquote() << QStringLiteral("%1 had mode %2, open to group or others; narrowed to %3")
                                                .arg(path, octal(info.st_mode), octal(narrowed));
    }
}

} // namespace

Expected<void, OwnerOnlyPathError> OwnerOnlyPaths::ensureDirectory(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    const QString parent = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(parent))
        return OwnerOnlyPathError{QStringLiteral("cannot create the data directory %1").arg(path)};
    // Created 0700 from the start: never readable by others, not even for a moment.
    if (::mkdir(native.constData(), 0700) != 0 && errno != EEXIST)
        return OwnerOnlyPathError{QStringLiteral("cannot create the data directory %1: %2").arg(path, lastError())};
    const int fd = ::open(native.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return OwnerOnlyPathError{QStringLiteral("cannot open the data directory %1: %2")
                                      .arg(path, errno == ENOTDIR ? QStringLiteral("not a directory") : lastError())};
    }
    narrow(fd, path, Origin::Found);
    ::close(fd);
    return {};
}

void OwnerOnlyPaths::restrictFile(const QString &path, Origin origin)
{
    const int fd
        = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return; // missing (fine), or a link we do not follow
    const auto closeFd = qScopeGuard([fd] { ::close(fd); });
    struct stat info = {};
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode))
        narrow(fd, path, origin);
}

Expected<void, OwnerOnlyPathError> OwnerOnlyPaths::createFile(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
        return {};
    }
    if (errno != EEXIST)
        return OwnerOnlyPathError{QStringLiteral("cannot create %1: %2").arg(path, lastError())};
    restrictFile(path);
    return {};
}

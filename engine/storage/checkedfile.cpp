#include "checkedfile.h"

#include "core/filetypename.h"

#include <QFile>
#include <QLocale>
#include <QObject>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

namespace {

constexpr int kFileFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
constexpr int kFolderFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Why openat(dir, name) failed, as the user should read it (errno as openat left it).
StorageError openFailure(int dir, const QByteArray &name, const QString &path, int error)
{
    if (error == ENOENT)
        return StorageError::fileMissing(QObject::tr("%1 is missing").arg(path));
    struct stat info = {};
    if ((error == ELOOP || error == ENOTDIR || error == ENXIO)
        && ::fstatat(dir, name.constData(), &info, AT_SYMLINK_NOFOLLOW) == 0)
        return StorageError::fileChanged(QObject::tr("%1 is now a %2").arg(path, fileTypeName(info.st_mode)));
    return StorageError::localIo(QObject::tr("cannot open %1: %2").arg(path, systemError(error)));
}

class Descriptor
{
public:
    explicit Descriptor(int fd)
        : m_fd(fd)
    { }
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    int get() const { return m_fd; }
    int take() { return std::exchange(m_fd, -1); }
    void reset(int fd)
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd;
};

} // namespace

CheckedFile::CheckedFile(CheckedFile &&other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_path(std::move(other.m_path))
    , m_identity(other.m_identity)
{ }

CheckedFile &CheckedFile::operator=(CheckedFile &&other) noexcept
{
    if (this != &other) {
        close();
        m_fd = std::exchange(other.m_fd, -1);
        m_path = std::move(other.m_path);
        m_identity = other.m_identity;
    }
    return *this;
}

CheckedFile::~CheckedFile()
{
    close();
}

void CheckedFile::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

StorageResult<CheckedFile> CheckedFile::open(
    const QString &rootPath, const QString &relativePath, const std::optional<FileIdentity> &expected)
{
    CheckedFile file;
    file.m_path = relativePath.isEmpty() ? rootPath : rootPath + QLatin1Char('/') + relativePath;
    // The folder the last component is looked up in, and that component.
    Descriptor folder(AT_FDCWD);
    QByteArray name = QFile::encodeName(rootPath);
    if (!relativePath.isEmpty()) {
        folder.reset(::open(name.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)); // the root: followed, as named
        if (folder.get() < 0)
            return openFailure(AT_FDCWD, name, rootPath, errno);
        const QStringList components = relativePath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (components.isEmpty() || components.contains(QLatin1String("..")))
            return StorageError::localIo(QObject::tr("%1 is not a path below %2").arg(relativePath, rootPath));
        QString walked = rootPath;
        for (qsizetype i = 0; i + 1 < components.size(); ++i) {
            walked += QLatin1Char('/') + components.at(i);
            const QByteArray component = QFile::encodeName(components.at(i));
            const int next = ::openat(folder.get(), component.constData(), kFolderFlags);
            if (next < 0)
                return openFailure(folder.get(), component, walked, errno);
            folder.reset(next);
        }
        name = QFile::encodeName(components.last());
    }
    // A look before the open, so that a device or socket is not even opened (opening some devices does something);
    // the fstat below on the descriptor is what decides.
    struct stat info = {};
    if (::fstatat(folder.get(), name.constData(), &info, AT_SYMLINK_NOFOLLOW) != 0)
        return openFailure(folder.get(), name, file.m_path, errno);
    if (!S_ISREG(info.st_mode))
        return StorageError::fileChanged(QObject::tr("%1 is now a %2").arg(file.m_path, fileTypeName(info.st_mode)));
    Descriptor opened(::openat(folder.get(), name.constData(), kFileFlags));
    if (opened.get() < 0)
        return openFailure(folder.get(), name, file.m_path, errno);
    // Reads block as usual from here on (O_NONBLOCK only kept a FIFO from blocking the open itself).
    const int flags = ::fcntl(opened.get(), F_GETFL);
    if (flags < 0 || ::fcntl(opened.get(), F_SETFL, flags & ~O_NONBLOCK) != 0 || ::fstat(opened.get(), &info) != 0)
        return StorageError::localIo(QObject::tr("cannot open %1: %2").arg(file.m_path, systemError(errno)));
    if (!S_ISREG(info.st_mode))
        return StorageError::fileChanged(QObject::tr("%1 is now a %2").arg(file.m_path, fileTypeName(info.st_mode)));
    file.m_identity = FileIdentity::of(info);
    if (expected) {
        const FileIdentity &was = *expected;
        const FileIdentity &now = file.m_identity;
        if (was.knowsInode() && (was.device != now.device || was.inode != now.inode))
            return StorageError::fileChanged(
                QObject::tr("%1 is now a different file (device or inode changed since it was registered)")
                    .arg(file.m_path));
        if (was.size != now.size)
            return StorageError::fileChanged(
                QObject::tr("%1 changed size since it was registered (%2 bytes then, %3 now)")
                    .arg(file.m_path, QLocale::c().toString(was.size), QLocale::c().toString(now.size)));
        if (was.mtimeMs != now.mtimeMs)
            return StorageError::fileChanged(
                QObject::tr("%1 changed since it was registered (modification time)").arg(file.m_path));
    }
    file.m_fd = opened.take();
    return file;
}

StorageResult<void> CheckedFile::checkUnchanged() const
{
    struct stat info = {};
    if (::fstat(m_fd, &info) != 0)
        return StorageError::localIo(QObject::tr("cannot check %1: %2").arg(m_path, systemError(errno)));
    // Its bytes are still readable through the descriptor, but nobody wants that object now.
    if (info.st_nlink == 0)
        return StorageError::fileMissing(QObject::tr("%1 was deleted or replaced during the upload").arg(m_path));
    const FileIdentity now = FileIdentity::of(info);
    if (now.size != m_identity.size || now.mtimeMs != m_identity.mtimeMs)
        return StorageError::fileChanged(QObject::tr("%1 changed during the upload").arg(m_path));
    return {};
}

#include "localfiles.h"

#include "core/filetypename.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QObject>
#include <QStringList>

#include <algorithm>
#include <sys/stat.h>
#include <unistd.h>

namespace LocalFiles {

namespace {

bool readable(const QString &path)
{
    return ::access(QFile::encodeName(path).constData(), R_OK) == 0;
}

LocalFile localFile(const QString &absolutePath, const QString &relativePath, const struct stat &info)
{
    const FileIdentity identity = FileIdentity::of(info);
    return {absolutePath, relativePath, identity.size, identity.mtimeMs, identity.device, identity.inode};
}

} // namespace

StorageResult<QList<LocalFile>> scan(const QString &path, const QString &excludedRelativePath)
{
    ScanOptions options;
    options.excludedRelativePath = excludedRelativePath;
    return scan(path, options);
}

StorageResult<QList<LocalFile>> scan(const QString &path, const ScanOptions &options)
{
    const QFileInfo root(path);
    struct stat info = {};
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return StorageError::config(QObject::tr("%1 does not exist").arg(path));
    if (!readable(path))
        return StorageError::config(QObject::tr("%1 is not readable").arg(path));
    if (S_ISREG(info.st_mode))
        return QList<LocalFile>{localFile(root.absoluteFilePath(), root.fileName(), info)};
    // The path as named may lead to a folder through a link; a file is opened without following one (CheckedFile).
    if (S_ISLNK(info.st_mode) && !root.isDir())
        return StorageError::config(QObject::tr("%1 is a symbolic link: register the file it points to").arg(path));
    if (!root.isDir())
        return StorageError::config(
            QObject::tr("%1 is neither a file nor a folder (a %2)").arg(path, fileTypeName(info.st_mode)));

    QList<LocalFile> files;
    qint64 bytes = 0;
    QStringList unsupported; // the first kMaxNamedEntries
    QStringList described; // the same as "relative/path (kind)", for the message
    int unsupportedCount = 0;
    const QDir base(root.absoluteFilePath());
    // Without QDirIterator::FollowSymlinks it never descends into a linked folder; each entry is lstat()ed, so a link
    // is seen as a link.
    QDirIterator it(base.path(), QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (options.cancelled && options.cancelled->load(std::memory_order_relaxed))
            return StorageError::cancelled();
        const QString entry = it.next();
        if (::lstat(QFile::encodeName(entry).constData(), &info) != 0 || S_ISDIR(info.st_mode))
            continue; // gone since it was listed, or a folder (listed by the iterator itself)
        const QString relativePath = base.relativeFilePath(entry);
        if (!S_ISREG(info.st_mode)) {
            if (++unsupportedCount <= kMaxNamedEntries) {
                unsupported.append(relativePath);
                described.append(QStringLiteral("%1 (%2)").arg(relativePath, fileTypeName(info.st_mode)));
            }
            continue;
        }
        if (!options.excludedRelativePath.isEmpty() && relativePath == options.excludedRelativePath)
            continue;
        if (!readable(entry))
            return StorageError::config(QObject::tr("%1 is not readable").arg(entry));
        if (options.maxFiles > 0 && files.size() >= options.maxFiles)
            return StorageError::tooManyFiles(
                QObject::tr("%1 holds more than %2 files, the limit for one episode (--max-files-per-episode)")
                    .arg(path, QLocale().toString(options.maxFiles)));
        files.append(localFile(entry, relativePath, info));
        bytes += info.st_size;
        if (options.onProgress && options.progressEvery > 0 && files.size() % options.progressEvery == 0)
            options.onProgress(int(files.size()), bytes);
    }
    if (unsupportedCount > 0) {
        const QString more = unsupportedCount > unsupported.size()
            ? QObject::tr(" and %1 more").arg(unsupportedCount - unsupported.size())
            : QString();
        return StorageError::unsupportedFiles(
            QObject::tr("%1 holds entries that are not regular files (symbolic links, FIFOs, sockets or devices are "
                        "never uploaded): %2%3")
                .arg(path, described.join(QStringLiteral(", ")), more),
            unsupported);
    }
    if (files.isEmpty())
        return StorageError::config(QObject::tr("%1 contains no files").arg(path));
    std::sort(files.begin(), files.end(),
        [](const LocalFile &a, const LocalFile &b) { return a.relativePath < b.relativePath; });
    return files;
}

} // namespace LocalFiles

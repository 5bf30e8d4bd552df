#include "localfiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QObject>

#include <algorithm>

Q_LOGGING_CATEGORY(lcLocalFiles, "keystone.storage.files", QtWarningMsg)

namespace LocalFiles {

qint64 modificationTimeMs(const QString &path)
{
    return QFileInfo(path).lastModified().toMSecsSinceEpoch();
}

StorageResult<QList<LocalFile>> scan(const QString &path, const QString &excludedRelativePath)
{
    ScanOptions options;
    options.excludedRelativePath = excludedRelativePath;
    return scan(path, options);
}

StorageResult<QList<LocalFile>> scan(const QString &path, const ScanOptions &options)
{
    const QFileInfo root(path);
    if (!root.exists())
        return StorageError::config(QObject::tr("%1 does not exist").arg(path));
    if (!root.isReadable())
        return StorageError::config(QObject::tr("%1 is not readable").arg(path));
    if (root.isFile()) {
        return QList<LocalFile>{
            {root.absoluteFilePath(), root.fileName(), root.size(), root.lastModified().toMSecsSinceEpoch()}};
    }
    if (!root.isDir())
        return StorageError::config(QObject::tr("%1 is neither a file nor a folder").arg(path));

    QList<LocalFile> files;
    qint64 bytes = 0;
    const QDir base(root.absoluteFilePath());
    QDirIterator it(base.path(), QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (options.cancelled && options.cancelled->load(std::memory_order_relaxed))
            return StorageError::cancelled();
        const QFileInfo file(it.next());
        if (file.isSymLink()) {
            qCWarning(lcLocalFiles) << "skipping symbolic link" << file.filePath();
            continue;
        }
        if (!file.isFile())
            continue;
        const QString relativePath = base.relativeFilePath(file.absoluteFilePath());
        if (!options.excludedRelativePath.isEmpty() && relativePath == options.excludedRelativePath)
            continue;
        if (!file.isReadable())
            return StorageError::config(QObject::tr("%1 is not readable").arg(file.filePath()));
        if (options.maxFiles > 0 && files.size() >= options.maxFiles)
            return StorageError::tooManyFiles(
                QObject::tr("%1 holds more than %2 files, the limit for one episode (--max-files-per-episode)")
                    .arg(path, QLocale().toString(options.maxFiles)));
        files.append({file.absoluteFilePath(), relativePath, file.size(), file.lastModified().toMSecsSinceEpoch()});
        bytes += file.size();
        if (options.onProgress && options.progressEvery > 0 && files.size() % options.progressEvery == 0)
            options.onProgress(int(files.size()), bytes);
    }
    if (files.isEmpty())
        return StorageError::config(QObject::tr("%1 contains no files").arg(path));
    std::sort(files.begin(), files.end(),
        [](const LocalFile &a, const LocalFile &b) { return a.relativePath < b.relativePath; });
    return files;
}

} // namespace LocalFiles

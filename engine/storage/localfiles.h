#pragma once

#include "storageresult.h"

#include <QList>
#include <QString>

#include <atomic>
#include <functional>

struct LocalFile
{
    QString absolutePath;
    QString relativePath; // below the scanned folder; for a single file, its name
    qint64 size = 0;
    qint64 mtimeMs = 0;

    friend bool operator==(const LocalFile &, const LocalFile &) = default;
};

// What a local path holds: a file, or every regular file below a folder (sorted by relative path). Symbolic links
// are skipped with a warning (never followed out of the folder). A missing, unreadable or empty path is an error.
// excludedRelativePath leaves one file of a folder out (the folder watch's marker file).
namespace LocalFiles {
struct ScanOptions
{
    QString excludedRelativePath;
    int maxFiles = 0; // more files than this: the error "TooManyFiles" (0: no limit)
    const std::atomic<bool> *cancelled = nullptr; // looked at between entries: the error "Cancelled"
    // Called on the scanning thread after every progressEvery files with the files and bytes found so far.
    std::function<void(int files, qint64 bytes)> onProgress;
    int progressEvery = 1000;
};
StorageResult<QList<LocalFile>> scan(const QString &path, const ScanOptions &options);
StorageResult<QList<LocalFile>> scan(const QString &path, const QString &excludedRelativePath = {});
qint64 modificationTimeMs(const QString &path);
} // namespace LocalFiles

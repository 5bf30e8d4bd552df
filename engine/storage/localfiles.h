#pragma once

#include "core/fileidentity.h"
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
    quint64 device = 0; // st_dev and st_ino: a file swapped for another with the same size and mtime is told apart
    quint64 inode = 0;

    FileIdentity identity() const { return {size, mtimeMs, device, inode}; }
    friend bool operator==(const LocalFile &, const LocalFile &) = default;
};

// What a local path holds: a file, or every regular file below a folder (sorted by relative path), each with the
// identity lstat() gives it. Nothing is followed through a link: the path itself may be a link to a folder (the
// user named it), but a single file must not be a link, and a folder must hold only regular files and folders —
// symbolic links, FIFOs, sockets and devices in it are an error ("UnsupportedFiles") naming the first
// kMaxNamedEntries of them. A missing, unreadable or empty path is an error.
// excludedRelativePath leaves one file of a folder out (the folder watch's marker file).
namespace LocalFiles {
constexpr int kMaxNamedEntries = 10;
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
} // namespace LocalFiles

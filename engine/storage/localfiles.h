#pragma once

#include "storageresult.h"

#include <QList>
#include <QString>

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
StorageResult<QList<LocalFile>> scan(const QString &path, const QString &excludedRelativePath = {});
qint64 modificationTimeMs(const QString &path);
} // namespace LocalFiles

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
};

// What a local path holds: a file, or every regular file below a folder (sorted by relative path). Symbolic links
// are skipped with a warning (never followed out of the folder). A missing, unreadable or empty path is an error.
namespace LocalFiles {
StorageResult<QList<LocalFile>> scan(const QString &path);
qint64 modificationTimeMs(const QString &path);
} // namespace LocalFiles

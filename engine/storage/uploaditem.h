#pragma once

#include "core/fileidentity.h"
#include "resumestate.h"

#include <QByteArray>
#include <QString>

#include <optional>

// One file to upload to one key: what UploadJob works through, and what every UploadListener event names.
struct UploadItem
{
    QString filePath; // rootPath/relativePath, for messages and listeners
    QString key;
    qint64 size = 0;
    ResumeState resume; // a multipart upload to continue, if any
    QByteArray completedEtag; // non-empty: uploaded by an earlier attempt; skipped, counted as done
    // How CheckedFile opens it: below rootPath (as named) no component is followed through a link. relativePath
    // empty: rootPath is the file itself; rootPath empty: filePath is.
    QString rootPath = {};
    QString relativePath = {};
    // What was registered (size, mtime, device, inode): anything else fails the file before a byte of it is read.
    std::optional<FileIdentity> expected = {};
    // False: uploaded by an earlier attempt without a checkable ETag (see UploadOutcome::etagChecked); done as well,
    // even when the server gave no ETag at all.
    bool completedEtagChecked = true;

    [[nodiscard]] bool isCompleted() const { return !completedEtag.isEmpty() || !completedEtagChecked; }
};

#pragma once

#include "core/fileidentity.h"
#include "storageresult.h"

#include <QString>

#include <optional>

// A file opened for upload or hashing, checked through its own descriptor against what was registered. Every byte
// of an upload is read through this descriptor (parts, PutObject bodies, their digests): the path is never opened
// again, so a file swapped after the check cannot be what is read.
//
// How it opens: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC (a FIFO then cannot block the open; O_NONBLOCK is
// cleared afterwards), and below a root folder one component at a time with openat(O_NOFOLLOW), so neither the file
// nor any folder between the root and it may be a symbolic link. The root itself is opened as named (the user chose
// it). Then fstat() on the descriptor: a regular file, the registered device and inode (when known), size and mtime.
// Anything else is FileChanged (or FileMissing) naming the file and what changed; nothing has been read.
class CheckedFile
{
public:
    CheckedFile() = default;
    CheckedFile(CheckedFile &&other) noexcept;
    CheckedFile &operator=(CheckedFile &&other) noexcept;
    CheckedFile(const CheckedFile &) = delete;
    CheckedFile &operator=(const CheckedFile &) = delete;
    ~CheckedFile();

    // rootPath/relativePath; relativePath empty: rootPath is the file. expected nullopt: any regular file (the
    // `upload` command, which checks nothing against a registration); its identity is then whatever fstat finds.
    [[nodiscard]] static StorageResult<CheckedFile> open(
        const QString &rootPath, const QString &relativePath, const std::optional<FileIdentity> &expected);

    bool isOpen() const { return m_fd >= 0; }
    int descriptor() const { return m_fd; }
    const QString &path() const { return m_path; } // for messages: root/relative
    const FileIdentity &identity() const { return m_identity; } // as fstat found it at open
    // fstat() again: still linked (not deleted, not replaced by a rename) with the size and mtime found at open.
    [[nodiscard]] StorageResult<void> checkUnchanged() const;

private:
    void close();

    int m_fd = -1;
    QString m_path;
    FileIdentity m_identity;
};

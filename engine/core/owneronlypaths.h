#pragma once

#include "core/expected.h"

#include <QString>

// Why the data directory could not be made private. The message names the path.
struct OwnerOnlyPathError
{
    QString message;

    bool isError() const { return !message.isEmpty(); }
};

// What Keystone Console keeps in its data directory (the catalog with its -wal/-shm, the API token, the instance
// lock) is for its own user only: the directory is 0700 and its files 0600, in every mode (desktop console,
// --server, the units) whatever the umask. Files are created that way where we create them; a directory or file
// found looser (made by an older version, or by hand) is narrowed at start with a warning naming it and its old and
// new mode. Narrowing keeps the owner's bits and clears the group's and others' (0755 -> 0700, 0644 -> 0600). Only
// what belongs to the user running the process is narrowed, and never a shared (sticky) directory such as /tmp:
// those get a warning and are left as they are.
class OwnerOnlyPaths
{
public:
    // Creates the directory (missing parents as the umask says, the directory itself 0700) or narrows it.
    // A symbolic link to a directory is followed (a data directory on another disk); what is narrowed is the target.
    [[nodiscard]] static Expected<void, OwnerOnlyPathError> ensureDirectory(const QString &path);
    // Who made the file: Found (an older version, a copy by hand: narrowing it is news, so it is logged) or
    // JustCreated (a library that takes no mode, such as QLockFile: narrowed quietly, it is ours and new).
    enum class Origin { Found, JustCreated };
    // Narrows an existing regular file; a missing file is fine. Never follows a symbolic link, never blocks on a FIFO.
    static void restrictFile(const QString &path, Origin origin = Origin::Found);
    // Creates an empty file with mode 0600 unless one exists (then it is narrowed like restrictFile).
    [[nodiscard]] static Expected<void, OwnerOnlyPathError> createFile(const QString &path);
};

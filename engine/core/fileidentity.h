#pragma once

#include <QtGlobal>

#include <sys/stat.h>

// What makes a local file the one that was registered: its size and modification time, and the device and inode it
// lives at (a rename of another file over it, or a swap for a link, changes them even when size and mtime are made
// to look the same). A value type; stat() and fstat() fill it the same way.
struct FileIdentity
{
    qint64 size = 0;
    qint64 mtimeMs = 0; // UTC ms since epoch, truncated: what QFileInfo::lastModified() gives
    quint64 device = 0;
    quint64 inode = 0; // 0: not known (recorded before catalog schema v5); device and inode are then not compared

    bool knowsInode() const { return inode != 0; }
    // Size and mtime equal, and device and inode too where both sides know them.
    bool sameFileAs(const FileIdentity &other) const
    {
        return size == other.size && mtimeMs == other.mtimeMs
            && (!knowsInode() || !other.knowsInode() || (device == other.device && inode == other.inode));
    }
    static FileIdentity of(const struct stat &info)
    {
        return {qint64(info.st_size), qint64(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1000000,
            quint64(info.st_dev), quint64(info.st_ino)};
    }

    friend bool operator==(const FileIdentity &, const FileIdentity &) = default;
};

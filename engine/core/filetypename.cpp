#include "filetypename.h"

#include <QCoreApplication>

#include <sys/stat.h>

QString fileTypeName(mode_t mode)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("FileTypeName", text); };
    if (S_ISLNK(mode))
        return tr("symbolic link");
    if (S_ISFIFO(mode))
        return tr("FIFO");
    if (S_ISSOCK(mode))
        return tr("socket");
    if (S_ISCHR(mode))
        return tr("character device");
    if (S_ISBLK(mode))
        return tr("block device");
    if (S_ISDIR(mode))
        return tr("folder");
    return tr("special file");
}

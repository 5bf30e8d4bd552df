#include "filetypename.h"

#include <QCoreApplication>

#include <sys/stat.h>

namespace {

// The texts of fileTypeName(), in the translation context FileTypeName (lupdate needs a class to place tr() in).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(FileTypeName)
};

} // namespace

QString fileTypeName(mode_t mode)
{
    if (S_ISLNK(mode))
        return Text::tr("symbolic link");
    if (S_ISFIFO(mode))
        return Text::tr("FIFO");
    if (S_ISSOCK(mode))
        return Text::tr("socket");
    if (S_ISCHR(mode))
        return Text::tr("character device");
    if (S_ISBLK(mode))
        return Text::tr("block device");
    if (S_ISDIR(mode))
        return Text::tr("folder");
    return Text::tr("special file");
}

#include "descriptorlimit.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <dirent.h>
#include <sys/resource.h>

Q_LOGGING_CATEGORY(lcDescriptors, "keystone.core.descriptors", QtWarningMsg)

namespace DescriptorLimit {

namespace {

long long value(rlim_t limit)
{
    return limit == RLIM_INFINITY ? -1 : static_cast<long long>(limit);
}

} // namespace

Limits current()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return {};
    return {value(limit.rlim_cur), value(limit.rlim_max)};
}

Limits raiseSoftToHard()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        qCWarning(lcDescriptors) << "cannot read the descriptor limit:" << std::strerror(errno);
        return {};
    }
    const rlim_t before = limit.rlim_cur;
    if (limit.rlim_cur != limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
            qCWarning(lcDescriptors) << "cannot raise the descriptor limit from" << value(before) << "to"
                                     << value(limit.rlim_max) << ":" << std::strerror(errno);
    }
    const Limits now = current();
    return now;
}

int openCount()
{
    DIR *directory = ::opendir("/proc/self/fd");
    if (!directory)
        return -1;
    int count = 0;
    while (const dirent *entry = ::readdir(directory)) {
        if (entry->d_name[0] != '.')
            ++count;
    }
    ::closedir(directory);
    return count - 1; // the directory's own descriptor
}

int reserveFor(long long soft)
{
    return soft < 0 ? 64 : int(std::max<long long>(64, soft / 8));
}

} // namespace DescriptorLimit

#include "backgroundpriority.h"

#include <QLoggingCategory>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcPriority, "keystone.core.priority", QtWarningMsg)

namespace {

// <linux/ioprio.h> is not in every libc's headers; the ABI values are stable.
constexpr int kIoprioWhoProcess = 1; // with a thread id: that thread
constexpr int kIoprioClassShift = 13;
constexpr int kIoprioClassIdle = 3;

pid_t threadId()
{
    return pid_t(::syscall(SYS_gettid));
}

void warnOnce(const char *what)
{
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true))
        qCWarning(lcPriority) << "cannot lower the priority of background threads:" << what << std::strerror(errno);
}

} // namespace

namespace BackgroundPriority {

bool isEnabled()
{
    static const bool enabled = qEnvironmentVariable("KEYSTONE_BACKGROUND_PRIORITY") != QLatin1String("off");
    return enabled;
}

bool lowerCurrentThread()
{
    if (!isEnabled())
        return true;
    const pid_t tid = threadId();
    bool ok = true;
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, id_t(tid));
    if (errno == 0 && ::setpriority(PRIO_PROCESS, id_t(tid), std::min(19, nice + kNiceIncrement)) != 0) {
        warnOnce("setpriority");
        ok = false;
    }
    if (::syscall(SYS_ioprio_set, kIoprioWhoProcess, tid, kIoprioClassIdle << kIoprioClassShift) != 0) {
        warnOnce("ioprio_set");
        ok = false;
    }
    return ok;
}

void lowerCurrentPoolThread()
{
    thread_local bool lowered = false;
    if (!lowered) {
        lowerCurrentThread();
        lowered = true;
    }
}

int currentNice()
{
    return ::getpriority(PRIO_PROCESS, id_t(threadId()));
}

int currentIoClass()
{
    const long value = ::syscall(SYS_ioprio_get, kIoprioWhoProcess, threadId());
    return value < 0 ? -1 : int(value >> kIoprioClassShift);
}

} // namespace BackgroundPriority

// mdwe-exec PROGRAM [ARGUMENTS...]: runs PROGRAM where no memory can become both writable and executable
// (PR_SET_MDWE, Linux 6.3+; inherited across fork and exec), the restriction systemd's
// MemoryDenyWriteExecute=yes imposes with a seccomp filter. Lets a test prove the service unit's setting
// does not break the program without needing systemd as PID 1.
// Exit 77 when the kernel lacks PR_SET_MDWE, 1 when the restriction does not hold, else PROGRAM's.
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

int main(int argc, char *argv[])
{
    if (argc < 2) {
        std::fputs("usage: mdwe-exec PROGRAM [ARGUMENTS...]\n", stderr);
        return 2;
    }
    if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0L, 0L, 0L) != 0) {
        if (errno == EINVAL) {
            std::fputs("mdwe-exec: PR_SET_MDWE unsupported by this kernel\n", stderr);
            return 77;
        }
        std::perror("mdwe-exec: prctl(PR_SET_MDWE)");
        return 1;
    }
    // Proof that the restriction holds before relying on it: a writable and executable mapping is refused.
    void *probe = mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (probe != MAP_FAILED) {
        std::fputs("mdwe-exec: a writable and executable mapping is still allowed\n", stderr);
        return 1;
    }
    execv(argv[1], argv + 1);
    std::perror("mdwe-exec: execv");
    return 127;
}

// syscall-deny-exec PROGRAM [ARGUMENTS...]: runs PROGRAM where the system calls the service unit takes away with
//   SystemCallFilter=~@privileged @resources
//   SystemCallFilter=setpriority ioprio_set
//   SystemCallErrorNumber=EPERM
// fail with EPERM (a seccomp filter, inherited across fork and exec), as systemd's filter would make them fail.
// Lets a test prove the unit's filter does not break the program without needing systemd as PID 1.
// syscall-deny-exec --list prints every call of the two groups (systemd 252's lists) with its number here, or -1
// where this architecture has no such call, so a test can compare the list with `systemd-analyze syscall-filter`.
// Exit 77 on an architecture it does not know, 1 when the filter cannot be set or does not hold, else PROGRAM's.
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

#if defined(__x86_64__)
constexpr unsigned kArchitecture = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kArchitecture = AUDIT_ARCH_AARCH64;
#else
constexpr unsigned kArchitecture = 0;
#endif

struct Call
{
    const char *name;
    long number; // -1: not on this architecture
};

// @privileged (with @chown @clock @module @raw-io @reboot @swap) and @resources, as systemd 252 lists them.
const Call kCalls[] = {
#ifdef SYS_chown
    {"chown", SYS_chown},
#else
    {"chown", -1},
#endif
#ifdef SYS_chown32
    {"chown32", SYS_chown32},
#else
    {"chown32", -1},
#endif
#ifdef SYS_fchown
    {"fchown", SYS_fchown},
#else
    {"fchown", -1},
#endif
#ifdef SYS_fchown32
    {"fchown32", SYS_fchown32},
#else
    {"fchown32", -1},
#endif
#ifdef SYS_fchownat
    {"fchownat", SYS_fchownat},
#else
    {"fchownat", -1},
#endif
#ifdef SYS_lchown
    {"lchown", SYS_lchown},
#else
    {"lchown", -1},
#endif
#ifdef SYS_lchown32
    {"lchown32", SYS_lchown32},
#else
    {"lchown32", -1},
#endif
#ifdef SYS_adjtimex
    {"adjtimex", SYS_adjtimex},
#else
    {"adjtimex", -1},
#endif
#ifdef SYS_clock_adjtime
    {"clock_adjtime", SYS_clock_adjtime},
#else
    {"clock_adjtime", -1},
#endif
#ifdef SYS_clock_adjtime64
    {"clock_adjtime64", SYS_clock_adjtime64},
#else
    {"clock_adjtime64", -1},
#endif
#ifdef SYS_clock_settime
    {"clock_settime", SYS_clock_settime},
#else
    {"clock_settime", -1},
#endif
#ifdef SYS_clock_settime64
    {"clock_settime64", SYS_clock_settime64},
#else
    {"clock_settime64", -1},
#endif
#ifdef SYS_settimeofday
    {"settimeofday", SYS_settimeofday},
#else
    {"settimeofday", -1},
#endif
#ifdef SYS_delete_module
    {"delete_module", SYS_delete_module},
#else
    {"delete_module", -1},
#endif
#ifdef SYS_finit_module
    {"finit_module", SYS_finit_module},
#else
    {"finit_module", -1},
#endif
#ifdef SYS_init_module
    {"init_module", SYS_init_module},
#else
    {"init_module", -1},
#endif
#ifdef SYS_ioperm
    {"ioperm", SYS_ioperm},
#else
    {"ioperm", -1},
#endif
#ifdef SYS_iopl
    {"iopl", SYS_iopl},
#else
    {"iopl", -1},
#endif
#ifdef SYS_pciconfig_iobase
    {"pciconfig_iobase", SYS_pciconfig_iobase},
#else
    {"pciconfig_iobase", -1},
#endif
#ifdef SYS_pciconfig_read
    {"pciconfig_read", SYS_pciconfig_read},
#else
    {"pciconfig_read", -1},
#endif
#ifdef SYS_pciconfig_write
    {"pciconfig_write", SYS_pciconfig_write},
#else
    {"pciconfig_write", -1},
#endif
#ifdef SYS_s390_pci_mmio_read
    {"s390_pci_mmio_read", SYS_s390_pci_mmio_read},
#else
    {"s390_pci_mmio_read", -1},
#endif
#ifdef SYS_s390_pci_mmio_write
    {"s390_pci_mmio_write", SYS_s390_pci_mmio_write},
#else
    {"s390_pci_mmio_write", -1},
#endif
#ifdef SYS_kexec_file_load
    {"kexec_file_load", SYS_kexec_file_load},
#else
    {"kexec_file_load", -1},
#endif
#ifdef SYS_kexec_load
    {"kexec_load", SYS_kexec_load},
#else
    {"kexec_load", -1},
#endif
#ifdef SYS_reboot
    {"reboot", SYS_reboot},
#else
    {"reboot", -1},
#endif
#ifdef SYS_swapoff
    {"swapoff", SYS_swapoff},
#else
    {"swapoff", -1},
#endif
#ifdef SYS_swapon
    {"swapon", SYS_swapon},
#else
    {"swapon", -1},
#endif
#ifdef SYS__sysctl
    {"_sysctl", SYS__sysctl},
#else
    {"_sysctl", -1},
#endif
#ifdef SYS_acct
    {"acct", SYS_acct},
#else
    {"acct", -1},
#endif
#ifdef SYS_bpf
    {"bpf", SYS_bpf},
#else
    {"bpf", -1},
#endif
#ifdef SYS_capset
    {"capset", SYS_capset},
#else
    {"capset", -1},
#endif
#ifdef SYS_chroot
    {"chroot", SYS_chroot},
#else
    {"chroot", -1},
#endif
#ifdef SYS_fanotify_init
    {"fanotify_init", SYS_fanotify_init},
#else
    {"fanotify_init", -1},
#endif
#ifdef SYS_fanotify_mark
    {"fanotify_mark", SYS_fanotify_mark},
#else
    {"fanotify_mark", -1},
#endif
#ifdef SYS_nfsservctl
    {"nfsservctl", SYS_nfsservctl},
#else
    {"nfsservctl", -1},
#endif
#ifdef SYS_open_by_handle_at
    {"open_by_handle_at", SYS_open_by_handle_at},
#else
    {"open_by_handle_at", -1},
#endif
#ifdef SYS_pivot_root
    {"pivot_root", SYS_pivot_root},
#else
    {"pivot_root", -1},
#endif
#ifdef SYS_quotactl
    {"quotactl", SYS_quotactl},
#else
    {"quotactl", -1},
#endif
#ifdef SYS_quotactl_fd
    {"quotactl_fd", SYS_quotactl_fd},
#else
    {"quotactl_fd", -1},
#endif
#ifdef SYS_setdomainname
    {"setdomainname", SYS_setdomainname},
#else
    {"setdomainname", -1},
#endif
#ifdef SYS_setfsuid
    {"setfsuid", SYS_setfsuid},
#else
    {"setfsuid", -1},
#endif
#ifdef SYS_setfsuid32
    {"setfsuid32", SYS_setfsuid32},
#else
    {"setfsuid32", -1},
#endif
#ifdef SYS_setgroups
    {"setgroups", SYS_setgroups},
#else
    {"setgroups", -1},
#endif
#ifdef SYS_setgroups32
    {"setgroups32", SYS_setgroups32},
#else
    {"setgroups32", -1},
#endif
#ifdef SYS_sethostname
    {"sethostname", SYS_sethostname},
#else
    {"sethostname", -1},
#endif
#ifdef SYS_setresuid
    {"setresuid", SYS_setresuid},
#else
    {"setresuid", -1},
#endif
#ifdef SYS_setresuid32
    {"setresuid32", SYS_setresuid32},
#else
    {"setresuid32", -1},
#endif
#ifdef SYS_setreuid
    {"setreuid", SYS_setreuid},
#else
    {"setreuid", -1},
#endif
#ifdef SYS_setreuid32
    {"setreuid32", SYS_setreuid32},
#else
    {"setreuid32", -1},
#endif
#ifdef SYS_setuid
    {"setuid", SYS_setuid},
#else
    {"setuid", -1},
#endif
#ifdef SYS_setuid32
    {"setuid32", SYS_setuid32},
#else
    {"setuid32", -1},
#endif
#ifdef SYS_vhangup
    {"vhangup", SYS_vhangup},
#else
    {"vhangup", -1},
#endif
#ifdef SYS_ioprio_set
    {"ioprio_set", SYS_ioprio_set},
#else
    {"ioprio_set", -1},
#endif
#ifdef SYS_mbind
    {"mbind", SYS_mbind},
#else
    {"mbind", -1},
#endif
#ifdef SYS_migrate_pages
    {"migrate_pages", SYS_migrate_pages},
#else
    {"migrate_pages", -1},
#endif
#ifdef SYS_move_pages
    {"move_pages", SYS_move_pages},
#else
    {"move_pages", -1},
#endif
#ifdef SYS_nice
    {"nice", SYS_nice},
#else
    {"nice", -1},
#endif
#ifdef SYS_sched_setaffinity
    {"sched_setaffinity", SYS_sched_setaffinity},
#else
    {"sched_setaffinity", -1},
#endif
#ifdef SYS_sched_setattr
    {"sched_setattr", SYS_sched_setattr},
#else
    {"sched_setattr", -1},
#endif
#ifdef SYS_sched_setparam
    {"sched_setparam", SYS_sched_setparam},
#else
    {"sched_setparam", -1},
#endif
#ifdef SYS_sched_setscheduler
    {"sched_setscheduler", SYS_sched_setscheduler},
#else
    {"sched_setscheduler", -1},
#endif
#ifdef SYS_set_mempolicy
    {"set_mempolicy", SYS_set_mempolicy},
#else
    {"set_mempolicy", -1},
#endif
#ifdef SYS_set_mempolicy_home_node
    {"set_mempolicy_home_node", SYS_set_mempolicy_home_node},
#else
    {"set_mempolicy_home_node", -1},
#endif
#ifdef SYS_setpriority
    {"setpriority", SYS_setpriority},
#else
    {"setpriority", -1},
#endif
#ifdef SYS_setrlimit
    {"setrlimit", SYS_setrlimit},
#else
    {"setrlimit", -1},
#endif
};

// The unit allows these back: BackgroundPriority lowers our own work threads with them.
bool allowedBack(const char *name)
{
    return std::strcmp(name, "setpriority") == 0 || std::strcmp(name, "ioprio_set") == 0;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc < 2) {
        std::fputs("usage: syscall-deny-exec PROGRAM [ARGUMENTS...] | --list\n", stderr);
        return 2;
    }
    if (std::strcmp(argv[1], "--list") == 0) {
        for (const Call &call : kCalls)
            std::printf("%s %ld%s\n", call.name, call.number, allowedBack(call.name) ? " allowed" : "");
        return 0;
    }
    if (kArchitecture == 0) {
        std::fputs("syscall-deny-exec: unknown architecture\n", stderr);
        return 77;
    }

    std::vector<sock_filter> filter{
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kArchitecture, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
    };
    for (const Call &call : kCalls) {
        if (call.number < 0 || allowedBack(call.name))
            continue;
        filter.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, unsigned(call.number), 0, 1));
        filter.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)));
    }
    filter.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    const sock_fprog program{static_cast<unsigned short>(filter.size()), filter.data()};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        std::perror("syscall-deny-exec: seccomp");
        return 1;
    }
    // Proof that the filter holds before relying on it: even root may not change its uid now.
    if (syscall(SYS_setuid, getuid()) == 0 || errno != EPERM) {
        std::fputs("syscall-deny-exec: setuid is still allowed\n", stderr);
        return 1;
    }
    execv(argv[1], argv + 1);
    std::perror("syscall-deny-exec: execv");
    return 127;
}

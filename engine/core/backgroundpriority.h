#pragma once

// Work nobody watches directly (transfers, part hashing, scans of episode folders) yields the CPU and the disk to
// the threads people see (GUI, API, the engine's commands). On a 2-core station fifty upload threads would otherwise
// take turns with the GUI thread as equals: the GUI was measured runnable but not running for hundreds of ms.
//
// Linux applies nice per thread (setpriority() with a thread id; QThread::setPriority does nothing under
// SCHED_OTHER) and the I/O class per thread too (ioprio_set). A lowered thread stays lowered (raising it back needs
// privileges), so only threads that do background work for their whole life call this: the upload workers, the
// hashing pool and the scan pool. Threads they create (libcurl's resolver) inherit it.
namespace BackgroundPriority {

constexpr int kNiceIncrement = 10; // above the process's own nice, capped at 19

// KEYSTONE_BACKGROUND_PRIORITY=off in the environment turns this off (nothing is lowered): for the benchmarks that
// compare both (bench/gui-latency --priority both), not a setting for stations.
bool isEnabled();

// Lowers the calling thread: nice +kNiceIncrement and the idle I/O class (disk time only when no one else wants
// it; honoured by the BFQ scheduler, ignored by none/mq-deadline). False if the system refused either (logged
// once per process); the thread then just runs as before.
bool lowerCurrentThread();
// The same for a pool thread that runs only background tasks: lowers it on its first task, then costs nothing.
void lowerCurrentPoolThread();

// The calling thread's nice value and I/O scheduling class (0 none, 1 realtime, 2 best effort, 3 idle).
int currentNice();
int currentIoClass();

} // namespace BackgroundPriority

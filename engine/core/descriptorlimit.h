#pragma once

// File descriptors are a budget every part of the process draws from: the catalog (SQLite and its WAL/SHM), each
// upload thread (its event loop's wakeup descriptor), libcurl's connections, and the local API's connections. The
// soft RLIMIT_NOFILE is often 1024 while the hard limit is far higher, so the process raises the soft limit to the
// hard one at start; the API then keeps a reserve free (GuardedTcpServer) so that a flood of connections cannot
// take the descriptors an upload or the catalog needs next.
namespace DescriptorLimit {

struct Limits
{
    long long soft = -1; // -1: unknown (getrlimit failed) or unlimited
    long long hard = -1;
};

// Raises the soft limit to the hard limit; returns the limits in force afterwards. Called once at start by every
// mode (app/main.cpp); a failure is a warning on keystone.core.descriptors. (`--server` prints the result.)
Limits raiseSoftToHard();
// The limits in force now.
Limits current();
// Descriptors open in this process now (entries of /proc/self/fd), -1 if that cannot be read.
int openCount();
// How many descriptors to keep free for the engine when the soft limit is `soft`: an eighth of it, at least 64.
int reserveFor(long long soft);

} // namespace DescriptorLimit

#pragma once

#include <QMutex>
#include <QtGlobal>

#include <atomic>
#include <chrono>

// A token bucket shared by every transfer of an engine: bytes per second for the whole engine, with a burst of
// a tenth of a second. Transfers ask before handing bytes to libcurl and pause when nothing is granted.
// Thread-safe (one mutex, taken once per read chunk of a few hundred KiB). A rate of 0 grants everything at once
// (unlimited): the engine keeps one limiter for its whole life, so a new limit reaches uploads already running.
class BandwidthLimiter
{
public:
    using Clock = std::chrono::steady_clock;

    explicit BandwidthLimiter(qint64 bytesPerSecond);

    qint64 bytesPerSecond() const { return m_rate.load(std::memory_order_relaxed); } // 0: unlimited
    // Thread-safe: a new rate for every transfer from the next chunk on (0: unlimited). The bucket starts full again,
    // so a raised limit is felt at once and a lowered one after at most one burst of the new rate.
    void setBytesPerSecond(qint64 bytesPerSecond);
    // Up to `wanted` bytes that may be sent now (0: wait a little and ask again).
    qint64 take(qint64 wanted) { return take(wanted, Clock::now()); }
    qint64 take(qint64 wanted, Clock::time_point now); // for tests

private:
    void reset(qint64 bytesPerSecond); // m_mutex held

    QMutex m_mutex;
    std::atomic<qint64> m_rate{0}; // written under m_mutex; read without it on the unlimited fast path
    qint64 m_capacity = 0;
    double m_tokens = 0;
    Clock::time_point m_last;
    bool m_started = false;
};

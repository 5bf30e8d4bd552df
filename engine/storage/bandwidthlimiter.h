#pragma once

#include <QMutex>
#include <QtGlobal>

#include <chrono>

// A token bucket shared by every transfer of an engine: bytes per second for the whole engine, with a burst of
// a tenth of a second. Transfers ask before handing bytes to libcurl and pause when nothing is granted.
// Thread-safe (one mutex, taken once per read chunk of a few hundred KiB).
class BandwidthLimiter
{
public:
    using Clock = std::chrono::steady_clock;

    explicit BandwidthLimiter(qint64 bytesPerSecond);

    qint64 bytesPerSecond() const { return m_rate; }
    // Up to `wanted` bytes that may be sent now (0: wait a little and ask again).
    qint64 take(qint64 wanted) { return take(wanted, Clock::now()); }
    qint64 take(qint64 wanted, Clock::time_point now); // for tests

private:
    QMutex m_mutex;
    qint64 m_rate;
    qint64 m_capacity;
    double m_tokens;
    Clock::time_point m_last;
    bool m_started = false;
};

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
    // Every byte granted since the limiter was made, limited or not: what the engine's transfers handed to the
    // link (ThrottleController measures the uplink from it).
    qint64 bytesGranted() const { return m_granted.load(std::memory_order_relaxed); }
    // Thread-safe: a new rate for every transfer from the next chunk on (0: unlimited). The bucket starts full again,
    // so a raised limit is felt at once and a lowered one after at most one burst of the new rate.
    void setBytesPerSecond(qint64 bytesPerSecond);
    // Who asks: Normal transfers, or First ones (the scheduler's small lane) that are served before every normal one.
    enum class Class { Normal, First };
    // How long normal transfers are held back after a first one was short of bytes: long enough for its transport
    // to ask again (it polls after a pause), short enough that the hold ends soon after the last first one did.
    static constexpr std::chrono::milliseconds kFirstHold{50};

    // Up to `wanted` bytes that may be sent now (0: wait a little and ask again). While a First transfer could not
    // get all it wanted (within kFirstHold), Normal ones get nothing: the bucket refills for it.
    qint64 take(qint64 wanted, Class asking = Class::Normal) { return take(wanted, Clock::now(), asking); }
    qint64 take(qint64 wanted, Clock::time_point now, Class asking = Class::Normal); // for tests

private:
    void reset(qint64 bytesPerSecond); // m_mutex held
    qint64 grant(qint64 wanted, Clock::time_point now, Class asking);

    QMutex m_mutex;
    std::atomic<qint64> m_rate{0}; // written under m_mutex; read without it on the unlimited fast path
    std::atomic<qint64> m_granted{0};
    qint64 m_capacity = 0;
    double m_tokens = 0;
    Clock::time_point m_last;
    Clock::time_point m_firstWaitingUntil; // normal transfers wait until then
    bool m_started = false;
};

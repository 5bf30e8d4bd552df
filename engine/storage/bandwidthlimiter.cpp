#include "bandwidthlimiter.h"

#include <algorithm>

namespace {
constexpr qint64 kMinBurst = 16 * 1024; // below this libcurl would crawl in tiny writes
}

BandwidthLimiter::BandwidthLimiter(qint64 bytesPerSecond)
{
    reset(bytesPerSecond);
}

void BandwidthLimiter::setBytesPerSecond(qint64 bytesPerSecond)
{
    QMutexLocker lock(&m_mutex);
    reset(bytesPerSecond);
}

void BandwidthLimiter::reset(qint64 bytesPerSecond)
{
    const qint64 rate = std::max<qint64>(0, bytesPerSecond);
    m_rate.store(rate, std::memory_order_relaxed);
    m_capacity = std::max(kMinBurst, rate / 10);
    m_tokens = double(m_capacity);
    m_started = false;
}

qint64 BandwidthLimiter::take(qint64 wanted, Clock::time_point now, Class asking)
{
    const qint64 granted = grant(wanted, now, asking);
    m_granted.fetch_add(granted, std::memory_order_relaxed);
    return granted;
}

qint64 BandwidthLimiter::grant(qint64 wanted, Clock::time_point now, Class asking)
{
    if (m_rate.load(std::memory_order_relaxed) == 0)
        return std::max<qint64>(0, wanted); // unlimited: no lock on the hot path
    QMutexLocker lock(&m_mutex);
    const qint64 rate = m_rate.load(std::memory_order_relaxed);
    if (rate == 0)
        return std::max<qint64>(0, wanted);
    if (m_started) {
        const double elapsed = std::chrono::duration<double>(now - m_last).count();
        m_tokens = std::min(double(m_capacity), m_tokens + std::max(0.0, elapsed) * double(rate));
    }
    m_started = true;
    m_last = now;
    if (asking == Class::Normal && now < m_firstWaitingUntil)
        return 0;
    const qint64 granted = std::min<qint64>(wanted, qint64(m_tokens));
    m_tokens -= double(granted);
    if (asking == Class::First && granted < wanted)
        m_firstWaitingUntil = now + kFirstHold;
    return std::max<qint64>(0, granted);
}

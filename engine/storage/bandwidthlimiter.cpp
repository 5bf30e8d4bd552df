#include "bandwidthlimiter.h"

#include <algorithm>

namespace {
constexpr qint64 kMinBurst = 16 * 1024; // below this libcurl would crawl in tiny writes
}

BandwidthLimiter::BandwidthLimiter(qint64 bytesPerSecond)
    : m_rate(std::max<qint64>(1, bytesPerSecond))
    , m_capacity(std::max(kMinBurst, m_rate / 10))
    , m_tokens(double(m_capacity))
{ }

qint64 BandwidthLimiter::take(qint64 wanted, Clock::time_point now)
{
    QMutexLocker lock(&m_mutex);
    if (m_started) {
        const double elapsed = std::chrono::duration<double>(now - m_last).count();
        m_tokens = std::min(double(m_capacity), m_tokens + std::max(0.0, elapsed) * double(m_rate));
    }
    m_started = true;
    m_last = now;
    const qint64 granted = std::min<qint64>(wanted, qint64(m_tokens));
    m_tokens -= double(granted);
    return std::max<qint64>(0, granted);
}

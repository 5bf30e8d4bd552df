#include "speedestimator.h"

#include <cmath>

void SpeedEstimator::start(qint64 timestampMs)
{
    m_samples.assign(1, Sample{timestampMs, 0});
    m_startMs = timestampMs;
    m_rate = 0;
    m_anchored = false;
}

bool SpeedEstimator::windowUsable() const
{
    return m_anchored && m_samples.back().ms - m_samples.front().ms >= kMinWindowMs;
}

void SpeedEstimator::addSample(qint64 bytesMoved, qint64 verifiedBytes, qint64 timestampMs)
{
    if (m_startMs < 0)
        start(timestampMs);
    if (timestampMs < m_samples.back().ms)
        return;
    if (!m_anchored && verifiedBytes > 0) {
        m_anchored = true; // from here on the buffers are as full as they stay: measure from this point
        m_samples.assign(1, Sample{timestampMs, bytesMoved});
        return;
    }
    m_samples.push_back(Sample{timestampMs, bytesMoved});
    // Keep one sample at or before the window's start: the base the window's bytes are measured from.
    while (m_samples.size() > 2 && m_samples[1].ms <= timestampMs - m_windowMs)
        m_samples.pop_front();
    if (m_anchored && !windowUsable())
        return; // too short a window since the restart: keep the figure measured before it
    const Sample &base = m_samples.front();
    const qint64 elapsedMs = timestampMs - base.ms;
    if (elapsedMs > 0)
        m_rate = double(std::max<qint64>(0, bytesMoved - base.bytes)) * 1000.0 / double(elapsedMs);
}

qint64 SpeedEstimator::etaSeconds(qint64 bytesLeft) const
{
    if (m_startMs < 0 || m_samples.back().ms - m_startMs < kMinHistoryMs || !windowUsable() || m_rate < 1.0)
        return -1;
    return qint64(std::ceil(double(std::max<qint64>(0, bytesLeft)) / m_rate));
}

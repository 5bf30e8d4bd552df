#include "speedestimator.h"

#include <algorithm>
#include <cmath>

void SpeedEstimator::reset()
{
    *this = SpeedEstimator(m_horizonMs);
}

void SpeedEstimator::addSample(qint64 bytesMoved, qint64 timestampMs)
{
    if (m_lastBytes < 0) {
        m_lastBytes = bytesMoved;
        m_lastMs = m_firstMs = timestampMs;
        return;
    }
    const qint64 elapsedMs = timestampMs - m_lastMs;
    if (elapsedMs < 50)
        return; // too close together to say anything about speed
    const double instant = double(std::max<qint64>(0, bytesMoved - m_lastBytes)) * 1000.0 / double(elapsedMs);
    const double alpha = 1.0 - std::exp(-double(elapsedMs) / double(m_horizonMs));
    m_rate = m_rate == 0 ? instant : m_rate + alpha * (instant - m_rate);
    m_lastBytes = bytesMoved;
    m_lastMs = timestampMs;
}

qint64 SpeedEstimator::etaSeconds(qint64 bytesLeft) const
{
    if (m_firstMs < 0 || m_lastMs - m_firstMs < kMinHistoryMs || m_rate < 1.0)
        return -1;
    return qint64(std::ceil(double(std::max<qint64>(0, bytesLeft)) / m_rate));
}

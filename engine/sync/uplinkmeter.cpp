#include "uplinkmeter.h"

std::optional<qint64> UplinkMeter::sample(qint64 ms, qint64 bytes)
{
    m_samples.push_back({ms, bytes});
    // The front stays the newest sample that is at least a window old: the older ones are not needed any more.
    while (m_samples.size() > 2 && ms - m_samples[1].ms >= m_windowMs)
        m_samples.pop_front();
    const Sample &first = m_samples.front();
    const qint64 span = ms - first.ms;
    if (span < m_windowMs || span <= 0)
        return std::nullopt;
    return (bytes - first.bytes) * 1000 / span;
}

#include "retrypolicy.h"

#include <QRandomGenerator>

#include <algorithm>

RetryPolicy::RetryPolicy(int maxAttempts, int baseDelayMs, int maxDelayMs, Jitter jitter)
    : m_maxAttempts(std::max(1, maxAttempts))
    , m_baseDelayMs(std::max(0, baseDelayMs))
    , m_maxDelayMs(std::max(m_baseDelayMs, maxDelayMs))
    , m_jitter(jitter)
{ }

bool RetryPolicy::shouldRetry(const StorageError &error, int attemptsMade) const
{
    return error.retryable && attemptsMade < m_maxAttempts;
}

int RetryPolicy::delayMs(int attemptsMade, int retryAfterMs) const
{
    const int exponent = std::clamp(attemptsMade - 1, 0, 20);
    const qint64 ceiling = std::min<qint64>(m_maxDelayMs, qint64(m_baseDelayMs) << exponent);
    const qint64 floor = m_jitter == Jitter::Equal ? ceiling / 2 : 0;
    const int jittered = int(floor + QRandomGenerator::global()->bounded(ceiling - floor + 1));
    return std::max(jittered, retryAfterMs);
}

#pragma once

#include "storageerror.h"

// Bounded exponential backoff with "full jitter" (a random delay in [0, min(cap, base * 2^(attempt-1))]):
// parallel parts that failed together do not retry together. A server's Retry-After is a floor.
class RetryPolicy
{
public:
    // Full: [0, ceiling] (parts: spreads simultaneous failures best). Equal: [ceiling/2, ceiling] (episodes: a
    // backoff that never collapses to zero).
    enum class Jitter { Full, Equal };

    static constexpr int kDefaultMaxAttempts = 5;
    static constexpr int kDefaultBaseDelayMs = 500;
    static constexpr int kDefaultMaxDelayMs = 20000;

    RetryPolicy(int maxAttempts = kDefaultMaxAttempts, int baseDelayMs = kDefaultBaseDelayMs,
        int maxDelayMs = kDefaultMaxDelayMs, Jitter jitter = Jitter::Full);

    int maxAttempts() const { return m_maxAttempts; }
    // attemptsMade counts the attempt that just failed (1 after the first try).
    bool shouldRetry(const StorageError &error, int attemptsMade) const;
    int delayMs(int attemptsMade, int retryAfterMs = -1) const;

private:
    int m_maxAttempts;
    int m_baseDelayMs;
    int m_maxDelayMs;
    Jitter m_jitter;
};

#pragma once

#include <QtGlobal>

#include <atomic>

// Totals since the engine started, for metrics. Written from transfer threads (relaxed atomics: each counter is
// independent), read from any thread.
struct SyncCounters
{
    qint64 partsVerified = 0; // parts acknowledged and whose ETag matched (also single-PUT files)
    qint64 bytesVerified = 0;
    qint64 partsRetried = 0; // part attempts that failed and were tried again
    qint64 partsFailed = 0; // part attempts that failed for good (ending their episode's attempt)
};

class SyncCounterSet
{
public:
    void partVerified(qint64 bytes)
    {
        m_partsVerified.fetch_add(1, std::memory_order_relaxed);
        m_bytesVerified.fetch_add(bytes, std::memory_order_relaxed);
    }
    void partFailed(bool willRetry)
    {
        (willRetry ? m_partsRetried : m_partsFailed).fetch_add(1, std::memory_order_relaxed);
    }
    SyncCounters snapshot() const
    {
        return {m_partsVerified.load(std::memory_order_relaxed), m_bytesVerified.load(std::memory_order_relaxed),
            m_partsRetried.load(std::memory_order_relaxed), m_partsFailed.load(std::memory_order_relaxed)};
    }

private:
    std::atomic<qint64> m_partsVerified{0};
    std::atomic<qint64> m_bytesVerified{0};
    std::atomic<qint64> m_partsRetried{0};
    std::atomic<qint64> m_partsFailed{0};
};

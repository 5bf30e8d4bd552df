#pragma once

#include <QDateTime>

// While the storage cannot be reached at all, the engine waits for it instead of spending episodes' attempts: the
// storage is one, so ten pending episodes must not each probe it. Each attempt that could not connect extends the
// outage (SyncConfig::unreachableRetry: 1 s doubling to 30 s); meanwhile no episode starts before the next probe,
// and then only one at a time (the small lane stays shut). Any answer ends it.
//
//   over ──Unreachable──► outage (streak 1, next probe at t1) ──Unreachable──► outage (streak 2, t2) ...
//    ▲                       │                                                    │
//    └── an answer, new settings ─────────────────────────────────────────────────┘
class StorageOutageBackoff
{
public:
    [[nodiscard]] int streak() const { return m_streak; } // attempts in a row that could not connect
    [[nodiscard]] bool isProbing() const { return m_streak > 0; } // one episode at a time asks the storage
    // No episode starts before the next probe's time.
    [[nodiscard]] bool holdsStarts(const QDateTime &now) const
    {
        return m_nextProbeAt.isValid() && now < m_nextProbeAt;
    }

    void continues(const QDateTime &nextProbeAt)
    {
        ++m_streak;
        m_nextProbeAt = nextProbeAt;
    }
    void end()
    {
        m_streak = 0;
        m_nextProbeAt = {};
    }

private:
    int m_streak = 0;
    QDateTime m_nextProbeAt;
};

#pragma once

#include <QtGlobal>

#include <algorithm>
#include <deque>

// Throughput of one attempt, never extrapolated from what did not really move. It is the average over a sliding
// window of the bytes the attempt moved (verified, plus sent for parts still in flight), and the window starts
// empty: the bytes an earlier attempt verified are not in it, and once the storage has acknowledged and verified the
// attempt's first bytes the window restarts there, so the burst the start hands to libcurl's and the kernel's
// buffers (an exponential average seeded by it read 50 % high for ~10 s) never counts as speed. The ETA stays
// unknown until kMinHistoryMs of the attempt and a second of that window make the rate trustworthy.
class SpeedEstimator
{
public:
    explicit SpeedEstimator(int windowMs = 5000)
        : m_windowMs(std::max<qint64>(1000, windowMs))
    { }

    static constexpr qint64 kMinHistoryMs = 2000; // no ETA before two seconds of this attempt
    static constexpr qint64 kMinWindowMs = 1000; // the window after the first verification, before it is used

    // The attempt starts now, with nothing moved yet.
    void start(qint64 timestampMs);
    // bytesMoved: what this attempt verified plus what it sent for parts in flight (may dip when a part fails);
    // verifiedBytes: what this attempt verified.
    void addSample(qint64 bytesMoved, qint64 verifiedBytes, qint64 timestampMs);
    double bytesPerSecond() const { return m_rate; }
    qint64 etaSeconds(qint64 bytesLeft) const; // -1 when unknown

private:
    struct Sample
    {
        qint64 ms = 0;
        qint64 bytes = 0;
    };
    bool windowUsable() const;

    qint64 m_windowMs;
    std::deque<Sample> m_samples; // oldest first; the first one is the base the window is measured from
    double m_rate = 0;
    qint64 m_startMs = -1;
    bool m_anchored = false; // the window restarted at the first verification
};

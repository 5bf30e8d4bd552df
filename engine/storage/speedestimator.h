#pragma once

#include <QtGlobal>

// Smoothed throughput and an ETA shown only once there is enough history to trust it (as Nextcloud's
// ProgressInfo does): an exponential moving average over samples of bytes moved.
class SpeedEstimator
{
public:
    explicit SpeedEstimator(int horizonMs = 2000)
        : m_horizonMs(horizonMs)
    { }

    static constexpr qint64 kMinHistoryMs = 1000; // no ETA before one second of samples

    void reset();
    // bytesMoved: committed + in-flight so far (may dip when a part fails; dips are not negative speed).
    void addSample(qint64 bytesMoved, qint64 timestampMs);
    double bytesPerSecond() const { return m_rate; }
    qint64 etaSeconds(qint64 bytesLeft) const; // -1 when unknown

private:
    int m_horizonMs;
    double m_rate = 0;
    qint64 m_lastBytes = -1;
    qint64 m_lastMs = 0;
    qint64 m_firstMs = -1;
};

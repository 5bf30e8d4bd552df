#pragma once

#include <QtGlobal>

#include <deque>
#include <optional>

// The upload rate sustained over a whole window, from a running byte counter sampled now and then (the shared
// BandwidthLimiter's bytesGranted, every ThrottleController tick). A rate over less than a window would take a
// burst into libcurl's and the kernel's buffers for the link. Pure: the caller brings the times.
class UplinkMeter
{
public:
    explicit UplinkMeter(qint64 windowMs)
        : m_windowMs(windowMs)
    { }

    // One sample at ms (monotonic) of the counter: the rate over the last window (from the newest sample at least a
    // window old), or nullopt until the samples span one.
    [[nodiscard]] std::optional<qint64> sample(qint64 ms, qint64 bytes);
    void clear() { m_samples.clear(); } // a new window starts (what was let through before says nothing now)

private:
    struct Sample
    {
        qint64 ms = 0;
        qint64 bytes = 0;
    };
    qint64 m_windowMs;
    std::deque<Sample> m_samples;
};

#include "latencyprobe.h"

#include <algorithm>
#include <ctime>

namespace {

double cpuSeconds(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0;
    const auto index = std::min(sorted.size() - 1, size_t(p * double(sorted.size() - 1) + 0.5));
    return sorted[index];
}

} // namespace

LatencyProbe::LatencyProbe(int intervalMs, QObject *parent)
    : QObject(parent)
    , m_intervalMs(intervalMs)
{
    // PreciseTimer: Qt's default coarse timers may fire up to 5 % late on purpose, which would count as lag.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LatencyProbe::tick);
}

void LatencyProbe::start()
{
    m_lateMs.clear();
    m_lateMs.reserve(size_t(60'000 / std::max(1, m_intervalMs)));
    m_threadCpuStart = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    m_processCpuStart = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
    m_clock.start();
    m_lastNs = 0;
    m_timer.start();
}

void LatencyProbe::tick()
{
    // Lateness: the gap since the previous tick beyond the interval. A blocked event loop shows up as one long gap.
    const qint64 now = m_clock.nsecsElapsed();
    const double gapMs = double(now - m_lastNs) / 1e6;
    m_lateMs.push_back(std::max(0.0, gapMs - m_intervalMs));
    m_lastNs = now;
}

LatencyProbe::Result LatencyProbe::stop()
{
    m_timer.stop();
    Result r;
    r.seconds = double(m_clock.nsecsElapsed()) / 1e9;
    r.threadCpuSeconds = cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - m_threadCpuStart;
    r.processCpuSeconds = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - m_processCpuStart;
    std::vector<double> sorted = m_lateMs;
    std::sort(sorted.begin(), sorted.end());
    r.ticks = qsizetype(sorted.size());
    r.p50Ms = percentile(sorted, 0.50);
    r.p99Ms = percentile(sorted, 0.99);
    r.maxMs = sorted.empty() ? 0 : sorted.back();
    return r;
}

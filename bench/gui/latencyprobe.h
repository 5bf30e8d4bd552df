#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <vector>

// Measures how late the event loop of the thread it lives on runs a periodic timer (the lag a user would feel as
// a stuck window) and how much CPU that thread spends, over one window of time.
class LatencyProbe : public QObject
{
    Q_OBJECT

public:
    struct Result
    {
        double seconds = 0; // wall time measured
        qsizetype ticks = 0;
        double p50Ms = 0; // lateness of a tick beyond its interval
        double p99Ms = 0;
        double maxMs = 0;
        double threadCpuSeconds = 0; // CLOCK_THREAD_CPUTIME_ID of the probe's thread
        double processCpuSeconds = 0; // every thread of the process
    };

    explicit LatencyProbe(int intervalMs, QObject *parent = nullptr);

    void start();
    Result stop();

private:
    void tick();

    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    double m_threadCpuStart = 0;
    double m_processCpuStart = 0;
    std::vector<double> m_lateMs;
};

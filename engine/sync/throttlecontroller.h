#pragma once

#include "syncconfig.h"
#include "uploadthrottle.h"

#include <QElapsedTimer>
#include <QObject>

#include <deque>
#include <functional>
#include <memory>

class BandwidthLimiter;
class EpisodeStatusStore;
class QTimer;

// The upload throttle on the engine thread. Feeds UploadThrottle with the time (SyncConfig::clock), the folder
// watch's looks and the uplink measured at the engine's shared BandwidthLimiter, and hands every new ThrottleState to
// the scheduler (apply: limit, parts per episode, hold), to the store (the views read it there) and to the journal.
// Commands take effect at once; the schedule's slots and a command's until within kTickMs.
class ThrottleController : public QObject
{
    Q_OBJECT

public:
    using Apply = std::function<void(const ThrottleState &)>;
    static constexpr int kTickMs = 250;
    static constexpr int kUplinkWindowMs = 5000; // the uplink is the best rate sustained over this long

    ThrottleController(const SyncConfig &config, EpisodeStatusStore &store, Apply apply, QObject *parent = nullptr);

    static UploadThrottle::Settings settingsOf(const SyncConfig &config);
    void start(); // the first state at once, then one look every kTickMs
    void setSettings(const UploadThrottle::Settings &settings);
    ThrottleState command(const RecordingCommand &command);
    void folderLooked(bool grew); // FolderWatcher::looked

private:
    void update();
    void measureUplink();
    QDateTime now() const;

    UploadThrottle m_throttle;
    std::function<QDateTime()> m_clock;
    std::shared_ptr<const BandwidthLimiter> m_limiter;
    EpisodeStatusStore &m_store;
    Apply m_apply;
    ThrottleState m_state;
    bool m_started = false;
    bool m_applied = false;
    QTimer *m_timer = nullptr;
    struct Sample
    {
        qint64 ms = 0;
        qint64 bytes = 0;
    };
    QElapsedTimer m_elapsed;
    std::deque<Sample> m_samples; // bytes granted, while normal (a mode change starts a new window)
};

#include "throttlecontroller.h"

#include "episodestatusstore.h"
#include "syncjournal.h"

#include "storage/bandwidthlimiter.h"

#include <QTimer>

ThrottleController::ThrottleController(
    const SyncConfig &config, EpisodeStatusStore &store, Apply apply, QObject *parent)
    : QObject(parent)
    , m_clock(config.clock)
    , m_limiter(config.transport.bandwidth)
    , m_store(store)
    , m_apply(std::move(apply))
{
    m_throttle.setSettings(settingsOf(config));
}

UploadThrottle::Settings ThrottleController::settingsOf(const SyncConfig &config)
{
    return {config.bandwidthLimit, config.bandwidthSchedule, config.recordingLimit};
}

QDateTime ThrottleController::now() const
{
    return m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
}

void ThrottleController::start()
{
    m_started = true;
    m_elapsed.start();
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, [this] {
        measureUplink();
        update();
    });
    m_timer->start(kTickMs);
    update();
}

void ThrottleController::setSettings(const UploadThrottle::Settings &settings)
{
    m_throttle.setSettings(settings);
    update();
}

ThrottleState ThrottleController::command(const RecordingCommand &command)
{
    m_throttle.command(command);
    update();
    return m_state;
}

void ThrottleController::folderLooked(bool grew)
{
    m_throttle.folderLooked(grew, now());
    update();
}

void ThrottleController::measureUplink()
{
    if (!m_limiter || m_state.isRecording())
        return;
    const qint64 ms = m_elapsed.elapsed();
    m_samples.push_back({ms, m_limiter->bytesGranted()});
    while (m_samples.size() > 1 && ms - m_samples.front().ms > kUplinkWindowMs)
        m_samples.pop_front();
    const Sample &first = m_samples.front();
    const qint64 span = ms - first.ms;
    // A whole window, so a burst into libcurl's buffers is not taken for the link.
    if (span >= kUplinkWindowMs)
        m_throttle.uplinkMeasured((m_samples.back().bytes - first.bytes) * 1000 / span);
}

void ThrottleController::update()
{
    if (!m_started)
        return;
    const ThrottleState next = m_throttle.evaluate(now());
    const bool first = !m_applied; // the scheduler's limiter still has the configured limit: apply even "normal"
    if (!first && m_state == next)
        return;
    m_applied = true;
    const ThrottleState before = std::exchange(m_state, next);
    if (before.mode != next.mode)
        m_samples.clear(); // what recording let through says nothing of the link
    m_store.setThrottle(next);
    m_apply(next);
    if (!(before == next))
        SyncJournal::throttleChanged(before, next);
}

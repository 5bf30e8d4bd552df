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
    if (const auto rate = m_uplink.sample(m_elapsed.elapsed(), m_limiter->bytesGranted()))
        m_throttle.uplinkMeasured(*rate);
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
        m_uplink.clear(); // what recording let through says nothing of the link
    // The journal first: what the new state starts (an attempt resumed after a hold) is written after it.
    if (!(before == next))
        SyncJournal::throttleChanged(before, next);
    m_store.setThrottle(next);
    m_apply(next);
}

#include "uploadthrottle.h"

#include <algorithm>

void UploadThrottle::command(const RecordingCommand &command)
{
    if (command.recording) {
        m_command = command;
        m_growthOverruled = false;
        return;
    }
    m_command.reset();
    // Asked for normal while a recorder writes: the growth alone would switch straight back to recording.
    m_growthOverruled = m_lastGrowth.isValid();
}

void UploadThrottle::folderLooked(bool grew, const QDateTime &nowUtc)
{
    if (grew) {
        m_lastGrowth = nowUtc;
    } else if (!folderGrowing(nowUtc)) {
        m_lastGrowth = {};
        m_growthOverruled = false; // settled: the next growth records again
    }
}

void UploadThrottle::uplinkMeasured(qint64 bytesPerSecond)
{
    m_uplink = std::max(m_uplink, bytesPerSecond);
}

bool UploadThrottle::folderGrowing(const QDateTime &nowUtc) const
{
    return m_lastGrowth.isValid() && m_lastGrowth.msecsTo(nowUtc) < kGrowthHoldMs;
}

qint64 UploadThrottle::recordingLimit() const
{
    if (m_command && m_command->limitBytesPerSecond >= 0)
        return m_command->limitBytesPerSecond;
    if (m_settings.recordingLimit >= 0)
        return m_settings.recordingLimit;
    if (m_uplink <= 0)
        return kUnmeasuredRecordingLimit;
    return std::max(kMinRecordingLimit, m_uplink * kUplinkPercent / 100);
}

ThrottleState UploadThrottle::evaluate(const QDateTime &nowUtc)
{
    if (m_command && m_command->until.isValid() && nowUtc >= m_command->until)
        m_command.reset();
    ThrottleState next;
    next.scheduleSlot = m_settings.schedule.activeAt(nowUtc.toLocalTime());
    const qint64 normalLimit = next.scheduleSlot ? next.scheduleSlot->bytesPerSecond : m_settings.bandwidthLimit;
    const bool growing = folderGrowing(nowUtc) && !m_growthOverruled;
    if (m_command || growing) {
        next.mode = ThrottleState::Mode::Recording;
        next.reason = m_command ? ThrottleState::Reason::Command : ThrottleState::Reason::FolderGrowth;
        next.until = m_command ? m_command->until : QDateTime();
        const qint64 recording = recordingLimit();
        next.holding = recording == 0;
        next.limitBytesPerSecond = recording == 0 ? 0 : normalLimit > 0 ? std::min(normalLimit, recording) : recording;
        next.partsPerEpisode = 1;
    } else {
        next.limitBytesPerSecond = normalLimit;
    }
    const bool sameMode = next.mode == m_last.mode && next.reason == m_last.reason;
    next.since = sameMode ? m_last.since : nowUtc;
    m_last = next;
    return next;
}

#pragma once

#include "bandwidthschedule.h"
#include "recordingcommand.h"
#include "throttlestate.h"

#include <optional>

// Decides how fast the engine may upload (ThrottleState) from what it knows: the configured limit or the bandwidth
// schedule's slot, a person's recording command, whether a watched folder is growing, and the uplink measured so far.
// Pure: every input comes in as a call with its time, so it is tested without clocks, disks or networks
// (ThrottleController feeds it on the engine thread).
//
// Rules, in order:
//   - A recording command holds until "normal" or its until; a watched folder that grew in the last
//     kGrowthHoldMs records too (a recorder writing in bursts does not flip the mode between bursts).
//   - "normal" while a folder grows overrules the growth until the folders settle: the person asked for full speed.
//   - The normal limit is the schedule's slot (which replaces the fixed limit while a schedule is set), else the
//     fixed one. Recording runs at the lower of it and the recording limit: the command's, else the configured one,
//     else a tenth of the best uplink measured (kUnmeasuredRecordingLimit before anything was measured).
class UploadThrottle
{
public:
    struct Settings
    {
        qint64 bandwidthLimit = 0; // bytes per second without a schedule; 0: none
        BandwidthSchedule schedule; // while not empty, its slot's rate replaces bandwidthLimit
        qint64 recordingLimit = -1; // -1: kUplinkPercent of the measured uplink; 0: uploads hold while recording
        friend bool operator==(const Settings &, const Settings &) = default;
    };

    static constexpr int kUplinkPercent = 10;
    static constexpr qint64 kUnmeasuredRecordingLimit = 1024 * 1024; // nothing measured yet: 1 MiB/s
    static constexpr qint64 kMinRecordingLimit = 64 * 1024; // below this a part would outlive its request timeout
    static constexpr qint64 kGrowthHoldMs = 3000;

    void setSettings(const Settings &settings) { m_settings = settings; }
    const Settings &settings() const { return m_settings; }
    void command(const RecordingCommand &command);
    // One look at the watched folders at nowUtc: did any of them change since the previous look?
    void folderLooked(bool grew, const QDateTime &nowUtc);
    // A sustained upload rate the link carried (bytes per second, averaged over a few seconds), measured while not
    // recording; the best one is the measured uplink.
    void uplinkMeasured(qint64 bytesPerSecond);
    qint64 measuredUplink() const { return m_uplink; }
    // The state at nowUtc (a command whose until passed ends here). since carries over while the mode stays.
    [[nodiscard]] ThrottleState evaluate(const QDateTime &nowUtc);

private:
    bool folderGrowing(const QDateTime &nowUtc) const;
    qint64 recordingLimit() const;

    Settings m_settings;
    std::optional<RecordingCommand> m_command;
    QDateTime m_lastGrowth; // UTC: the last look that saw a folder grow
    bool m_growthOverruled = false; // "normal" during a growth: ignored until the folders settle
    qint64 m_uplink = 0;
    ThrottleState m_last;
};

#pragma once

#include "bandwidthschedule.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <optional>

// How fast the engine may upload right now, as every view shows it (status API, /metrics, the console's banner, the
// journal). One value for the whole engine, decided by UploadThrottle.
//
//   normal ──a command (API, CLI, console) / a watched folder growing──► recording
//   recording ──"normal", its --for ran out, the folders stopped growing──► normal
//
// In recording mode the station's disk and uplink belong to the recorder: uploads run at the recording limit with
// one part in flight per episode, or not at all (a limit of 0, "holding").
struct ThrottleState
{
    enum class Mode { Normal, Recording };
    enum class Reason { None, Command, FolderGrowth }; // why recording

    Mode mode = Mode::Normal;
    Reason reason = Reason::None;
    QDateTime since; // UTC: when this mode began (invalid: normal since the engine started)
    QDateTime until; // UTC: when a command's recording ends by itself; invalid: until told (or the folders settle)
    // The engine-wide limit in force, bytes per second; 0: none (or nothing at all while holding).
    qint64 limitBytesPerSecond = 0;
    bool holding = false; // recording with a limit of 0: no upload runs, verified parts are kept
    int partsPerEpisode = 0; // requests in flight per episode: 1 while recording; 0: the configured number
    std::optional<BandwidthSchedule::Slot> scheduleSlot; // the bandwidth schedule's slot in force, if there is one

    bool isRecording() const { return mode == Mode::Recording; }
    static QString modeName(Mode mode); // "normal", "recording"
    static QString reasonName(Reason reason); // "", "command", "folder_growth"
    friend bool operator==(const ThrottleState &, const ThrottleState &) = default;
};

Q_DECLARE_METATYPE(ThrottleState)

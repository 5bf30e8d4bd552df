#pragma once

#include <QDateTime>

// A person's (or a recorder script's) word on recording mode: PUT /api/v1/sync/throttle, `keystone-console throttle`,
// the console's toolbar toggle.
struct RecordingCommand
{
    bool recording = false; // false: back to normal
    qint64 limitBytesPerSecond = -1; // -1: the configured recording limit (SyncConfig::recordingLimit); 0: hold
    QDateTime until; // UTC; invalid: until told otherwise
};

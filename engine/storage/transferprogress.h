#pragma once

#include <QMetaType>
#include <QtGlobal>

// Progress of a whole job (one or many files), KJob-style amounts by unit plus speed and ETA.
// A value type: copied into queued signals and snapshots.
struct TransferProgress
{
    qint64 committedBytes = 0; // acknowledged and verified
    qint64 inflightBytes = 0; // sent, not yet acknowledged
    qint64 totalBytes = 0;
    int partsCompleted = 0;
    int partsTotal = 0;
    int filesCompleted = 0;
    int filesTotal = 0;
    double bytesPerSecond = 0; // smoothed
    qint64 etaSeconds = -1; // -1: unknown
    int parallel = 0; // requests the job may have in flight now (adapts to the link unless fixed)

    double percent() const { return totalBytes > 0 ? 100.0 * double(committedBytes) / double(totalBytes) : 0.0; }
};

Q_DECLARE_METATYPE(TransferProgress)

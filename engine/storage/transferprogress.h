#pragma once

#include <QMetaType>
#include <QtGlobal>

// What a job is doing now, coarser than the uploaders' phases: what an operator needs to know.
enum class TransferStage {
    Starting, // opening files, creating multipart uploads
    Resuming, // listing the parts an earlier attempt left on the server
    Sending, // parts on the wire
    Completing, // CompleteMultipartUpload (seconds on large objects)
    Finishing, // after every file: the layer above writes its completion marker (the manifest)
};

// Progress of a whole job (one or many files), KJob-style amounts by unit plus speed and ETA.
// A value type: copied into queued signals and snapshots.
//
// The verified amounts (committedBytes, partsCompleted, filesCompleted and the totals) are facts that outlive the
// job; the runtime figures (inflightBytes, bytesPerSecond, etaSeconds, parallel, stage) only mean something while it
// runs (see atRest()).
struct TransferProgress
{
    qint64 committedBytes = 0; // acknowledged and verified
    qint64 inflightBytes = 0; // sent, not yet acknowledged
    qint64 totalBytes = 0;
    int partsCompleted = 0;
    int partsTotal = 0;
    int filesCompleted = 0;
    int filesTotal = 0;
    double bytesPerSecond = 0; // over the bytes this attempt moved (see SpeedEstimator)
    qint64 etaSeconds = -1; // -1: unknown (or not trustworthy yet)
    int parallel = 0; // requests the job may have in flight now (adapts to the link unless fixed)
    TransferStage stage = TransferStage::Starting;
    bool storageAnswered = false; // the storage answered at least one request of this job

    // The same verified amounts with every runtime figure cleared: what is shown while no attempt runs.
    TransferProgress atRest() const
    {
        TransferProgress rest;
        rest.committedBytes = committedBytes;
        rest.totalBytes = totalBytes;
        rest.partsCompleted = partsCompleted;
        rest.partsTotal = partsTotal;
        rest.filesCompleted = filesCompleted;
        rest.filesTotal = filesTotal;
        return rest;
    }
    // Anything verified at all (a part, or a whole file).
    bool hasVerified() const { return committedBytes > 0 || partsCompleted > 0 || filesCompleted > 0; }
};

Q_DECLARE_METATYPE(TransferProgress)

#pragma once

#include "bandwidthschedule.h"
#include "storage/curltransport.h"
#include "storage/endpointprofile.h"
#include "storage/multipartuploader.h"
#include "watchconfig.h"

#include <QDateTime>
#include <QString>

#include <functional>

// Everything the sync engine needs to run; no secrets are persisted from here (the caller brings credentials).
struct SyncConfig
{
    QString dataDir; // catalog.sqlite and the instance lock live here
    EndpointProfile profile;
    AwsCredentials credentials;
    TransportOptions transport;
    UploadOptions upload; // part size, parts per file, part retries
    QString bucket;
    QString keyPrefix = QStringLiteral("episodes"); // objects: <keyPrefix>/<episode name>/<relative path>

    int maxConcurrentEpisodes = 2;
    // The small lane (docs/design.md, "Fair scheduling"): while every episode slot is held by an episode of at least
    // this many bytes, one more episode smaller than this may start, with requests of its own beside the shared
    // budget, so a small episode never waits behind large ones. 0: no lane (first come, first served within a
    // priority).
    qint64 smallEpisodeBytes = 64 * 1024 * 1024;
    // A registration (or rescan) whose path holds more files than this is refused ("too_many_files"): one episode
    // is one recording, and a tree this large is almost always the wrong path (a home or a whole disk).
    int maxFilesPerEpisode = 100'000;
    int maxPartsInFlight = 8; // across every episode; unused while upload.adaptive is set (the budget adapts)
    qint64 bandwidthLimit = 0; // bytes per second for the whole engine; 0: unlimited
    BandwidthSchedule bandwidthSchedule; // while set, its slot in force replaces bandwidthLimit (UploadThrottle)
    // Recording mode's limit (bytes per second) unless a command names one: -1, a tenth of the measured uplink; 0,
    // uploads hold while recording.
    qint64 recordingLimit = -1;
    std::function<QDateTime()> clock; // "now" in UTC for the schedule and recording's until; null: the system clock
    // Whole-episode retries: 30 s doubling to 1 h, at most 5 attempts.
    RetryPolicy episodeRetry{5, 30'000, 3'600'000, RetryPolicy::Jitter::Equal};
    // While the storage cannot be reached at all (connection refused, name not resolved): no episode starts for
    // 1 s doubling to at most 30 s; such attempts do not count against episodeRetry.
    RetryPolicy unreachableRetry{1, 1'000, 30'000, RetryPolicy::Jitter::Equal};
    int schedulerIntervalMs = 1000; // how often due retries are looked for
    int catalogRetryMs = 5000; // uploads paused by a catalog that cannot be written try again after this
    int speedWindowMs = 5000; // bytes_per_second is the average over this long
    WatchConfig watch; // --watch: off unless watch.dir is set
};

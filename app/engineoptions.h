#pragma once

#include "api/apiconfig.h"
#include "appresult.h"
#include "storagecommandline.h"
#include "sync/syncconfig.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcessEnvironment>

class OptionValues;

// The options of the modes that run the sync engine (desktop console and --server): data directory, API address,
// bucket and key prefix, limits, plus the shared storage options. Fills a SyncConfig and an ApiConfig.
class EngineOptions
{
    Q_DECLARE_TR_FUNCTIONS(EngineOptions)

public:
    static constexpr quint16 kDefaultApiPort = 8470;

    void addOptions(QCommandLineParser &parser) const;
    // Only --data-dir and --listen: for the script verbs, which locate a running instance but start no engine.
    static void addLocationOptions(QCommandLineParser &parser);
    // Everything, credentials last (from the command line, else the config file; see OptionValues).
    [[nodiscard]] AppResult<void> read(const OptionValues &values, const QProcessEnvironment &environment);
    // Only where things live: --data-dir (default: the application data location) and --listen. For a console that
    // takes its storage from saved settings, and for clients of a running instance.
    [[nodiscard]] AppResult<void> readLocations(const OptionValues &values);
    // Only the credentials, into sync.credentials (read() does this too); accessKeyId as in
    // StorageCommandLine::readCredentials.
    [[nodiscard]] AppResult<void> readCredentials(
        const OptionValues &values, const QProcessEnvironment &environment, const QString &accessKeyId);
    // Where the credentials came from, for the start-up line.
    QString credentialSource() const { return m_storage.credentialSource; }
    // --watch, --watch-stable-seconds, --watch-marker into sync.watch (read() includes it).
    [[nodiscard]] AppResult<void> readWatch(const OptionValues &values);
    // Only the limits that were given (--part-size, --concurrency, --single-put-threshold, --max-attempts,
    // --bandwidth-limit, --max-episodes, --max-parts) over what sync holds: for a console whose storage and limits
    // come from its saved settings, where the command line and config file still win (read() includes it).
    [[nodiscard]] AppResult<void> readLimits(const OptionValues &values);

    SyncConfig sync;
    ApiConfig api;

private:
    // --max-episodes, --max-parts, --small-episode-size, --recording-limit, --bandwidth-schedule, ...
    [[nodiscard]] AppResult<void> readEngineLimits(const OptionValues &values);
    [[nodiscard]] AppResult<void> readSchedule(const OptionValues &values); // --bandwidth-schedule

    StorageCommandLine m_storage;
};

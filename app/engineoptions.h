#pragma once

#include "api/apiconfig.h"
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
    bool read(const OptionValues &values, const QProcessEnvironment &environment, QString *error);
    // Only where things live: --data-dir (default: the application data location) and --listen. For a console that
    // takes its storage from saved settings, and for clients of a running instance.
    bool readLocations(const OptionValues &values, QString *error);
    // Only the credentials, into sync.credentials (read() does this too); accessKeyId as in
    // StorageCommandLine::readCredentials.
    bool readCredentials(
        const OptionValues &values, const QProcessEnvironment &environment, const QString &accessKeyId, QString *error);
    // Where the credentials came from, for the start-up line.
    QString credentialSource() const { return m_storage.credentialSource; }
    // --watch, --watch-stable-seconds, --watch-marker into sync.watch (read() includes it).
    bool readWatch(const OptionValues &values, QString *error);
    // Only the limits that were given (--part-size, --concurrency, --single-put-threshold, --max-attempts,
    // --bandwidth-limit, --max-episodes, --max-parts) over what sync holds: for a console whose storage and limits
    // come from its saved settings, where the command line and config file still win (read() includes it).
    bool readLimits(const OptionValues &values, QString *error);

    SyncConfig sync;
    ApiConfig api;

private:
    // --max-episodes, --max-parts, --small-episode-size, --recording-limit, --bandwidth-schedule, ...
    bool readEngineLimits(const OptionValues &values, QString *error);
    bool readSchedule(const OptionValues &values, QString *error); // --bandwidth-schedule

    StorageCommandLine m_storage;
};

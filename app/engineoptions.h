#pragma once

#include "api/apiserver.h"
#include "storagecommandline.h"
#include "sync/syncconfig.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>

// The options of the modes that run the sync engine (desktop console and --server): data directory, API address,
// bucket and key prefix, limits, plus the shared storage options. Fills a SyncConfig and an ApiConfig.
class EngineOptions
{
public:
    static constexpr quint16 kDefaultApiPort = 8470;

    void addOptions(QCommandLineParser &parser) const;
    // Only --data-dir and --listen: for the script verbs, which locate a running instance but start no engine.
    static void addLocationOptions(QCommandLineParser &parser);
    bool read(const QCommandLineParser &parser, const QProcessEnvironment &environment, QString *error);
    // Only where things live: --data-dir (default: the application data location) and --listen. For a console that
    // takes its storage from saved settings.
    bool readLocations(const QCommandLineParser &parser, QString *error);

    SyncConfig sync;
    ApiConfig api;

private:
    StorageCommandLine m_storage;
};

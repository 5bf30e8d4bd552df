#pragma once

#include "api/apiserver.h"
#include "appresult.h"
#include "sync/syncengine.h"

#include <QCoreApplication>
#include <memory>

// What the desktop console and --server both run: the sync engine and, on top of it, the local HTTP API.
class EngineHost
{
    Q_DECLARE_TR_FUNCTIONS(EngineHost)

public:
    ~EngineHost();
    // Opens the engine (catalog, instance lock) and starts the API.
    [[nodiscard]] AppResult<void> start(const SyncConfig &sync, const ApiConfig &api);

    // The start-up lines about the API (its URL and token file, then its Unix socket if any), on stdout.
    void printApiAddress();
    // The start-up line about the folder watch, on stdout (nothing when it is off).
    static void printWatching(const WatchConfig &watch);

    SyncEngine &engine() { return *m_engine; }
    ApiServer &api() { return *m_api; }

private:
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<ApiServer> m_api; // destroyed before the engine it reads
};

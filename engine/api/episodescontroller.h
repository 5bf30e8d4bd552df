#pragma once

#include "apirouter.h"

class StatusBytesCache;
class SyncEngine;

// The episodes domain of the API: list, register, read, change (priority), remove and rescan episodes
// (/episodes…). Answers from the engine's snapshot (StatusBytesCache) or from the engine's command callbacks.
class EpisodesController
{
public:
    EpisodesController(SyncEngine &engine, StatusBytesCache &statusBytes);

    void addRoutes(ApiRouter &router);

private:
    void list(const ApiRequest &request, ApiResponse response); // ?status=&limit=&cursor=
    void create(const ApiRequest &request, ApiResponse response); // {"path", "name"}
    void get(const ApiRequest &request, ApiResponse response);
    void remove(const ApiRequest &request, ApiResponse response);
    void patch(const ApiRequest &request, ApiResponse response); // {"priority": N}
    void rescan(const ApiRequest &request, ApiResponse response);

    SyncEngine &m_engine;
    StatusBytesCache &m_statusBytes;
};

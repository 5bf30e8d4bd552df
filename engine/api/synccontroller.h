#pragma once

#include "apirouter.h"
#include "sync/throttlestate.h"

class StatusBytesCache;
class SyncEngine;

// The sync domain of the API (/sync/…): episode statuses (one, or a batch polled by front ends), the commands on an
// episode's upload (enqueue, cancel, retry, pause, resume), pause-all, the storage's health, the sync logs, and
// recording mode (/sync/throttle).
class SyncController
{
public:
    SyncController(SyncEngine &engine, StatusBytesCache &statusBytes);

    void addRoutes(ApiRouter &router);

private:
    void status(const ApiRequest &request, ApiResponse response);
    void statuses(const ApiRequest &request, ApiResponse response); // ?ids=
    void enqueue(const ApiRequest &request, ApiResponse response);
    void cancel(const ApiRequest &request, ApiResponse response);
    void retry(const ApiRequest &request, ApiResponse response);
    void pauseEpisode(const ApiRequest &request, ApiResponse response);
    void resumeEpisode(const ApiRequest &request, ApiResponse response);
    void storage(const ApiRequest &request, ApiResponse response);
    void pauseAll(const ApiRequest &request, ApiResponse response);
    void resumeAll(const ApiRequest &request, ApiResponse response);
    void logs(const ApiRequest &request, ApiResponse response); // ?episode_id=&limit=
    void throttle(const ApiRequest &request, ApiResponse response);
    void setThrottle(const ApiRequest &request, ApiResponse response); // ThrottleRequest's body

    // The throttle object the batch answer carries, serialised once per change of the state (front ends poll the
    // batch; the state changes a few times a day).
    const QByteArray &throttleBytes();

    SyncEngine &m_engine;
    StatusBytesCache &m_statusBytes;
    ThrottleState m_throttle;
    QByteArray m_throttleBytes;
};

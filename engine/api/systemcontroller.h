#pragma once

#include "apirouter.h"

#include <functional>

class ServerIdentity;
class SyncEngine;

// The API about itself: /health (public: liveness, version, the storage's state and the upload mode; with ?nonce
// the instance's identity proof), /metrics (Prometheus text), /openapi.json.
class SystemController
{
public:
    struct Sources
    {
        const ServerIdentity &identity;
        std::function<quint16()> port; // the TCP port bound (the identity proof covers it)
        std::function<QByteArray()> metrics; // the rendered /metrics text
    };
    SystemController(SyncEngine &engine, Sources sources);

    void addRoutes(ApiRouter &router);

private:
    void health(const ApiRequest &request, ApiResponse response);
    void metrics(const ApiRequest &request, ApiResponse response);
    void openApi(const ApiRequest &request, ApiResponse response);

    SyncEngine &m_engine;
    Sources m_sources;
};

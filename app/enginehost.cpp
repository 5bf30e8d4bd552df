#include "enginehost.h"

EngineHost::~EngineHost()
{
    m_api.reset();
    m_engine.reset();
}

bool EngineHost::start(const SyncConfig &sync, const ApiConfig &api, QString *error)
{
    auto engine = SyncEngine::open(sync);
    if (!engine) {
        *error = engine.error().message;
        return false;
    }
    m_engine = std::move(engine.value());
    m_api = std::make_unique<ApiServer>(*m_engine, api);
    return m_api->start(error);
}

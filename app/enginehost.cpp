#include "enginehost.h"

#include "consoleoutput.h"

#include <QCoreApplication>

#include <csignal>

EngineHost::~EngineHost()
{
    m_api.reset();
    m_engine.reset();
}

AppResult<void> EngineHost::start(const SyncConfig &sync, const ApiConfig &api)
{
    // A file-size limit (ulimit -f, systemd LimitFSIZE=) must make catalog writes fail with EFBIG, which pauses
    // uploads with a clear error, instead of killing the process with SIGXFSZ.
    std::signal(SIGXFSZ, SIG_IGN);
    auto engine = SyncEngine::open(sync);
    if (!engine)
        return AppError{engine.error().message};
    m_engine = std::move(engine.value());
    m_api = std::make_unique<ApiServer>(*m_engine, api);
    if (const auto started = m_api->start(); !started)
        return AppError{started.error().message};
    return {};
}

void EngineHost::printApiAddress()
{
    // Tests and scripts read the first line (ConsoleProcess): keep its shape, in every language (not translated).
    printLine(stdout,
        QStringLiteral("Keystone Console API on %1/api/v1 (token in %2)")
            .arg(m_api->url().toString(), m_api->tokenFilePath()));
    if (!m_api->unixSocketPath().isEmpty())
        printLine(stdout,
            EngineHost::tr("Keystone Console API also on unix:%1 (this user and root only)")
                .arg(m_api->unixSocketPath()));
}

void EngineHost::printWatching(const WatchConfig &watch)
{
    if (!watch.isEnabled())
        return;
    printLine(stdout,
        EngineHost::tr("Watching %1: a new folder becomes an episode after %2 s unchanged "
                       "or once it holds %3")
            .arg(watch.dir)
            .arg(watch.stableSeconds)
            .arg(watch.marker));
}

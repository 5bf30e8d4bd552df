#include "strictservers.h"

#include <QTest>

namespace {

std::unique_ptr<S3ServerProcess> startStrict(S3ServerProcess::Dialect dialect, bool tls, QString *error)
{
    auto server = std::make_unique<S3ServerProcess>(S3ServerProcess::Kind::Strict);
    server->setDialect(dialect);
    server->setTls(tls);
    if (!server->start(error))
        return nullptr;
    return server;
}

} // namespace

bool StrictServers::start(QString *error)
{
    m_s3 = startStrict(S3ServerProcess::Dialect::S3, false, error);
    m_oss = m_s3 ? startStrict(S3ServerProcess::Dialect::Oss, false, error) : nullptr;
    m_https = m_oss ? startStrict(S3ServerProcess::Dialect::S3, true, error) : nullptr;
    return m_https != nullptr;
}

void StrictServers::stop()
{
    m_s3.reset();
    m_oss.reset();
    m_https.reset();
}

S3ServerProcess &StrictServers::byName(const QString &name) const
{
    if (name == QLatin1String("oss"))
        return *m_oss;
    return name == QLatin1String("https") ? *m_https : *m_s3;
}

S3ServerProcess &StrictServers::current() const
{
    const char *tag = QTest::currentDataTag();
    return byName(tag ? QString::fromLatin1(tag) : QString());
}

bool StrictServers::resetAll() const
{
    for (S3ServerProcess *each : {m_s3.get(), m_oss.get(), m_https.get()}) {
        if (each->isExternal())
            continue; // a real server has no faults or counters to reset
        if (!each->clearFaults() || !each->resetStats())
            return false;
    }
    return true;
}

#include "strictserverfixture.h"

#include "testdata.h"

StrictServerFixture::StrictServerFixture() = default;

StrictServerFixture::~StrictServerFixture() = default;

bool StrictServerFixture::startServer(QString *error, const QStringList &extraArguments)
{
    S3ServerProcess &server = newServer();
    server.setExtraArguments(extraArguments);
    return server.start(error);
}

S3ServerProcess &StrictServerFixture::newServer()
{
    m_server.reset(); // the old one stops before the new one exists
    m_server = std::make_unique<S3ServerProcess>(S3ServerProcess::Kind::Strict);
    return *m_server;
}

void StrictServerFixture::stopServer()
{
    m_server.reset();
}

bool StrictServerFixture::resetServer()
{
    return m_server->clearFaults() && m_server->resetStats();
}

bool StrictServerFixture::makeDir()
{
    m_dir.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    return m_dir->isValid();
}

void StrictServerFixture::removeDir()
{
    m_dir.reset();
}

QString StrictServerFixture::dataDir() const
{
    return filePath(QStringLiteral("data"));
}

SyncConfig StrictServerFixture::syncConfig(const QString &keyPrefix) const
{
    return TestData::syncConfig(*m_server, dataDir(), keyPrefix);
}

#include "apilocation.h"

#include <QDir>

#include <utility>

ApiLocation::ApiLocation(QString dataDir)
    : m_dataDir(std::move(dataDir))
{ }

QString ApiLocation::tokenFile() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("api-token"));
}

QString ApiLocation::identityFile() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("server-identity"));
}

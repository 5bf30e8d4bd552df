#include "consoleserverprocess.h"

#include "s3serverprocess.h"

namespace {

QProcessEnvironment environmentWithKeys(const S3ServerProcess &s3)
{
    QProcessEnvironment environment = ConsoleProcess::cleanEnvironment();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(s3.accessKeyId()));
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(s3.secretAccessKey()));
    return environment;
}

} // namespace

ConsoleServerProcess::ConsoleServerProcess(const S3ServerProcess &s3, QString dataDir, QStringList extraArguments)
    : m_s3(s3)
    , m_dataDir(std::move(dataDir))
    , m_extraArguments(std::move(extraArguments))
    , m_console(programPath(), environmentWithKeys(s3))
{
    m_console.process().setProcessChannelMode(QProcess::MergedChannels);
}

QString ConsoleServerProcess::programPath()
{
    return QStringLiteral(KEYSTONE_CONSOLE_BIN);
}

QStringList ConsoleServerProcess::arguments() const
{
    return QStringList{QStringLiteral("--server"), QStringLiteral("--data-dir"), m_dataDir, QStringLiteral("--listen"),
               QStringLiteral("127.0.0.1:0"), QStringLiteral("--endpoint"), m_s3.endpoint().toString(),
               QStringLiteral("--path-style"), QStringLiteral("--region"), QString::fromLatin1(m_s3.region()),
               QStringLiteral("--bucket"), m_s3.bucket()}
    + m_extraArguments;
}

bool ConsoleServerProcess::start(QString *error, int timeoutMs)
{
    return m_console.start(arguments(), error, timeoutMs);
}

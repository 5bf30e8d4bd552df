#include "consoleserverprocess.h"

#include "s3serverprocess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>
#include <csignal>

ConsoleServerProcess::ConsoleServerProcess(const S3ServerProcess &s3, QString dataDir, QStringList extraArguments)
    : m_s3(s3)
    , m_dataDir(std::move(dataDir))
    , m_extraArguments(std::move(extraArguments))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

ConsoleServerProcess::~ConsoleServerProcess()
{
    kill();
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

QByteArray ConsoleServerProcess::output()
{
    m_output += m_process.readAll();
    return m_output;
}

bool ConsoleServerProcess::start(QString *error, int timeoutMs)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(m_s3.accessKeyId()));
    environment.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(m_s3.secretAccessKey()));
    m_process.setProcessEnvironment(environment);
    m_output.clear();
    m_apiBase.clear();
    m_process.start(programPath(), arguments());
    if (!m_process.waitForStarted(10000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(programPath(), m_process.errorString());
        return false;
    }
    static const QRegularExpression announced(QStringLiteral("API on (http://\\S+)/api/v1 \\(token in (.+)\\)\\n"));
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        const auto match = announced.match(QString::fromUtf8(output()));
        if (match.hasMatch()) {
            QFile tokenFile(match.captured(2));
            if (!tokenFile.open(QIODevice::ReadOnly)) {
                *error = QStringLiteral("cannot read the token file %1").arg(tokenFile.fileName());
                return false;
            }
            m_token = tokenFile.readAll().trimmed();
            m_apiBase = QUrl(match.captured(1));
            return true;
        }
        m_process.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
    }
    *error = QStringLiteral("keystone-console --server did not announce its API: %1")
                 .arg(QString::fromUtf8(output().right(2000)));
    return false;
}

void ConsoleServerProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process.processId()), SIGKILL);
    m_process.waitForFinished(10000);
    output();
}

int ConsoleServerProcess::terminate(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitCode();
    m_process.terminate();
    if (!m_process.waitForFinished(timeoutMs))
        return -1;
    output();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

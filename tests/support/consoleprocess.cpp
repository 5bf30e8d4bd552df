#include "consoleprocess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace {

QString whyNotAnnounced(const QProcess &process, int timeoutMs)
{
    if (process.error() == QProcess::FailedToStart)
        return process.errorString();
    if (process.state() == QProcess::NotRunning)
        return QStringLiteral("exit code %1").arg(process.exitCode());
    return QStringLiteral("still running after %1 ms").arg(timeoutMs);
}

} // namespace

ConsoleProcess::ConsoleProcess(const QString &program, const QProcessEnvironment &environment)
    : m_program(program)
    , m_environment(environment)
{ }

ConsoleProcess::~ConsoleProcess()
{
    kill();
}

QProcessEnvironment ConsoleProcess::cleanEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys()) {
        if (name.startsWith(QLatin1String("AWS_")) || name.startsWith(QLatin1String("OSS_")))
            environment.remove(name);
    }
    for (const char *name : {"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QLatin1String(name));
    return environment;
}

ConsoleProcess::Result ConsoleProcess::run(
    const QStringList &arguments, const QByteArray &standardInput, int timeoutMs) const
{
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.start(m_program, arguments);
    Result result;
    if (!process.waitForStarted(10000))
        return result;
    process.write(standardInput);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
    } else if (process.exitStatus() == QProcess::NormalExit) {
        result.exitCode = process.exitCode();
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

void ConsoleProcess::collect()
{
    m_out += m_process.readAllStandardOutput();
    if (m_process.processChannelMode() == QProcess::SeparateChannels) // merged: everything is in m_out
        m_err += m_process.readAllStandardError();
}

bool ConsoleProcess::start(const QStringList &arguments, QString *error, int timeoutMs)
{
    // The whole line (up to its newline), so a token file path is never read half-written.
    static const QRegularExpression apiLine(QStringLiteral("API on (http://\\S+)/api/v1 \\(token in (.+)\\)\\n"));
    m_out.clear();
    m_err.clear();
    m_apiUrl.clear();
    m_token.clear();
    m_process.setProcessEnvironment(m_environment);
    m_process.start(m_program, arguments);
    QElapsedTimer timer;
    timer.start();
    QRegularExpressionMatch match;
    (void)QTest::qWaitFor(
        [&] {
            collect();
            match = apiLine.match(QString::fromUtf8(m_out));
            return match.hasMatch() || m_process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    collect();
    if (!match.hasMatch()) {
        *error = QStringLiteral("%1 did not announce its API (%2)\nstdout: %3\nstderr: %4")
                     .arg(m_program, whyNotAnnounced(m_process, timeoutMs), QString::fromUtf8(m_out),
                         QString::fromUtf8(m_err));
        return false;
    }
    m_elapsedToApiMs = timer.elapsed();
    QFile tokenFile(match.captured(2));
    if (!tokenFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the token file %1").arg(tokenFile.fileName());
        return false;
    }
    m_token = tokenFile.readAll().trimmed();
    m_apiUrl = QUrl(match.captured(1));
    return true;
}

int ConsoleProcess::terminate(int timeoutMs)
{
    m_process.terminate();
    return waitForExit(timeoutMs);
}

void ConsoleProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10000);
    collect();
}

int ConsoleProcess::waitForExit(int timeoutMs)
{
    (void)QTest::qWaitFor(
        [this] {
            collect();
            return m_process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    collect();
    if (m_process.state() != QProcess::NotRunning || m_process.exitStatus() != QProcess::NormalExit)
        return -1;
    return m_process.exitCode();
}

QByteArray ConsoleProcess::standardError()
{
    collect();
    return m_err;
}

QByteArray ConsoleProcess::standardOutput()
{
    collect();
    return m_out;
}

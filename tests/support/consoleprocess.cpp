#include "consoleprocess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

ConsoleProcess::ConsoleProcess(const QString &program, const QProcessEnvironment &environment)
    : m_program(program)
    , m_environment(environment)
{ }

ConsoleProcess::~ConsoleProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
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
    m_err += m_process.readAllStandardError();
}

bool ConsoleProcess::start(const QStringList &arguments, QString *error, int timeoutMs)
{
    static const QRegularExpression apiLine(QStringLiteral("API on (\\S+)/api/v1 \\(token in (.+)\\)"));
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
        *error = QStringLiteral("no API line (exit code %1)\nstdout: %2\nstderr: %3")
                     .arg(m_process.state() == QProcess::NotRunning ? m_process.exitCode() : -1)
                     .arg(QString::fromUtf8(m_out), QString::fromUtf8(m_err));
        return false;
    }
    m_elapsedToApiMs = timer.elapsed();
    m_apiUrl = QUrl(match.captured(1));
    m_tokenFile = match.captured(2);
    return true;
}

QByteArray ConsoleProcess::token() const
{
    QFile file(m_tokenFile);
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
}

int ConsoleProcess::terminate(int timeoutMs)
{
    m_process.terminate();
    return waitForExit(timeoutMs);
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

#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

// Test fixture: keystone-console as a child process, the way scripts and service managers run it. run() waits for a
// one-shot command; start() launches `--server` (or a wrapper such as dbus-run-session or mdwe-exec that runs it)
// and waits for its "Keystone Console API on URL/api/v1 (token in FILE)" line (no port is guessed: pass --listen
// 127.0.0.1:0, and nothing sleeps); terminate() sends SIGTERM and reaps it. The one place that parses that line:
// ConsoleServerProcess and the tests that run a server build on this.
class ConsoleProcess
{
public:
    struct Result
    {
        int exitCode = -1; // -1: crashed or timed out
        QByteArray out;
        QByteArray err;
    };

    ConsoleProcess(const QString &program, const QProcessEnvironment &environment);
    ~ConsoleProcess(); // kills a process still running

    // The system environment without anything that would pick credentials or a keychain by accident: no AWS_*/OSS_*
    // variables, no session bus, no display.
    static QProcessEnvironment cleanEnvironment();

    Result run(const QStringList &arguments, const QByteArray &standardInput = {}, int timeoutMs = 60000) const;

    // Starts the program, waits for the API line and reads the token file; false with *error (including the output)
    // otherwise. Set process().setProcessChannelMode(QProcess::MergedChannels) first for one output in order.
    bool start(const QStringList &arguments, QString *error, int timeoutMs = 30000);
    int terminate(int timeoutMs = 30000); // SIGTERM, then waitForExit()
    int waitForExit(int timeoutMs = 30000); // the exit code, or -1 (crashed, or still running)
    void kill(); // SIGKILL (a crash, as far as the program can tell), then reaped
    QUrl apiUrl() const { return m_apiUrl; } // http://127.0.0.1:PORT, without /api/v1
    QByteArray token() const { return m_token; }
    QByteArray standardError(); // everything so far
    QByteArray standardOutput(); // everything so far (stdout and stderr when the channels are merged)
    qint64 elapsedToApiMs() const { return m_elapsedToApiMs; }
    qint64 pid() const { return m_process.processId(); }
    QProcess &process() { return m_process; }

private:
    void collect();

    QString m_program;
    QProcessEnvironment m_environment;
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
    QUrl m_apiUrl;
    QByteArray m_token;
    qint64 m_elapsedToApiMs = -1;
};

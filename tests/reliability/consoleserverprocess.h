#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

class S3ServerProcess;

// Test fixture: a real `keystone-console --server` child process against a test S3 server, on a free API port
// (--listen 127.0.0.1:0). start() waits for the line that announces the API ("Keystone Console API on URL/api/v1
// (token in FILE)"), so no port is guessed and nothing sleeps. Credentials go in through the environment.
class ConsoleServerProcess
{
public:
    // dataDir: --data-dir; extraArguments: e.g. --part-size, --max-parts.
    ConsoleServerProcess(const S3ServerProcess &s3, QString dataDir, QStringList extraArguments = {});
    ~ConsoleServerProcess(); // SIGKILL if still running, then reaped

    // Starts and waits (at most timeoutMs) for the API line; false with *error (including the output) otherwise.
    bool start(QString *error, int timeoutMs = 20000);
    void kill(); // SIGKILL, then reaped
    // SIGTERM (graceful stop) and wait; the exit code, or -1 if it did not exit in time.
    int terminate(int timeoutMs = 30000);

    QUrl apiBase() const { return m_apiBase; } // http://127.0.0.1:PORT
    QByteArray token() const { return m_token; }
    qint64 pid() const { return m_process.processId(); }
    QProcess &process() { return m_process; }
    QByteArray output(); // everything written to stdout and stderr so far

    static QString programPath(); // build/bin/keystone-console
    QStringList arguments() const;

private:
    const S3ServerProcess &m_s3;
    QString m_dataDir;
    QStringList m_extraArguments;
    QProcess m_process;
    QByteArray m_output;
    QUrl m_apiBase;
    QByteArray m_token;
};

#pragma once

#include "consoleprocess.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

class S3ServerProcess;

// Test fixture: a real `keystone-console --server` child process against a test S3 server, on a free API port
// (--listen 127.0.0.1:0), credentials in the environment. A thin layer over ConsoleProcess, which starts it, waits
// for the API line and reads the token; this adds the S3 arguments and one output (stdout and stderr merged).
class ConsoleServerProcess
{
public:
    // dataDir: --data-dir; extraArguments: e.g. --part-size, --max-parts.
    ConsoleServerProcess(const S3ServerProcess &s3, QString dataDir, QStringList extraArguments = {});

    // Starts and waits (at most timeoutMs) for the API line; false with *error (including the output) otherwise.
    bool start(QString *error, int timeoutMs = 20000);
    void kill() { m_console.kill(); } // SIGKILL, then reaped
    // SIGTERM (graceful stop) and wait; the exit code, or -1 if it crashed or did not exit in time.
    int terminate(int timeoutMs = 30000) { return m_console.terminate(timeoutMs); }

    QUrl apiBase() const { return m_console.apiUrl(); } // http://127.0.0.1:PORT
    QByteArray token() const { return m_console.token(); }
    qint64 pid() const { return m_console.pid(); }
    QProcess &process() { return m_console.process(); }
    QByteArray output() { return m_console.standardOutput(); } // everything written to stdout and stderr so far

    static QString programPath(); // build/bin/keystone-console
    QStringList arguments() const;

private:
    const S3ServerProcess &m_s3;
    QString m_dataDir;
    QStringList m_extraArguments;
    ConsoleProcess m_console; // killed (if still running) and reaped on destruction
};

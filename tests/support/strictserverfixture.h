#pragma once

#include "s3serverprocess.h"
#include "sync/syncconfig.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QtGlobal>

#include <memory>

// The set-up most integration, reliability, API, CLI and UI suites share: the strict S3 server (S3 dialect, http)
// and a temporary directory that holds the test's files and the engine's data directory ("data"). A suite keeps
// one as a member and calls, as its tests need:
//
//   initTestCase() or init()  startServer()   one server for the whole suite, or a fresh one per test
//   init()                    makeDir()       a fresh directory per test
//                             resetServer()   a shared server without the faults and counts of the test before
//   cleanup()                 removeDir()     when the next test must not find what this one left
//
// Every step returns false (with a reason where there is one) instead of asserting, so the suite's own
// QVERIFY says where the set-up failed.
class StrictServerFixture
{
public:
    StrictServerFixture();
    ~StrictServerFixture();
    Q_DISABLE_COPY_MOVE(StrictServerFixture)

    // Starts a strict server (a running one is stopped first), with more command-line options if given (e.g.
    // {"--quirk", name}); false with *error set when it does not start.
    [[nodiscard]] bool startServer(QString *error, const QStringList &extraArguments = {});
    // A new strict server, not started yet, in place of the one before: for a test that sets its port or options
    // before it starts it.
    S3ServerProcess &newServer();
    // Stops the server and forgets it.
    void stopServer();
    // Clears the server's fault rules and zeroes its counters.
    [[nodiscard]] bool resetServer();

    // Makes a fresh temporary directory (the one before is removed); false if it cannot be made.
    [[nodiscard]] bool makeDir();
    // Removes the temporary directory and what is in it.
    void removeDir();

    [[nodiscard]] S3ServerProcess &server() const { return *m_server; }
    [[nodiscard]] const QTemporaryDir &dir() const { return *m_dir; }
    [[nodiscard]] QString path() const { return m_dir->path(); }
    // A path in the temporary directory.
    [[nodiscard]] QString filePath(const QString &name) const { return m_dir->filePath(name); }
    // The engine's data directory in the temporary directory ("data").
    [[nodiscard]] QString dataDir() const;
    // TestData::syncConfig against server() with dataDir().
    [[nodiscard]] SyncConfig syncConfig(const QString &keyPrefix) const;

private:
    std::unique_ptr<S3ServerProcess> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
};

#pragma once

#include "sync/syncconfig.h"
#include "sync/syncengine.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QTest>

#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>

class QTemporaryDir;
class S3ServerProcess;

// Shared set-up of the integration, API and UI tests.
namespace TestData {

constexpr qint64 kMiB = 1024 * 1024;

// Deterministic pseudo-random bytes (incompressible, reproducible from the seed).
QByteArray randomBytes(qint64 size, quint32 seed);
// A strict-server fault rule ({"op": op, "action": action} plus extra fields) for S3ServerProcess::injectFault.
QJsonObject fault(
    const QString &op, const QString &action, std::initializer_list<std::pair<QString, QJsonValue>> extra = {});
// A port on 127.0.0.1 that was free a moment ago and has nothing listening now (connections are refused): where a
// server that is not there yet will start. 0 if none could be found.
quint16 closedPort();
// S3's ETag of data uploaded in parts of partSize (the last shorter; empty data is one empty part): the MD5 of the
// parts' binary MD5s, "-" and the part count, in lower-case hex (the engine's normal form).
QByteArray multipartEtag(const QByteArray &data, qint64 partSize);
// Writes data to path, creating the parent folders.
bool writeFile(const QString &path, const QByteArray &data);
// Writes data to name (a relative path) in dir, creating the folders: the file's path, or empty when it could not be
// written. For suites that pass the path on (a config or credentials file, a file to upload).
[[nodiscard]] QString writeFileIn(const QTemporaryDir &dir, const QString &name, const QByteArray &data);
// A sync engine configuration against a test server: path style, its keys and bucket, 5 MiB parts, fast retries
// (parts: 3 attempts within ~50 ms; episodes: 3 attempts 200–400 ms apart) and a 50 ms scheduler tick.
SyncConfig syncConfig(const S3ServerProcess &server, const QString &dataDir, const QString &keyPrefix);
// SyncEngine::open, with the reason logged on failure (null then).
std::unique_ptr<SyncEngine> openSyncEngine(const SyncConfig &config);
// Registers an episode and waits (events running) for the engine's answer: its id, or 0 on failure.
qint64 registerEpisode(SyncEngine &engine, const QString &path, const QString &name);

// Runs an engine command that answers through a SyncEngine::Callback<T> (command gets the callback to pass on, e.g.
// [&](auto done) { engine.pauseEpisode(id, done); }) and waits, events running, for the answer: nullopt when none
// came within timeoutMs.
template <typename T, typename Command>
[[nodiscard]] std::optional<SyncResult<T>> awaitAnswer(Command &&command, int timeoutMs = 10000)
{
    std::optional<SyncResult<T>> answer;
    command([&answer](const SyncResult<T> &result) { answer = result; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, timeoutMs))
        return std::nullopt;
    return answer;
}

} // namespace TestData

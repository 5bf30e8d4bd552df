#pragma once

// Shared set-up of the desktop console tests: a SyncEngine on a temporary data directory talking to the strict S3
// test server, and episode files on disk.
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <memory>

namespace UiTest {

using TestData::kMiB;
using TestData::randomBytes;

// Writes an episode file of `size` random bytes and returns its path (empty on failure).
inline QString writeEpisodeFile(const QTemporaryDir &dir, const QString &name, qint64 size)
{
    const QString path = dir.filePath(QStringLiteral("episodes/") + name);
    return TestData::writeFile(path, randomBytes(size, quint32(qHash(name)))) ? path : QString();
}

// Points QSettings (organisation "KeystoneTest", this application name) at a fresh temporary directory, so that a
// test neither reads nor writes the developer's settings. The directory, or null if it could not be made.
inline std::unique_ptr<QTemporaryDir> useTemporarySettings(const QString &applicationName)
{
    auto dir = std::make_unique<QTemporaryDir>();
    if (!dir->isValid())
        return nullptr;
    QCoreApplication::setOrganizationName(QStringLiteral("KeystoneTest"));
    QCoreApplication::setApplicationName(applicationName);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir->path());
    return dir;
}

inline QJsonObject stallParts(int stallMs)
{
    return {{QStringLiteral("op"), QStringLiteral("UploadPart")}, {QStringLiteral("action"), QStringLiteral("stall")},
        {QStringLiteral("stall_ms"), stallMs}, {QStringLiteral("times"), -1}};
}

inline QJsonObject accessDenied(const QString &op)
{
    return {{QStringLiteral("op"), op}, {QStringLiteral("action"), QStringLiteral("status")},
        {QStringLiteral("status"), 403}, {QStringLiteral("code"), QStringLiteral("AccessDenied")},
        {QStringLiteral("message"), QStringLiteral("Access Denied")}, {QStringLiteral("times"), -1}};
}

inline SyncConfig engineConfig(const S3ServerProcess &server, const QTemporaryDir &dir)
{
    return TestData::syncConfig(server, dir.filePath(QStringLiteral("data")),
        QStringLiteral("ui/%1").arg(QString::fromLatin1(QTest::currentTestFunction())));
}

inline std::unique_ptr<SyncEngine> openEngine(const SyncConfig &config)
{
    return TestData::openSyncEngine(config);
}

// Registers through the engine directly (tests of the model); 0 on failure.
inline qint64 registerEpisode(SyncEngine &engine, const QString &path)
{
    return TestData::registerEpisode(engine, path, QFileInfo(path).fileName());
}

} // namespace UiTest

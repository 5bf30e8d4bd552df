#include "testdata.h"

#include <QTcpServer>

#include "s3serverprocess.h"
#include "storage/hashing.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>

namespace TestData {

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    for (qsizetype i = 0; i + 4 <= data.size(); i += 4) {
        const quint32 word = generator.generate();
        std::memcpy(data.data() + i, &word, 4);
    }
    for (qsizetype i = data.size() / 4 * 4; i < data.size(); ++i)
        data[i] = char(generator.generate());
    return data;
}

QJsonObject fault(const QString &op, const QString &action, std::initializer_list<std::pair<QString, QJsonValue>> extra)
{
    QJsonObject object{{QStringLiteral("op"), op}, {QStringLiteral("action"), action}};
    for (const auto &[key, value] : extra)
        object.insert(key, value);
    return object;
}

quint16 closedPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0; // closed when probe goes
}

QByteArray multipartEtag(const QByteArray &data, qint64 partSize)
{
    QByteArray digests;
    int parts = 0;
    for (qint64 offset = 0; offset < data.size() || parts == 0; offset += partSize, ++parts) // empty: one empty part
        digests += Hashing::md5(QByteArrayView(data).sliced(offset, std::min(partSize, data.size() - offset)));
    return Hashing::md5(digests).toHex() + '-' + QByteArray::number(parts);
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QString writeFileIn(const QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    const QString path = dir.filePath(name);
    return writeFile(path, data) ? path : QString();
}

SyncConfig syncConfig(const S3ServerProcess &server, const QString &dataDir, const QString &keyPrefix)
{
    SyncConfig config;
    config.dataDir = dataDir;
    config.profile = server.clientProfile();
    config.credentials = {server.accessKeyId(), server.secretAccessKey(), server.securityToken()};
    config.transport = server.transportOptions(); // the test CA of a TLS server
    config.bucket = server.bucket();
    config.keyPrefix = keyPrefix;
    config.upload.partSize = 5 * kMiB;
    // Four requests in flight per episode: the suites that watch an upload mid-way rely on parts going in rounds.
    config.upload.concurrency = 4;
    config.upload.minPartSize = config.profile.minPartSize();
    config.upload.retry = RetryPolicy(3, 10, 50);
    config.episodeRetry = RetryPolicy(3, 200, 400, RetryPolicy::Jitter::Equal);
    config.schedulerIntervalMs = 50;
    return config;
}

std::unique_ptr<SyncEngine> openSyncEngine(const SyncConfig &config)
{
    auto engine = SyncEngine::open(config);
    if (!engine) {
        qWarning() << "cannot open the engine:" << engine.error().message;
        return {};
    }
    return std::move(engine.value());
}

qint64 registerEpisode(SyncEngine &engine, const QString &path, const QString &name)
{
    qint64 id = -1;
    engine.registerEpisode(path, name, [&id](const SyncResult<EpisodeStatus> &result) {
        id = result ? result.value().record.id : 0;
        if (!result)
            qWarning() << "register failed:" << result.error().message;
    });
    if (!QTest::qWaitFor([&] { return id >= 0; }, 10000))
        return 0;
    return id;
}

} // namespace TestData

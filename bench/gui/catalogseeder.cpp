#include "catalogseeder.h"

#include "catalog/catalog.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

CatalogSeeder::CatalogSeeder(QString dataDir, QString filesDir)
    : m_dataDir(std::move(dataDir))
    , m_filesDir(std::move(filesDir))
{ }

bool CatalogSeeder::seed(int completed, int active, qint64 activeBytes, QString *error)
{
    auto catalog = Catalog::open(m_dataDir);
    if (!catalog) {
        *error = catalog.error().message;
        return false;
    }
    QDir().mkpath(m_filesDir);
    const QString small = m_filesDir + QStringLiteral("/done.bin");
    QFile smallFile(small);
    if (!smallFile.open(QIODevice::WriteOnly) || smallFile.write(QByteArray(4096, 'k')) != 4096) {
        *error = QStringLiteral("cannot write %1").arg(small);
        return false;
    }
    smallFile.close();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 mtime = QFileInfo(small).lastModified().toMSecsSinceEpoch();
    for (int i = 0; i < completed + active; ++i) {
        EpisodeRecord episode;
        episode.createdAt = now.addSecs(i - completed - active);
        EpisodeFileRecord file;
        if (i < completed) {
            episode.name = QStringLiteral("done-%1").arg(i, 5, 10, QLatin1Char('0'));
            episode.localPath = small;
            episode.state = EpisodeState::Completed;
            episode.attempts = 1;
            episode.cloudBucket = QStringLiteral("bench");
            episode.cloudKeyPrefix = QStringLiteral("episodes/") + episode.name;
            episode.manifestEtag = "0123456789abcdef0123456789abcdef";
            episode.syncedAt = episode.createdAt.addSecs(30);
            file = {QStringLiteral("done.bin"), 4096, mtime, "0123456789abcdef0123456789abcdef", {}, 0, {}};
        } else {
            // Sparse: no disk used. Reading holes makes the kernel zero-fill page-cache pages, which costs more CPU
            // than reading a cached file (measured: docs/performance.md, GUI under load).
            episode.name = QStringLiteral("active-%1").arg(i - completed, 2, 10, QLatin1Char('0'));
            episode.localPath = m_filesDir + QLatin1Char('/') + episode.name + QStringLiteral(".bin");
            QFile sparse(episode.localPath);
            if (!sparse.open(QIODevice::WriteOnly) || !sparse.resize(activeBytes)) {
                *error = QStringLiteral("cannot create %1").arg(episode.localPath);
                return false;
            }
            sparse.close();
            file = {episode.name + QStringLiteral(".bin"), activeBytes,
                QFileInfo(episode.localPath).lastModified().toMSecsSinceEpoch(), {}, {}, 0, {}};
        }
        episode.totalBytes = file.size;
        episode.fileCount = 1;
        const auto inserted = catalog.value()->insertEpisode(episode, {file});
        if (!inserted) {
            *error = inserted.error().message;
            return false;
        }
    }
    return true;
}

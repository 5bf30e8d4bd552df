#include "catalog.h"

#include "catalogconnection.h"
#include "cataloglogging.h"
#include "catalogtransaction.h"
#include "episodefileinserter.h"
#include "episodefiletable.h"
#include "episodetable.h"
#include "parttable.h"
#include "synclogtable.h"
#include "watchedfoldertable.h"

#include <optional>
#include <utility>

#include <QDir>
#include <QHash>

using Mode = CatalogTransaction::Mode;

struct Catalog::Private
{
    explicit Private(const QString &filePath)
        : connection(filePath)
    { }

    CatalogConnection connection;
    EpisodeTable episodes{connection};
    EpisodeFileTable files{connection};
    PartTable parts{connection};
    SyncLogTable logs{connection};
    WatchedFolderTable watchedFolders{connection};

    [[nodiscard]] CatalogResult<EpisodeFileTable::FilesByEpisode> filesWithParts(
        std::optional<qint64> episodeId, const QString &what) const;
    [[nodiscard]] CatalogResult<void> insertFiles(
        qint64 episodeId, const QList<const EpisodeFileRecord *> &added, const QString &what) const;
    [[nodiscard]] CatalogResult<void> keepOrDropRecordedFiles(
        qint64 episodeId, QHash<QString, const EpisodeFileRecord *> &wanted, const QString &what) const;
};

// The files with the verified parts of the upload each uses now, of one episode or of all (nullopt). Two queries,
// whatever the number of episodes; inside the caller's transaction, so files and parts agree.
CatalogResult<EpisodeFileTable::FilesByEpisode> Catalog::Private::filesWithParts(
    std::optional<qint64> episodeId, const QString &what) const
{
    auto loaded = files.load(episodeId, what);
    if (!loaded)
        return loaded;
    if (auto attached = parts.attachCurrentParts(episodeId, loaded.value(), what); !attached)
        return attached.error();
    return loaded;
}

Catalog::Catalog() = default;

Catalog::~Catalog() = default;

CatalogResult<std::unique_ptr<Catalog>> Catalog::open(const QString &dataDir)
{
    std::unique_ptr<Catalog> catalog(new Catalog);
    catalog->d = std::make_unique<Private>(QDir(dataDir).filePath(QLatin1String(kFileName)));
    auto opened = catalog->d->connection.open(dataDir);
    if (opened)
        opened = CatalogSchema(catalog->d->connection).prepare();
    if (!opened) {
        qCWarning(lcCatalog).noquote() << opened.error().message;
        return opened.error();
    }
    return CatalogResult<std::unique_ptr<Catalog>>(std::move(catalog));
}

QString Catalog::filePath() const
{
    return d->connection.filePath();
}

CatalogResult<qint64> Catalog::insertEpisode(
    const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files, const QString &watchedFolder)
{
    const QString what = QStringLiteral("cannot add episode '%1'").arg(episode.name);
    return CatalogTransaction::perform(d->connection, Mode::Write, [&]() -> CatalogResult<qint64> {
        auto id = d->episodes.insert(episode, what);
        if (!id)
            return id;
        EpisodeFileInserter inserter(d->connection, what);
        for (const EpisodeFileRecord &file : files) {
            if (auto added = inserter.insert(id.value(), file); !added)
                return added.error();
        }
        if (!watchedFolder.isEmpty()) {
            if (auto recorded = d->watchedFolders.record(watchedFolder, id.value(), episode.createdAt); !recorded)
                return recorded.error();
        }
        return id;
    });
}

CatalogResult<QStringList> Catalog::watchedFolders()
{
    return d->watchedFolders.paths();
}

CatalogResult<void> Catalog::recordWatchedFolder(const QString &path, qint64 episodeId, const QDateTime &registeredAt)
{
    return d->watchedFolders.record(path, episodeId, registeredAt);
}

CatalogResult<QList<EpisodeRecord>> Catalog::loadEpisodes()
{
    return d->episodes.loadAll();
}

CatalogResult<EpisodeRecord> Catalog::loadEpisode(qint64 id)
{
    return d->episodes.load(id);
}

CatalogResult<void> Catalog::updateEpisode(const EpisodeRecord &episode)
{
    return d->episodes.updateState(episode);
}

CatalogResult<void> Catalog::setPriority(qint64 id, int priority)
{
    return d->episodes.setPriority(id, priority);
}

CatalogResult<void> Catalog::deleteEpisode(qint64 id)
{
    return d->episodes.remove(id);
}

CatalogResult<QList<EpisodeFileRecord>> Catalog::loadFiles(qint64 episodeId)
{
    const QString what = QStringLiteral("cannot load the files of episode %1").arg(episodeId);
    // One snapshot, so files and parts agree even while another connection writes.
    auto files = CatalogTransaction::perform(
        d->connection, Mode::Read, [&]() -> CatalogResult<EpisodeFileTable::FilesByEpisode> {
            if (auto exists = d->episodes.require(episodeId); !exists)
                return exists.error();
            return d->filesWithParts(episodeId, what);
        });
    if (!files)
        return files.error();
    return files.value().value(episodeId);
}

CatalogResult<QHash<qint64, QList<EpisodeFileRecord>>> Catalog::loadAllFiles()
{
    return CatalogTransaction::perform(d->connection, Mode::Read,
        [&] { return d->filesWithParts(std::nullopt, QStringLiteral("cannot load the files of the episodes")); });
}

CatalogResult<void> Catalog::setFileUpload(
    qint64 episodeId, const QString &relativePath, const QString &uploadId, qint64 partSize)
{
    const QString what
        = QStringLiteral("cannot record the upload of '%1' in episode %2").arg(relativePath).arg(episodeId);
    return CatalogTransaction::perform(d->connection, Mode::Write, [&]() -> CatalogResult<void> {
        if (auto updated = d->files.setUpload(episodeId, relativePath, uploadId, partSize, what); !updated)
            return updated;
        return d->parts.dropOtherUploads(episodeId, relativePath, uploadId, what);
    });
}

CatalogResult<void> Catalog::addVerifiedPart(qint64 episodeId, const QString &relativePath, const CompletedPart &part)
{
    const QString what = QStringLiteral("cannot record part %1 of '%2' in episode %3")
                             .arg(part.partNumber)
                             .arg(relativePath)
                             .arg(episodeId);
    if (part.etag.isEmpty())
        return CatalogError{CatalogError::Code::QueryFailed, QStringLiteral("%1: the part has no ETag").arg(what)};
    return CatalogTransaction::perform(d->connection, Mode::Write, [&]() -> CatalogResult<void> {
        auto uploadId = d->files.uploadIdOf(episodeId, relativePath, what);
        if (!uploadId)
            return uploadId.error();
        if (uploadId.value().isEmpty())
            return CatalogError{CatalogError::Code::QueryFailed,
                QStringLiteral("%1: no multipart upload is recorded for the file").arg(what)};
        return d->parts.store(episodeId, relativePath, uploadId.value(), part, what);
    });
}

CatalogResult<void> Catalog::setFileCompleted(
    qint64 episodeId, const QString &relativePath, const QByteArray &etag, bool etagChecked)
{
    const QString what = QStringLiteral("cannot complete '%1' in episode %2").arg(relativePath).arg(episodeId);
    return CatalogTransaction::perform(d->connection, Mode::Write, [&]() -> CatalogResult<void> {
        if (auto updated = d->files.setCompleted(episodeId, relativePath, etag, etagChecked, what); !updated)
            return updated;
        return d->parts.dropOfFile(episodeId, relativePath, what);
    });
}

CatalogResult<void> Catalog::setFileIdentity(qint64 episodeId, const QString &relativePath, const FileIdentity &found)
{
    if (found.inode == 0)
        return {};
    return d->files.learnIdentity(episodeId, relativePath, found,
        QStringLiteral("cannot record the identity of '%1' in episode %2").arg(relativePath).arg(episodeId));
}

CatalogResult<void> Catalog::resetFiles(qint64 episodeId, FilesToReset which)
{
    const QString what = QStringLiteral("cannot reset the files of episode %1").arg(episodeId);
    return CatalogTransaction::perform(d->connection, Mode::Write, [&]() -> CatalogResult<void> {
        if (auto exists = d->episodes.require(episodeId); !exists)
            return exists;
        auto cleared = which == FilesToReset::All ? d->files.forgetAll(episodeId, what)
                                                  : d->files.forgetIncompleteUploads(episodeId, what);
        if (!cleared)
            return cleared;
        return d->parts.dropOfEpisode(episodeId, what);
    });
}

CatalogResult<void> Catalog::replaceFiles(qint64 episodeId, const QList<EpisodeFileRecord> &files)
{
    const QString what = QStringLiteral("cannot replace the files of episode %1").arg(episodeId);
    QHash<QString, const EpisodeFileRecord *> wanted;
    qint64 totalBytes = 0;
    for (const EpisodeFileRecord &file : files) {
        wanted.insert(file.relativePath, &file);
        totalBytes += file.size;
    }
    return CatalogTransaction::perform(d->connection, Mode::Write, [&]() -> CatalogResult<void> {
        if (auto exists = d->episodes.require(episodeId); !exists)
            return exists;
        if (auto kept = d->keepOrDropRecordedFiles(episodeId, wanted, what); !kept)
            return kept;
        if (auto inserted = d->insertFiles(episodeId, wanted.values(), what); !inserted)
            return inserted;
        return d->episodes.setSizes(episodeId, totalBytes, int(files.size()), what);
    });
}

// A recorded file keeps its row (ETag, upload, parts) only if it is still the same file: size and mtime, and device
// and inode where the row knows them (a row from before schema v5 learns them here); it is then no longer wanted.
// The others are dropped with their parts.
CatalogResult<void> Catalog::Private::keepOrDropRecordedFiles(
    qint64 episodeId, QHash<QString, const EpisodeFileRecord *> &wanted, const QString &what) const
{
    auto recorded = files.identities(episodeId, what);
    if (!recorded)
        return recorded.error();
    for (auto it = recorded.value().cbegin(); it != recorded.value().cend(); ++it) {
        const EpisodeFileRecord *now = wanted.value(it.key());
        if (now && it->sameFileAs(now->identity())) {
            wanted.remove(it.key());
            if (!it->knowsInode() && now->knowsInode()) {
                if (auto learned = files.learnIdentity(episodeId, it.key(), now->identity(), what); !learned)
                    return learned;
            }
            continue;
        }
        if (auto dropped = parts.dropOfFile(episodeId, it.key(), what); !dropped)
            return dropped;
        if (auto dropped = files.remove(episodeId, it.key(), what); !dropped)
            return dropped;
    }
    return {};
}

CatalogResult<void> Catalog::Private::insertFiles(
    qint64 episodeId, const QList<const EpisodeFileRecord *> &added, const QString &what) const
{
    EpisodeFileInserter inserter(connection, what);
    for (const EpisodeFileRecord *file : added) {
        if (auto inserted = inserter.insert(episodeId, *file); !inserted)
            return inserted;
    }
    return {};
}

CatalogResult<qint64> Catalog::startAttempt(const EpisodeRecord &episode, const QDateTime &startedAt)
{
    return CatalogTransaction::perform(d->connection, Mode::Write, [&]() -> CatalogResult<qint64> {
        if (auto updated = d->episodes.updateState(episode); !updated)
            return updated.error();
        return d->logs.start(episode.id, startedAt);
    });
}

CatalogResult<void> Catalog::finishAttempt(const EpisodeRecord &episode, const SyncLogEntry &log)
{
    return CatalogTransaction::perform(d->connection, Mode::Write, [&]() -> CatalogResult<void> {
        if (auto updated = d->episodes.updateState(episode); !updated)
            return updated;
        return d->logs.finish(episode.id, log);
    });
}

CatalogResult<int> Catalog::closeInterruptedLogs(const QDateTime &now)
{
    return d->logs.closeInterrupted(now);
}

CatalogResult<QList<SyncLogEntry>> Catalog::syncLogs(qint64 episodeId, int limit)
{
    return d->logs.load(episodeId, limit);
}

#include <algorithm>
#include <atomic>
#include <memory>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "catalog/catalog.h"
#include "testdata.h"

#include <sys/stat.h>

// Every test works on real SQLite files in its own temporary directory and checks what landed on disk through a
// second, independent connection (RawDb), so a test cannot pass on what the Catalog merely believes it wrote.
class TestCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createsSchemaAndPragmas();
    void episodeRoundTripEveryField();
    void emptyValuesAreNull();
    void everyStateRoundTrips();
    void updateEpisodeChangesOnlyState();
    void duplicateNameIsConflictAndInsertsNothing();
    void failedInsertLeavesNothing();
    void unknownIdsAreNotFound();
    void setFileUploadKeepsOrDropsParts();
    void addVerifiedPartReplaces();
    void addVerifiedPartNeedsUpload();
    void setFileCompletedDropsResumeState();
    void resetFilesForgetsEverything();
    void uncheckedEtagIsKept();
    void deleteEpisodeCascades();
    void attemptRoundTrip();
    void attemptsAreAtomic();
    void closeInterruptedLogs();
    void syncLogsOrderAndLimit();
    void reopenKeepsDataWithoutMigrating();
    void migrationIsOneTransaction();
    void migrationFromVersion1KeepsData();
    void migrationFromVersion3KeepsRowsReferencesAndIds();
    void migrationFromVersion4LearnsIdentitiesLater();
    void migrationFromVersion6AddsPausedUnset();
    void pausedFlagRoundTrips();
    void allFilesAtOnceEqualEachEpisodesFiles();
    void watchedFolderOutlivesItsEpisode();
    void watchedFolderIsRecordedOnce();
    void connectionsAreIndependent();
    void openFailed_data();
    void openFailed();
    void locked_data();
    void locked();
    void corruptGarbage();
    void corruptPage();
    void newerSchema();
    void secondThreadSeesCommittedWrites();
    void filesAreOwnerOnly();
    void looseModesAreNarrowedWithAWarning();
};

using TestData::writeFile;

namespace {

// A plain QSQLITE connection of its own, for checking and for playing the other process.
class RawDb
{
public:
    explicit RawDb(const QString &path)
        : m_name(QStringLiteral("tst-raw-%1").arg(++s_counter))
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(path);
        m_ok = m_db.open();
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDb(const RawDb &) = delete;
    RawDb &operator=(const RawDb &) = delete;

    bool isOpen() const { return m_ok; }

    bool exec(const QString &sql)
    {
        QSqlQuery query(m_db);
        if (!query.exec(sql)) {
            qWarning() << sql << query.lastError().text();
            return false;
        }
        return true;
    }

    // The first column of the first row; an invalid QVariant on error or no row.
    QVariant scalar(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery query(m_db);
        if (!query.prepare(sql)) {
            qWarning() << sql << query.lastError().text();
            return {};
        }
        for (const QVariant &value : values)
            query.addBindValue(value);
        if (!query.exec() || !query.next()) {
            qWarning() << sql << query.lastError().text();
            return {};
        }
        return query.value(0);
    }

    int count(const QString &table, qint64 episodeId)
    {
        return scalar(QStringLiteral("SELECT COUNT(*) FROM %1 WHERE episode_id = ?").arg(table), {episodeId}).toInt();
    }

private:
    static inline std::atomic<int> s_counter{0};
    QString m_name;
    QSqlDatabase m_db;
    bool m_ok = false;
};

QDateTime utcMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// Every field set, with values that catch truncation (> 32 bit), lost milliseconds and text encoding.
EpisodeRecord fullEpisode(const QString &name)
{
    EpisodeRecord episode;
    episode.name = name;
    episode.localPath = QStringLiteral("/data/robots/ünï/%1").arg(name);
    episode.totalBytes = 5'000'000'123LL;
    episode.fileCount = 3;
    episode.createdAt = QDateTime(QDate(2024, 3, 5), QTime(10, 20, 30, 456), Qt::OffsetFromUTC, 7200);
    episode.state = EpisodeState::Failed;
    episode.attempts = 4;
    episode.lastErrorCode = QStringLiteral("SlowDown");
    episode.lastErrorMessage = QStringLiteral("Please reduce your request rate — 'quoted'");
    episode.nextRetryAt = utcMs(1'710'000'000'123);
    episode.cloudBucket = QStringLiteral("robots");
    episode.cloudKeyPrefix = QStringLiteral("fleet-7/%1").arg(name);
    episode.manifestEtag = QByteArrayLiteral("\"9b2cf535f27731c974343645a3985328-3\"");
    episode.syncedAt = utcMs(1'710'000'999'001);
    return episode;
}

EpisodeRecord minimalEpisode(const QString &name)
{
    EpisodeRecord episode;
    episode.name = name;
    episode.localPath = QStringLiteral("/data/%1.mcap").arg(name);
    episode.totalBytes = 10;
    episode.fileCount = 1;
    episode.createdAt = utcMs(1'700'000'000'000);
    return episode;
}

// Inserts minimal episodes with these names; the result has their ids (and is shorter if an insert failed).
QList<EpisodeRecord> insertEpisodes(Catalog &catalog, const QStringList &names)
{
    QList<EpisodeRecord> episodes;
    for (const QString &name : names) {
        EpisodeRecord episode = minimalEpisode(name);
        episode.id = catalog.insertEpisode(episode, {}).valueOr(0);
        if (episode.id <= 0)
            break;
        episodes.append(episode);
    }
    return episodes;
}

CompletedPart part(int number, qint64 size, const char *etag)
{
    return CompletedPart{number, size, QByteArray(etag)};
}

// Deliberately not sorted: loadFiles must sort by path.
QList<EpisodeFileRecord> sampleFiles()
{
    EpisodeFileRecord inProgress;
    inProgress.relativePath = QStringLiteral("sensors/lidar.bin");
    inProgress.size = 40'000'000'000LL;
    inProgress.mtimeMs = 1'709'999'000'777;
    inProgress.uploadId = QStringLiteral("upload-1");
    inProgress.partSize = 64LL * 1024 * 1024;
    inProgress.parts = {
        part(1, 67108864, "0cc175b9c0f1b6a831c399e269772661"), part(2, 67108864, "92eb5ffee6ae2fec3ad71c777531578f")};
    inProgress.device = 0xFFFF'FFFF'FFFF'FFF0ULL; // above 2^63: SQLite's signed integers must keep the bits
    inProgress.inode = 1'234'567;

    EpisodeFileRecord done;
    done.relativePath = QStringLiteral("camera/front.mp4");
    done.size = 123;
    done.mtimeMs = 1'709'999'000'001;
    done.etag = QByteArrayLiteral("4a8a08f09d37b73795649038408b5f33");

    EpisodeFileRecord fresh;
    fresh.relativePath = QStringLiteral("meta.json");
    fresh.size = 0;
    fresh.mtimeMs = 1;
    return {inProgress, done, fresh};
}

// Sorted: camera/front.mp4, meta.json, sensors/lidar.bin.
EpisodeFileRecord fileNamed(const QList<EpisodeFileRecord> &files, const QString &path)
{
    for (const EpisodeFileRecord &file : files) {
        if (file.relativePath == path)
            return file;
    }
    return {};
}

std::unique_ptr<Catalog> openOrFail(const QString &dir)
{
    auto result = Catalog::open(dir);
    if (!result) {
        qWarning() << "open failed:" << result.error().message;
        return nullptr;
    }
    return std::move(result.value());
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray("<unreadable>");
    return file.readAll();
}

mode_t modeOf(const QString &path)
{
    struct stat info = {};
    return ::lstat(QFile::encodeName(path).constData(), &info) == 0 ? (info.st_mode & 07777) : mode_t(-1);
}

// Runs with the usual umask 022, so that only the catalog's own care can make its files owner-only.
class UsualUmask
{
public:
    UsualUmask()
        : m_previous(::umask(022))
    { }
    ~UsualUmask() { ::umask(m_previous); }
    UsualUmask(const UsualUmask &) = delete;
    UsualUmask &operator=(const UsualUmask &) = delete;

private:
    mode_t m_previous;
};

QString dbPath(const QTemporaryDir &dir)
{
    return dir.filePath(QLatin1String(Catalog::kFileName));
}

} // namespace

#define OPEN_CATALOG(var, dir)                                                                                         \
    auto var = openOrFail(dir);                                                                                        \
    QVERIFY(var)

#define TRY_VALUE(var, expr)                                                                                           \
    auto var##Result = (expr);                                                                                         \
    QVERIFY2(var##Result.ok(), qPrintable(var##Result.error().message));                                               \
    auto var = var##Result.value()

#define TRY(expr)                                                                                                      \
    do {                                                                                                               \
        const auto tryResult = (expr);                                                                                 \
        QVERIFY2(tryResult.ok(), qPrintable(tryResult.error().message));                                               \
    } while (false)

void TestCatalog::createsSchemaAndPragmas()
{
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("nested/data")); // created on demand
    {
        OPEN_CATALOG(catalog, dataDir);
        QCOMPARE(catalog->filePath(), QDir(dataDir).filePath(QStringLiteral("catalog.sqlite")));
    }
    RawDb raw(QDir(dataDir).filePath(QStringLiteral("catalog.sqlite")));
    QVERIFY(raw.isOpen());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), Catalog::kSchemaVersion);
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    for (const char *name : {"episodes", "episode_files", "file_parts", "sync_logs", "watched_folders"}) {
        QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"),
                        {QLatin1String(name)})
                     .toInt(),
            1);
    }
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                                       " AND sql LIKE '%episodes(status, next_retry_at)%'"))
                 .toInt(),
        1);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                                       " AND sql LIKE '%sync_logs(episode_id, id)%'"))
                 .toInt(),
        1);
    // The CHECK constraint on status is part of the schema.
    QVERIFY(!raw.exec(QStringLiteral("INSERT INTO episodes (name, local_path, total_bytes, file_count, created_at,"
                                     " status) VALUES ('x', '/x', 1, 1, 1, 'bogus')")));
}

void TestCatalog::episodeRoundTripEveryField()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());

    EpisodeRecord episode = fullEpisode(QStringLiteral("ep-1"));
    episode.id = 4711; // ignored
    TRY_VALUE(id, catalog->insertEpisode(episode, sampleFiles()));
    QVERIFY(id > 0);
    QVERIFY(id != 4711);
    episode.id = id;

    TRY_VALUE(loaded, catalog->loadEpisode(id));
    QCOMPARE(loaded, episode);
    QCOMPARE(loaded.createdAt.toMSecsSinceEpoch(), episode.createdAt.toMSecsSinceEpoch());
    QCOMPARE(loaded.createdAt.timeSpec(), Qt::UTC);
    QCOMPARE(loaded.nextRetryAt.time().msec(), 123);

    TRY_VALUE(all, catalog->loadEpisodes());
    QCOMPARE(all, QList<EpisodeRecord>{episode});

    TRY_VALUE(files, catalog->loadFiles(id));
    QList<EpisodeFileRecord> expected = sampleFiles();
    std::sort(
        expected.begin(), expected.end(), [](const auto &a, const auto &b) { return a.relativePath < b.relativePath; });
    QCOMPARE(files, expected);

    // Stored as documented: UTC milliseconds, state names, ETags as text.
    RawDb raw(catalog->filePath());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT created_at FROM episodes WHERE id = ?"), {id}).toLongLong(),
        episode.createdAt.toMSecsSinceEpoch());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT status FROM episodes WHERE id = ?"), {id}).toString(),
        QStringLiteral("failed"));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT typeof(manifest_etag) FROM episodes WHERE id = ?"), {id}).toString(),
        QStringLiteral("text"));
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT upload_id FROM file_parts WHERE episode_id = ? AND part_number = 2"), {id})
            .toString(),
        QStringLiteral("upload-1"));
}

void TestCatalog::emptyValuesAreNull()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());

    EpisodeRecord episode = minimalEpisode(QStringLiteral("bare"));
    episode.lastErrorCode = QLatin1String(""); // empty but not null: still NULL in the catalog
    EpisodeFileRecord file;
    file.relativePath = QStringLiteral("bare.mcap");
    file.size = 10;
    file.mtimeMs = 5;
    file.uploadId = QLatin1String("");
    TRY_VALUE(id, catalog->insertEpisode(episode, {file}));

    RawDb raw(catalog->filePath());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT last_error_code IS NULL AND last_error_message IS NULL"
                                       " AND next_retry_at IS NULL AND cloud_bucket IS NULL"
                                       " AND cloud_key_prefix IS NULL AND manifest_etag IS NULL AND synced_at IS NULL"
                                       " FROM episodes WHERE id = ?"),
                    {id})
                 .toInt(),
        1);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT etag IS NULL AND upload_id IS NULL AND part_size IS NULL"
                                       " FROM episode_files WHERE episode_id = ?"),
                    {id})
                 .toInt(),
        1);

    episode.id = id;
    TRY_VALUE(loaded, catalog->loadEpisode(id));
    QCOMPARE(loaded, episode);
    QVERIFY(!loaded.nextRetryAt.isValid());
    QVERIFY(!loaded.syncedAt.isValid());
    QVERIFY(loaded.lastErrorCode.isEmpty());
    QVERIFY(!loaded.hasError());
    TRY_VALUE(files, catalog->loadFiles(id));
    QCOMPARE(files, QList<EpisodeFileRecord>{file});

    // Setting values and clearing them again goes back to NULL.
    EpisodeRecord changed = fullEpisode(QStringLiteral("ignored"));
    changed.id = id;
    TRY(catalog->updateEpisode(changed));
    TRY(catalog->updateEpisode(loaded));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT last_error_code IS NULL AND next_retry_at IS NULL"
                                       " AND manifest_etag IS NULL AND synced_at IS NULL FROM episodes WHERE id = ?"),
                    {id})
                 .toInt(),
        1);
}

void TestCatalog::everyStateRoundTrips()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(id, catalog->insertEpisode(minimalEpisode(QStringLiteral("s")), {}));
    RawDb raw(catalog->filePath());
    const QList<std::pair<EpisodeState, QString>> states = {
        {EpisodeState::InProgress, QStringLiteral("in_progress")},
        {EpisodeState::Completed, QStringLiteral("completed")},
        {EpisodeState::Failed, QStringLiteral("failed")},
        {EpisodeState::Cancelled, QStringLiteral("cancelled")},
        {EpisodeState::Pending, QStringLiteral("pending")},
    };
    for (const auto &[state, name] : states) {
        EpisodeRecord episode = minimalEpisode(QStringLiteral("s"));
        episode.id = id;
        episode.state = state;
        TRY(catalog->updateEpisode(episode));
        TRY_VALUE(loaded, catalog->loadEpisode(id));
        QCOMPARE(loaded.state, state);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT status FROM episodes WHERE id = ?"), {id}).toString(), name);
    }
}

void TestCatalog::updateEpisodeChangesOnlyState()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    const EpisodeRecord original = minimalEpisode(QStringLiteral("keep-me"));
    TRY_VALUE(id, catalog->insertEpisode(original, {}));

    EpisodeRecord update = fullEpisode(QStringLiteral("renamed")); // name, path, sizes, created_at differ
    update.id = id;
    TRY(catalog->updateEpisode(update));

    TRY_VALUE(loaded, catalog->loadEpisode(id));
    EpisodeRecord expected = update;
    expected.name = original.name;
    expected.localPath = original.localPath;
    expected.totalBytes = original.totalBytes;
    expected.fileCount = original.fileCount;
    expected.createdAt = original.createdAt;
    QCOMPARE(loaded, expected);
}

void TestCatalog::duplicateNameIsConflictAndInsertsNothing()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(first, catalog->insertEpisode(minimalEpisode(QStringLiteral("dup")), {}));

    const auto second = catalog->insertEpisode(fullEpisode(QStringLiteral("dup")), sampleFiles());
    QVERIFY(!second.ok());
    QCOMPARE(second.error().code, CatalogError::Code::Conflict);
    QCOMPARE(second.error().message, QStringLiteral("an episode named 'dup' exists already"));

    RawDb raw(catalog->filePath());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM episodes")).toInt(), 1);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM episode_files")).toInt(), 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM file_parts")).toInt(), 0);
    TRY_VALUE(loaded, catalog->loadEpisode(first));
    QCOMPARE(loaded.localPath, minimalEpisode(QStringLiteral("dup")).localPath);
}

void TestCatalog::failedInsertLeavesNothing()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    // The second file repeats a path: the episode row and the first file were written already and must be rolled
    // back with it.
    QList<EpisodeFileRecord> files = sampleFiles();
    files.append(files.first());
    const auto result = catalog->insertEpisode(fullEpisode(QStringLiteral("half")), files);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, CatalogError::Code::Conflict);
    QVERIFY2(result.error().message.contains(QLatin1String("sensors/lidar.bin")), qPrintable(result.error().message));

    RawDb raw(catalog->filePath());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM episodes")).toInt(), 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM episode_files")).toInt(), 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM file_parts")).toInt(), 0);

    // Parts without the upload they belong to are refused, also atomically.
    QList<EpisodeFileRecord> orphanParts = sampleFiles();
    orphanParts[0].uploadId.clear();
    const auto orphan = catalog->insertEpisode(fullEpisode(QStringLiteral("orphan")), orphanParts);
    QVERIFY(!orphan.ok());
    QCOMPARE(orphan.error().code, CatalogError::Code::QueryFailed);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM episodes")).toInt(), 0);

    // The catalog is still usable afterwards (no transaction left open).
    TRY(catalog->insertEpisode(fullEpisode(QStringLiteral("half")), sampleFiles()));
}

void TestCatalog::unknownIdsAreNotFound()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(id, catalog->insertEpisode(minimalEpisode(QStringLiteral("known")), sampleFiles()));
    const qint64 unknown = id + 100;
    EpisodeRecord ghost = minimalEpisode(QStringLiteral("ghost"));
    ghost.id = unknown;
    const QString path = QStringLiteral("meta.json");
    const QString nope = QStringLiteral("nope.bin");
    const auto notFound = CatalogError::Code::NotFound;

    QCOMPARE(catalog->loadEpisode(unknown).error().code, notFound);
    QCOMPARE(catalog->updateEpisode(ghost).error().code, notFound);
    QCOMPARE(catalog->deleteEpisode(unknown).error().code, notFound);
    QCOMPARE(catalog->loadFiles(unknown).error().code, notFound);
    QCOMPARE(catalog->resetFiles(unknown).error().code, notFound);
    QCOMPARE(catalog->setFileUpload(unknown, path, QStringLiteral("u"), 5).error().code, notFound);
    QCOMPARE(catalog->setFileUpload(id, nope, QStringLiteral("u"), 5).error().code, notFound);
    QCOMPARE(catalog->addVerifiedPart(id, nope, part(1, 5, "aa")).error().code, notFound);
    QCOMPARE(catalog->setFileCompleted(id, nope, "aa").error().code, notFound);
    QCOMPARE(catalog->startAttempt(ghost, utcMs(1)).error().code, notFound);
    QVERIFY(catalog->loadEpisode(unknown).error().message.contains(QString::number(unknown)));

    SyncLogEntry log;
    log.id = 999;
    log.finishedAt = utcMs(2);
    EpisodeRecord known = minimalEpisode(QStringLiteral("known"));
    known.id = id;
    QCOMPARE(catalog->finishAttempt(known, log).error().code, notFound);

    RawDb raw(catalog->filePath());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM episodes")).toInt(), 1);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM sync_logs")).toInt(), 0);
    QCOMPARE(catalog->syncLogs(unknown, 0).value(), QList<SyncLogEntry>{});
}

void TestCatalog::setFileUploadKeepsOrDropsParts()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(id, catalog->insertEpisode(minimalEpisode(QStringLiteral("up")), sampleFiles()));
    const QString path = QStringLiteral("meta.json");
    const QString other = QStringLiteral("sensors/lidar.bin"); // has two parts of upload-1

    TRY(catalog->setFileUpload(id, path, QStringLiteral("u1"), 8LL * 1024 * 1024));
    // An OSS part keeps its CRC-64, all 64 bits of it (above INT64_MAX too: SQLite integers are signed).
    CompletedPart withCrc = part(2, 50, "a2");
    withCrc.crc64 = 0xF95DC9BBDF1939FAULL;
    TRY(catalog->addVerifiedPart(id, path, part(1, 100, "a1")));
    TRY(catalog->addVerifiedPart(id, path, withCrc));

    // The same upload id again (e.g. after a restart) keeps the verified parts.
    TRY(catalog->setFileUpload(id, path, QStringLiteral("u1"), 8LL * 1024 * 1024));
    {
        TRY_VALUE(files, catalog->loadFiles(id));
        QCOMPARE(files.at(1).relativePath, path);
        QCOMPARE(files.at(1).uploadId, QStringLiteral("u1"));
        QCOMPARE(files.at(1).partSize, 8LL * 1024 * 1024);
        QCOMPARE(files.at(1).parts, (QList<CompletedPart>{part(1, 100, "a1"), withCrc}));
        QVERIFY(!files.at(1).parts.at(0).crc64);
        QCOMPARE(files.at(1).parts.at(1).crc64, std::optional<quint64>(0xF95DC9BBDF1939FAULL));
    }

    // A new upload id drops them, in the table itself, and leaves the other file alone.
    TRY(catalog->setFileUpload(id, path, QStringLiteral("u2"), 16LL * 1024 * 1024));
    RawDb raw(catalog->filePath());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM file_parts WHERE relative_path = ?"), {path}).toInt(), 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM file_parts WHERE relative_path = ?"), {other}).toInt(), 2);
    {
        TRY_VALUE(files, catalog->loadFiles(id));
        QCOMPARE(fileNamed(files, path).uploadId, QStringLiteral("u2"));
        QCOMPARE(fileNamed(files, path).partSize, 16LL * 1024 * 1024);
        QVERIFY(fileNamed(files, path).parts.isEmpty());
        QCOMPARE(fileNamed(files, other).parts.size(), 2);
    }

    // A part row of another upload (left by an older build, say) is not reported as verified.
    QVERIFY(
        raw.exec(QStringLiteral("INSERT INTO file_parts VALUES (%1, 'meta.json', 'stale', 9, 1, 'ff', NULL)").arg(id)));
    {
        TRY_VALUE(files, catalog->loadFiles(id));
        QVERIFY(fileNamed(files, path).parts.isEmpty());
    }

    // Clearing the upload id drops every part and stores NULLs.
    TRY(catalog->addVerifiedPart(id, path, part(1, 100, "b1")));
    TRY(catalog->setFileUpload(id, path, QString(), 0));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM file_parts WHERE relative_path = ?"), {path}).toInt(), 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT upload_id IS NULL AND part_size IS NULL FROM episode_files"
                                       " WHERE relative_path = ?"),
                    {path})
                 .toInt(),
        1);
}

void TestCatalog::addVerifiedPartReplaces()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(id, catalog->insertEpisode(minimalEpisode(QStringLiteral("parts")), sampleFiles()));
    const QString path = QStringLiteral("camera/front.mp4");
    TRY(catalog->setFileUpload(id, path, QStringLiteral("u9"), 5 * 1024 * 1024));

    TRY(catalog->addVerifiedPart(id, path, part(3, 30, "c3")));
    TRY(catalog->addVerifiedPart(id, path, part(1, 10, "c1")));
    TRY(catalog->addVerifiedPart(id, path, part(2, 20, "c2")));
    TRY(catalog->addVerifiedPart(id, path, part(1, 11, "d1"))); // re-uploaded part 1 replaces the old one

    TRY_VALUE(files, catalog->loadFiles(id));
    QCOMPARE(files.at(0).relativePath, path);
    QCOMPARE(files.at(0).parts, (QList<CompletedPart>{part(1, 11, "d1"), part(2, 20, "c2"), part(3, 30, "c3")}));

    RawDb raw(catalog->filePath());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM file_parts WHERE relative_path = ?"), {path}).toInt(), 3);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM file_parts WHERE relative_path = ? AND upload_id = 'u9'"),
                    {path})
                 .toInt(),
        3);
}

void TestCatalog::addVerifiedPartNeedsUpload()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(id, catalog->insertEpisode(minimalEpisode(QStringLiteral("noup")), sampleFiles()));
    const auto result = catalog->addVerifiedPart(id, QStringLiteral("meta.json"), part(1, 5, "aa"));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, CatalogError::Code::QueryFailed);
    QVERIFY2(result.error().message.contains(QLatin1String("no multipart upload")), qPrintable(result.error().message));
    RawDb raw(catalog->filePath());
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT COUNT(*) FROM file_parts WHERE relative_path = 'meta.json'")).toInt(), 0);
}

void TestCatalog::setFileCompletedDropsResumeState()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(id, catalog->insertEpisode(minimalEpisode(QStringLiteral("done")), sampleFiles()));
    TRY(catalog->setFileUpload(id, QStringLiteral("meta.json"), QStringLiteral("m1"), 5 * 1024 * 1024));
    TRY(catalog->addVerifiedPart(id, QStringLiteral("meta.json"), part(1, 1, "m")));

    const QString path = QStringLiteral("sensors/lidar.bin");
    TRY(catalog->setFileCompleted(id, path, "e2fc714c4727ee9395f324cd2e7f331f-2"));

    TRY_VALUE(files, catalog->loadFiles(id));
    const EpisodeFileRecord &file = files.at(2);
    QCOMPARE(file.relativePath, path);
    QCOMPARE(file.etag, QByteArray("e2fc714c4727ee9395f324cd2e7f331f-2"));
    QVERIFY(file.uploadId.isEmpty());
    QCOMPARE(file.partSize, qint64(0));
    QVERIFY(file.parts.isEmpty());
    QCOMPARE(file.size, sampleFiles().at(0).size); // untouched

    RawDb raw(catalog->filePath());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM file_parts WHERE relative_path = ?"), {path}).toInt(), 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT upload_id IS NULL AND part_size IS NULL FROM episode_files"
                                       " WHERE relative_path = ?"),
                    {path})
                 .toInt(),
        1);
    // Another file's resume state is not touched.
    QCOMPARE(files.at(1).uploadId, QStringLiteral("m1"));
    QCOMPARE(files.at(1).parts.size(), 1);
}

// Issue 18: a file completed without a checkable ETag stays complete (also with none at all), the episode counts it,
// and a reset forgets it like any other completion.
void TestCatalog::uncheckedEtagIsKept()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(id, catalog->insertEpisode(minimalEpisode(QStringLiteral("unchecked")), sampleFiles()));
    TRY(catalog->setFileCompleted(id, QStringLiteral("sensors/lidar.bin"), "b62157da12bdfe93c7f08306f0141795", false));
    TRY(catalog->setFileCompleted(id, QStringLiteral("meta.json"), {}, false)); // the server gave no ETag at all

    TRY_VALUE(files, catalog->loadFiles(id));
    int unchecked = 0;
    for (const EpisodeFileRecord &file : std::as_const(files)) {
        if (!file.etagChecked) {
            ++unchecked;
            QVERIFY(file.isCompleted());
        }
    }
    QCOMPARE(unchecked, 2);
    TRY_VALUE(episode, catalog->loadEpisode(id));
    QCOMPARE(episode.etagsUnchecked, 2);

    TRY(catalog->resetFiles(id));
    TRY_VALUE(reset, catalog->loadFiles(id));
    for (const EpisodeFileRecord &file : std::as_const(reset))
        QVERIFY(file.etagChecked && !file.isCompleted());
    TRY_VALUE(after, catalog->loadEpisode(id));
    QCOMPARE(after.etagsUnchecked, 0);
}

void TestCatalog::resetFilesForgetsEverything()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(id, catalog->insertEpisode(minimalEpisode(QStringLiteral("reset")), sampleFiles()));
    TRY_VALUE(otherId, catalog->insertEpisode(minimalEpisode(QStringLiteral("other")), sampleFiles()));

    TRY(catalog->resetFiles(id));

    TRY_VALUE(files, catalog->loadFiles(id));
    QCOMPARE(files.size(), 3);
    const QList<EpisodeFileRecord> original = sampleFiles();
    for (const EpisodeFileRecord &file : files) {
        QVERIFY(file.etag.isEmpty());
        QVERIFY(file.uploadId.isEmpty());
        QCOMPARE(file.partSize, qint64(0));
        QVERIFY(file.parts.isEmpty());
        const auto match = std::find_if(
            original.begin(), original.end(), [&](const auto &o) { return o.relativePath == file.relativePath; });
        QVERIFY(match != original.end());
        QCOMPARE(file.size, match->size);
        QCOMPARE(file.mtimeMs, match->mtimeMs);
    }
    RawDb raw(catalog->filePath());
    QCOMPARE(raw.count(QStringLiteral("file_parts"), id), 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM episode_files WHERE episode_id = ?"
                                       " AND (etag IS NOT NULL OR upload_id IS NOT NULL OR part_size IS NOT NULL)"),
                    {id})
                 .toInt(),
        0);

    TRY_VALUE(otherFiles, catalog->loadFiles(otherId));
    QCOMPARE(fileNamed(otherFiles, QStringLiteral("camera/front.mp4")).etag, sampleFiles().at(1).etag);
    QCOMPARE(fileNamed(otherFiles, QStringLiteral("sensors/lidar.bin")).parts, sampleFiles().at(0).parts);
}

void TestCatalog::deleteEpisodeCascades()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(id, catalog->insertEpisode(fullEpisode(QStringLiteral("gone")), sampleFiles()));
    TRY_VALUE(keptId, catalog->insertEpisode(fullEpisode(QStringLiteral("kept")), sampleFiles()));
    for (qint64 each : {id, keptId}) {
        EpisodeRecord episode = fullEpisode(QStringLiteral("x"));
        episode.id = each;
        TRY(catalog->startAttempt(episode, utcMs(10)));
        TRY(catalog->startAttempt(episode, utcMs(20)));
    }

    RawDb raw(catalog->filePath());
    QCOMPARE(raw.count(QStringLiteral("episode_files"), id), 3);
    QCOMPARE(raw.count(QStringLiteral("file_parts"), id), 2);
    QCOMPARE(raw.count(QStringLiteral("sync_logs"), id), 2);

    TRY(catalog->deleteEpisode(id));

    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM episodes WHERE id = ?"), {id}).toInt(), 0);
    QCOMPARE(raw.count(QStringLiteral("episode_files"), id), 0);
    QCOMPARE(raw.count(QStringLiteral("file_parts"), id), 0);
    QCOMPARE(raw.count(QStringLiteral("sync_logs"), id), 0);
    QCOMPARE(raw.count(QStringLiteral("episode_files"), keptId), 3);
    QCOMPARE(raw.count(QStringLiteral("file_parts"), keptId), 2);
    QCOMPARE(raw.count(QStringLiteral("sync_logs"), keptId), 2);
    QCOMPARE(catalog->loadEpisode(id).error().code, CatalogError::Code::NotFound);
    QCOMPARE(catalog->deleteEpisode(id).error().code, CatalogError::Code::NotFound);
}

void TestCatalog::attemptRoundTrip()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(id, catalog->insertEpisode(minimalEpisode(QStringLiteral("try")), {}));

    EpisodeRecord running = minimalEpisode(QStringLiteral("try"));
    running.id = id;
    running.state = EpisodeState::InProgress;
    running.attempts = 1;
    const QDateTime startedAt = utcMs(1'710'000'000'001);
    TRY_VALUE(logId, catalog->startAttempt(running, startedAt));
    QVERIFY(logId > 0);
    running.attemptsMade = 1; // every sync_logs row is an attempt made, whatever the retry budget says

    TRY_VALUE(afterStart, catalog->loadEpisode(id));
    QCOMPARE(afterStart, running);
    SyncLogEntry open;
    open.id = logId;
    open.episodeId = id;
    open.startedAt = startedAt;
    TRY_VALUE(openLogs, catalog->syncLogs(id, 0));
    QCOMPARE(openLogs, QList<SyncLogEntry>{open});
    RawDb raw(catalog->filePath());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT finished_at IS NULL AND result IS NULL AND error_code IS NULL"
                                       " AND error_message IS NULL AND bytes_committed = 0 AND retryable = 0"
                                       " FROM sync_logs WHERE id = ?"),
                    {logId})
                 .toInt(),
        1);

    EpisodeRecord failed = running;
    failed.state = EpisodeState::Pending;
    failed.lastErrorCode = QStringLiteral("RequestTimeout");
    failed.lastErrorMessage = QStringLiteral("Your socket connection to the server was not read from");
    failed.nextRetryAt = utcMs(1'710'000'060'000);
    SyncLogEntry finished = open;
    finished.finishedAt = utcMs(1'710'000'030'999);
    finished.result = QStringLiteral("retry");
    finished.bytesCommitted = 6'000'000'000LL;
    finished.errorCode = QStringLiteral("RequestTimeout");
    finished.errorMessage = QStringLiteral("Your socket connection to the server was not read from");
    finished.retryable = true;
    TRY(catalog->finishAttempt(failed, finished));

    TRY_VALUE(afterFinish, catalog->loadEpisode(id));
    QCOMPARE(afterFinish, failed);
    TRY_VALUE(logs, catalog->syncLogs(id, 0));
    QCOMPARE(logs, QList<SyncLogEntry>{finished});
    QCOMPARE(logs.at(0).finishedAt.time().msec(), 999);

    // retryable false and empty texts go back to 0 / NULL.
    SyncLogEntry plain = finished;
    plain.retryable = false;
    plain.errorCode.clear();
    plain.errorMessage.clear();
    plain.result = QStringLiteral("completed");
    TRY(catalog->finishAttempt(failed, plain));
    QCOMPARE(catalog->syncLogs(id, 0).value(), QList<SyncLogEntry>{plain});
    QCOMPARE(raw.scalar(QStringLiteral("SELECT retryable = 0 AND error_code IS NULL AND error_message IS NULL"
                                       " FROM sync_logs WHERE id = ?"),
                    {logId})
                 .toInt(),
        1);
}

void TestCatalog::attemptsAreAtomic()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    const EpisodeRecord before = [&] {
        EpisodeRecord episode = minimalEpisode(QStringLiteral("atomic"));
        episode.id = catalog->insertEpisode(episode, {}).valueOr(0);
        return episode;
    }();
    QVERIFY(before.id > 0);
    TRY_VALUE(otherId, catalog->insertEpisode(minimalEpisode(QStringLiteral("other")), {}));
    EpisodeRecord other = minimalEpisode(QStringLiteral("other"));
    other.id = otherId;
    TRY_VALUE(otherLog, catalog->startAttempt(other, utcMs(5)));

    EpisodeRecord changed = before;
    changed.state = EpisodeState::InProgress;
    changed.attempts = 9;

    // The log row cannot be written (started_at is NOT NULL): the episode update is rolled back with it.
    const auto started = catalog->startAttempt(changed, QDateTime());
    QVERIFY(!started.ok());
    QCOMPARE(catalog->loadEpisode(before.id).value(), before);
    QCOMPARE(catalog->syncLogs(before.id, 0).value(), QList<SyncLogEntry>{});

    // Closing a log of another episode (or no log) fails, and the episode update is rolled back with it.
    SyncLogEntry log;
    log.id = otherLog;
    log.finishedAt = utcMs(6);
    log.result = QStringLiteral("completed");
    const auto finished = catalog->finishAttempt(changed, log);
    QCOMPARE(finished.error().code, CatalogError::Code::NotFound);
    QCOMPARE(catalog->loadEpisode(before.id).value(), before);
    TRY_VALUE(otherLogs, catalog->syncLogs(otherId, 0));
    QVERIFY(!otherLogs.at(0).finishedAt.isValid());
    QVERIFY(otherLogs.at(0).result.isEmpty());
}

void TestCatalog::closeInterruptedLogs()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    const QList<EpisodeRecord> episodes = insertEpisodes(*catalog, {QStringLiteral("a"), QStringLiteral("b")});
    QCOMPARE(episodes.size(), 2);
    TRY_VALUE(doneLog, catalog->startAttempt(episodes[0], utcMs(100)));
    SyncLogEntry done;
    done.id = doneLog;
    done.episodeId = episodes[0].id;
    done.startedAt = utcMs(100);
    done.finishedAt = utcMs(200);
    done.result = QStringLiteral("completed");
    done.bytesCommitted = 10;
    TRY(catalog->finishAttempt(episodes[0], done));
    TRY_VALUE(openA, catalog->startAttempt(episodes[0], utcMs(300)));
    TRY_VALUE(openB, catalog->startAttempt(episodes[1], utcMs(400)));

    const QDateTime now = utcMs(1'000'000);
    TRY_VALUE(closed, catalog->closeInterruptedLogs(now));
    QCOMPARE(closed, 2);

    TRY_VALUE(logs, catalog->syncLogs(0, 0));
    QCOMPARE(logs.size(), 3);
    for (const SyncLogEntry &log : logs) {
        if (log.id == doneLog) {
            QCOMPARE(log, done);
        } else {
            QVERIFY(log.id == openA || log.id == openB);
            QCOMPARE(log.finishedAt, now);
            QCOMPARE(log.result, QStringLiteral("interrupted"));
        }
    }
    TRY_VALUE(again, catalog->closeInterruptedLogs(utcMs(2'000'000)));
    QCOMPARE(again, 0);
}

void TestCatalog::syncLogsOrderAndLimit()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    const QList<EpisodeRecord> episodes = insertEpisodes(*catalog, {QStringLiteral("a"), QStringLiteral("b")});
    QCOMPARE(episodes.size(), 2);
    // Interleaved: a, b, a, b, a. The start times run backwards so that ordering by time would differ from by id.
    QList<qint64> idsA, idsB, all;
    for (int i = 0; i < 5; ++i) {
        const EpisodeRecord &episode = episodes[i % 2];
        TRY_VALUE(logId, catalog->startAttempt(episode, utcMs(10'000 - i)));
        (i % 2 ? idsB : idsA).prepend(logId);
        all.prepend(logId);
    }
    const auto idsOf = [](const QList<SyncLogEntry> &logs) {
        QList<qint64> ids;
        for (const SyncLogEntry &log : logs)
            ids.append(log.id);
        return ids;
    };
    QCOMPARE(idsOf(catalog->syncLogs(0, 0).value()), all);
    QCOMPARE(idsOf(catalog->syncLogs(0, -3).value()), all);
    QCOMPARE(idsOf(catalog->syncLogs(0, 2).value()), all.mid(0, 2));
    QCOMPARE(idsOf(catalog->syncLogs(episodes[0].id, 0).value()), idsA);
    QCOMPARE(idsOf(catalog->syncLogs(episodes[0].id, 2).value()), idsA.mid(0, 2));
    QCOMPARE(idsOf(catalog->syncLogs(episodes[1].id, 10).value()), idsB);
    TRY_VALUE(logsB, catalog->syncLogs(episodes[1].id, 0));
    for (const SyncLogEntry &log : logsB)
        QCOMPARE(log.episodeId, episodes[1].id);
}

void TestCatalog::reopenKeepsDataWithoutMigrating()
{
    QTemporaryDir dir;
    qint64 id = 0;
    qint64 logId = 0;
    EpisodeRecord episode = fullEpisode(QStringLiteral("persist"));
    {
        OPEN_CATALOG(catalog, dir.path());
        id = catalog->insertEpisode(episode, sampleFiles()).valueOr(0);
        QVERIFY(id > 0);
        episode.id = id;
        logId = catalog->startAttempt(episode, utcMs(77)).valueOr(0);
        QVERIFY(logId > 0);
        episode.attemptsMade = 1;
    }
    QString schemaBefore;
    {
        RawDb raw(dbPath(dir));
        schemaBefore = raw.scalar(QStringLiteral("SELECT group_concat(sql, ';') FROM"
                                                 " (SELECT sql FROM sqlite_master ORDER BY name)"))
                           .toString();
        QVERIFY(!schemaBefore.isEmpty());
    }
    {
        // Migrating again would fail on the existing tables ("table episodes already exists") or lose data.
        OPEN_CATALOG(catalog, dir.path());
        TRY_VALUE(loaded, catalog->loadEpisode(id));
        QCOMPARE(loaded, episode);
        TRY_VALUE(files, catalog->loadFiles(id));
        QCOMPARE(files.size(), 3);
        QCOMPARE(files.at(2).parts, sampleFiles().at(0).parts);
        TRY_VALUE(logs, catalog->syncLogs(0, 0));
        QCOMPARE(logs.size(), 1);
        QCOMPARE(logs.at(0).id, logId);
    }
    RawDb raw(dbPath(dir));
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), Catalog::kSchemaVersion);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT group_concat(sql, ';') FROM"
                                       " (SELECT sql FROM sqlite_master ORDER BY name)"))
                 .toString(),
        schemaBefore);
}

void TestCatalog::migrationIsOneTransaction()
{
    QTemporaryDir dir;
    {
        // A version-0 file in which the last step of the migration cannot succeed.
        RawDb raw(dbPath(dir));
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE sync_logs (x)")));
    }
    const auto result = Catalog::open(dir.path());
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, CatalogError::Code::QueryFailed);
    QVERIFY2(result.error().message.contains(QLatin1String("sync_logs")), qPrintable(result.error().message));

    RawDb raw(dbPath(dir));
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                                       " ('episodes', 'episode_files', 'file_parts')"))
                 .toInt(),
        0);
}

void TestCatalog::migrationFromVersion1KeepsData()
{
    QTemporaryDir dir;
    EpisodeRecord episode = fullEpisode(QStringLiteral("from-v1"));
    qint64 logId = 0;
    {
        OPEN_CATALOG(catalog, dir.path());
        TRY_VALUE(id, catalog->insertEpisode(episode, sampleFiles()));
        episode.id = id;
        logId = catalog->startAttempt(episode, utcMs(88)).valueOr(0);
        QVERIFY(logId > 0);
        episode.attemptsMade = 1;
    }
    {
        // Version 2 only added watched_folders and version 3 the parts' crc64: without both, this is exactly a
        // version-1 file.
        RawDb raw(dbPath(dir));
        QVERIFY(raw.exec(QStringLiteral("DROP TABLE watched_folders")));
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE file_parts DROP COLUMN crc64")));
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE episode_files DROP COLUMN device")));
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE episode_files DROP COLUMN inode")));
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE episode_files DROP COLUMN etag_checked"))); // v6
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE episodes DROP COLUMN paused"))); // v7
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 1")));
    }
    {
        OPEN_CATALOG(catalog, dir.path());
        TRY_VALUE(loaded, catalog->loadEpisode(episode.id));
        QCOMPARE(loaded, episode);
        TRY_VALUE(files, catalog->loadFiles(episode.id));
        QCOMPARE(files.size(), 3);
        QCOMPARE(fileNamed(files, QStringLiteral("sensors/lidar.bin")).parts, sampleFiles().at(0).parts);
        TRY_VALUE(logs, catalog->syncLogs(episode.id, 0));
        QCOMPARE(logs.size(), 1);
        QCOMPARE(logs.at(0).id, logId);
        TRY_VALUE(watched, catalog->watchedFolders());
        QVERIFY(watched.isEmpty());
        TRY(catalog->recordWatchedFolder(QStringLiteral("/watch/from-v1"), episode.id, utcMs(99)));
    }
    RawDb raw(dbPath(dir));
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), Catalog::kSchemaVersion);
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT episode_id FROM watched_folders WHERE path = '/watch/from-v1'")).toLongLong(),
        episode.id);
}

void TestCatalog::migrationFromVersion3KeepsRowsReferencesAndIds()
{
    // A version-3 file written by hand (the 'scanning' state and the priority column came with version 4; the
    // episodes table is rebuilt for them, with foreign keys off while it is).
    QTemporaryDir dir;
    {
        RawDb raw(dbPath(dir));
        QVERIFY(raw.isOpen());
        for (const char *sql : {
                 "CREATE TABLE episodes (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,"
                 " local_path TEXT NOT NULL, total_bytes INTEGER NOT NULL, file_count INTEGER NOT NULL,"
                 " created_at INTEGER NOT NULL, status TEXT NOT NULL"
                 " CHECK(status IN ('pending','in_progress','completed','failed','cancelled')),"
                 " attempts INTEGER NOT NULL DEFAULT 0, last_error_code TEXT, last_error_message TEXT,"
                 " next_retry_at INTEGER, cloud_bucket TEXT, cloud_key_prefix TEXT, manifest_etag TEXT,"
                 " synced_at INTEGER)",
                 "CREATE INDEX episodes_status_retry ON episodes(status, next_retry_at)",
                 "CREATE TABLE episode_files (episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,"
                 " relative_path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL, etag TEXT,"
                 " upload_id TEXT, part_size INTEGER, PRIMARY KEY(episode_id, relative_path))",
                 "CREATE TABLE file_parts (episode_id INTEGER NOT NULL, relative_path TEXT NOT NULL,"
                 " upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,"
                 " PRIMARY KEY(episode_id, relative_path, part_number), FOREIGN KEY(episode_id, relative_path)"
                 " REFERENCES episode_files(episode_id, relative_path) ON DELETE CASCADE)",
                 "CREATE TABLE sync_logs (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                 " episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,"
                 " started_at INTEGER NOT NULL, finished_at INTEGER, result TEXT,"
                 " bytes_committed INTEGER NOT NULL DEFAULT 0, error_code TEXT, error_message TEXT,"
                 " retryable INTEGER NOT NULL DEFAULT 0)",
                 "CREATE TABLE watched_folders (path TEXT PRIMARY KEY,"
                 " episode_id INTEGER REFERENCES episodes(id) ON DELETE SET NULL, registered_at INTEGER NOT NULL)",
                 "ALTER TABLE file_parts ADD COLUMN crc64 TEXT",
                 "INSERT INTO episodes (id, name, local_path, total_bytes, file_count, created_at, status)"
                 " VALUES (7, 'kept', '/data/kept', 300, 1, 1000, 'failed')",
                 "INSERT INTO episodes (id, name, local_path, total_bytes, file_count, created_at, status)"
                 " VALUES (9, 'deleted', '/data/deleted', 1, 1, 1000, 'pending')",
                 "DELETE FROM episodes WHERE id = 9", // the counter stays at 9: id 9 is never handed out again
                 "INSERT INTO episode_files VALUES (7, 'a.bin', 300, 5, NULL, 'upload-1', 100)",
                 "INSERT INTO file_parts VALUES (7, 'a.bin', 'upload-1', 1, 100, 'etag-1', NULL)",
                 "INSERT INTO sync_logs (episode_id, started_at, result) VALUES (7, 2000, 'failed')",
                 "INSERT INTO watched_folders VALUES ('/watch/kept', 7, 3000)",
                 "PRAGMA user_version = 3",
             })
            QVERIFY(raw.exec(QLatin1String(sql)));
    }
    {
        OPEN_CATALOG(catalog, dir.path());
        TRY_VALUE(kept, catalog->loadEpisode(7));
        QCOMPARE(kept.name, QStringLiteral("kept"));
        QCOMPARE(kept.state, EpisodeState::Failed);
        QCOMPARE(kept.priority, 0);
        QCOMPARE(kept.attemptsMade, 1);
        TRY_VALUE(files, catalog->loadFiles(7));
        QCOMPARE(files.size(), 1);
        QCOMPARE(files.first().parts.size(), 1);
        QCOMPARE(files.first().parts.first().etag, QByteArray("etag-1"));

        EpisodeRecord fresh = minimalEpisode(QStringLiteral("fresh"));
        fresh.state = EpisodeState::Scanning;
        TRY_VALUE(freshId, catalog->insertEpisode(fresh, {}));
        QCOMPARE(freshId, 10);
        TRY(catalog->setPriority(freshId, 5));
        TRY_VALUE(loaded, catalog->loadEpisode(freshId));
        QCOMPARE(loaded.state, EpisodeState::Scanning);
        QCOMPARE(loaded.priority, 5);

        // The children still refer to the rebuilt table: deleting the episode takes them along.
        TRY(catalog->deleteEpisode(7));
    }
    RawDb raw(dbPath(dir));
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), Catalog::kSchemaVersion);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM episode_files")).toInt(), 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM file_parts")).toInt(), 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM sync_logs")).toInt(), 0);
    QVERIFY(raw.scalar(QStringLiteral("SELECT episode_id FROM watched_folders")).isNull());
}

// Version 5 adds each file's device and inode. Rows from before have none: they are learnt when the file is first
// opened (setFileIdentity) or rescanned (replaceFiles), and a known identity is never overwritten; a rescan that
// finds another inode under the same size and mtime drops the row's resume state.
void TestCatalog::migrationFromVersion4LearnsIdentitiesLater()
{
    QTemporaryDir dir;
    qint64 id = 0;
    {
        OPEN_CATALOG(catalog, dir.path());
        TRY_VALUE(inserted, catalog->insertEpisode(minimalEpisode(QStringLiteral("from-v4")), sampleFiles()));
        id = inserted;
    }
    {
        RawDb raw(dbPath(dir));
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE episode_files DROP COLUMN device")));
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE episode_files DROP COLUMN inode")));
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE episode_files DROP COLUMN etag_checked"))); // v6
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE episodes DROP COLUMN paused"))); // v7
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 4")));
    }
    const QString lidar = QStringLiteral("sensors/lidar.bin");
    const QString front = QStringLiteral("camera/front.mp4");
    {
        OPEN_CATALOG(catalog, dir.path());
        TRY_VALUE(files, catalog->loadFiles(id));
        QCOMPARE(files.size(), 3);
        for (const EpisodeFileRecord &file : files)
            QVERIFY(!file.knowsInode());
        QCOMPARE(fileNamed(files, lidar).parts, sampleFiles().at(0).parts); // resume state kept

        FileIdentity found = fileNamed(files, lidar).identity();
        found.device = 42;
        found.inode = 4242;
        TRY(catalog->setFileIdentity(id, lidar, found));
        FileIdentity other = found;
        other.inode = 99;
        TRY(catalog->setFileIdentity(id, lidar, other)); // known: kept
        TRY_VALUE(learnt, catalog->loadFiles(id));
        QCOMPARE(fileNamed(learnt, lidar).device, 42ULL);
        QCOMPARE(fileNamed(learnt, lidar).inode, 4242ULL);

        // A rescan: lidar is another file now (same size and mtime, another inode), front.mp4 has its first inode.
        QList<EpisodeFileRecord> now = learnt;
        for (EpisodeFileRecord &file : now) {
            file.etag.clear();
            file.uploadId.clear();
            file.partSize = 0;
            file.parts.clear();
            file.device = 42;
            file.inode = file.relativePath == lidar ? 5000 : 6000 + quint64(file.relativePath.size());
        }
        TRY(catalog->replaceFiles(id, now));
        TRY_VALUE(rescanned, catalog->loadFiles(id));
        QCOMPARE(fileNamed(rescanned, lidar).inode, 5000ULL);
        QVERIFY(fileNamed(rescanned, lidar).uploadId.isEmpty()); // not the file whose parts were verified
        QVERIFY(fileNamed(rescanned, lidar).parts.isEmpty());
        QCOMPARE(fileNamed(rescanned, front).etag, sampleFiles().at(1).etag); // the same file: completed still
        QCOMPARE(fileNamed(rescanned, front).inode, 6000ULL + quint64(front.size()));
    }
    RawDb raw(dbPath(dir));
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), Catalog::kSchemaVersion);
}

// Version 7 adds the operator's per-episode pause: every episode from before is not paused, and the flag is then
// written and read like the rest of the state.
void TestCatalog::migrationFromVersion6AddsPausedUnset()
{
    QTemporaryDir dir;
    EpisodeRecord episode = fullEpisode(QStringLiteral("from-v6"));
    {
        OPEN_CATALOG(catalog, dir.path());
        TRY_VALUE(id, catalog->insertEpisode(episode, sampleFiles()));
        episode.id = id;
    }
    {
        RawDb raw(dbPath(dir));
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE episodes DROP COLUMN paused")));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 6")));
    }
    {
        OPEN_CATALOG(catalog, dir.path());
        TRY_VALUE(loaded, catalog->loadEpisode(episode.id));
        QCOMPARE(loaded, episode);
        QVERIFY(!loaded.paused);
        loaded.state = EpisodeState::Pending;
        loaded.paused = true;
        TRY(catalog->updateEpisode(loaded));
    }
    RawDb raw(dbPath(dir));
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), Catalog::kSchemaVersion);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT paused FROM episodes WHERE id = %1").arg(episode.id)).toInt(), 1);
}

// Written by insert, update and both halves of an attempt; read back by every loader.
void TestCatalog::pausedFlagRoundTrips()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    EpisodeRecord episode = minimalEpisode(QStringLiteral("paused"));
    episode.paused = true;
    TRY_VALUE(id, catalog->insertEpisode(episode, {}));
    episode.id = id;
    TRY_VALUE(inserted, catalog->loadEpisode(id));
    QVERIFY(inserted.paused);

    episode.paused = false;
    TRY(catalog->updateEpisode(episode));
    TRY_VALUE(updated, catalog->loadEpisode(id));
    QVERIFY(!updated.paused);

    episode.state = EpisodeState::InProgress;
    episode.paused = true; // paused while its attempt runs: the catalog knows before the attempt stops
    TRY_VALUE(logId, catalog->startAttempt(episode, utcMs(10)));
    TRY_VALUE(all, catalog->loadEpisodes());
    QCOMPARE(all.size(), 1);
    QVERIFY(all.first().paused);

    episode.state = EpisodeState::Pending;
    SyncLogEntry log;
    log.id = logId;
    log.episodeId = id;
    log.startedAt = utcMs(10);
    log.finishedAt = utcMs(20);
    log.result = QStringLiteral("paused");
    TRY(catalog->finishAttempt(episode, log));
    TRY_VALUE(finished, catalog->loadEpisode(id));
    QCOMPARE(finished.state, EpisodeState::Pending);
    QVERIFY(finished.paused);
    RawDb raw(dbPath(dir));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT paused FROM episodes WHERE id = %1").arg(id)).toInt(), 1);
}

void TestCatalog::allFilesAtOnceEqualEachEpisodesFiles()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(first, catalog->insertEpisode(minimalEpisode(QStringLiteral("first")), sampleFiles()));
    EpisodeRecord scanning = minimalEpisode(QStringLiteral("no-files-yet"));
    scanning.state = EpisodeState::Scanning;
    TRY_VALUE(empty, catalog->insertEpisode(scanning, {}));
    QList<EpisodeFileRecord> other = sampleFiles();
    other.removeFirst();
    TRY_VALUE(second, catalog->insertEpisode(minimalEpisode(QStringLiteral("second")), other));

    TRY_VALUE(all, catalog->loadAllFiles());
    QCOMPARE(all.size(), 2);
    QVERIFY(!all.contains(empty));
    for (const qint64 id : {first, second}) {
        TRY_VALUE(files, catalog->loadFiles(id));
        QCOMPARE(all.value(id), files);
    }
    QVERIFY(std::any_of(all.value(first).cbegin(), all.value(first).cend(),
        [](const EpisodeFileRecord &file) { return !file.parts.isEmpty(); })); // the parts came along
}

void TestCatalog::watchedFolderOutlivesItsEpisode()
{
    QTemporaryDir dir;
    const QString path = QStringLiteral("/watch/ünï-7");
    qint64 id = 0;
    {
        OPEN_CATALOG(catalog, dir.path());
        id = catalog->insertEpisode(minimalEpisode(QStringLiteral("w")), sampleFiles(), path).valueOr(0);
        QVERIFY(id > 0);
        TRY_VALUE(watched, catalog->watchedFolders());
        QCOMPARE(watched, QStringList{path});
        TRY(catalog->deleteEpisode(id));
        // The user removed the episode: the folder stays known, so the watch does not bring it back.
        TRY_VALUE(after, catalog->watchedFolders());
        QCOMPARE(after, QStringList{path});
    }
    RawDb raw(dbPath(dir));
    QVERIFY(raw.scalar(QStringLiteral("SELECT episode_id FROM watched_folders WHERE path = ?"), {path}).isNull());
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT registered_at FROM watched_folders WHERE path = ?"), {path}).toLongLong(),
        minimalEpisode(QStringLiteral("w")).createdAt.toMSecsSinceEpoch());
}

void TestCatalog::watchedFolderIsRecordedOnce()
{
    QTemporaryDir dir;
    OPEN_CATALOG(catalog, dir.path());
    const QString path = QStringLiteral("/watch/once");
    TRY(catalog->insertEpisode(minimalEpisode(QStringLiteral("once")), {}, path));
    // A second episode for the same folder is refused as a whole: no episode row without its watch record.
    const auto again = catalog->insertEpisode(minimalEpisode(QStringLiteral("once-2")), sampleFiles(), path);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().code, CatalogError::Code::Conflict);
    TRY_VALUE(episodes, catalog->loadEpisodes());
    QCOMPARE(episodes.size(), 1);
    QCOMPARE(episodes.first().name, QStringLiteral("once"));
}

void TestCatalog::connectionsAreIndependent()
{
    QTemporaryDir dir;
    const QStringList before = QSqlDatabase::connectionNames();
    OPEN_CATALOG(first, dir.path());
    {
        OPEN_CATALOG(second, dir.path());
        QCOMPARE(QSqlDatabase::connectionNames().size(), before.size() + 2);
        TRY(second->insertEpisode(minimalEpisode(QStringLiteral("from-second")), {}));
    }
    // Destroying the second catalog removed its connection only.
    QCOMPARE(QSqlDatabase::connectionNames().size(), before.size() + 1);
    TRY_VALUE(episodes, first->loadEpisodes());
    QCOMPARE(episodes.size(), 1);
    QCOMPARE(episodes.at(0).name, QStringLiteral("from-second"));
    first.reset();
    QCOMPARE(QSqlDatabase::connectionNames(), before);
}

void TestCatalog::openFailed_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("file in the way") << QStringLiteral("file");
    QTest::newRow("below a file") << QStringLiteral("below");
    QTest::newRow("database is a directory") << QStringLiteral("dbdir");
}

void TestCatalog::openFailed()
{
    QFETCH(QString, kind);
    QTemporaryDir dir;
    const QString blocker = dir.filePath(QStringLiteral("blocker"));
    const QByteArray blockerBytes("not a directory");
    QString dataDir;
    if (kind == QLatin1String("file")) {
        QVERIFY(writeFile(blocker, blockerBytes));
        dataDir = blocker;
    } else if (kind == QLatin1String("below")) {
        QVERIFY(writeFile(blocker, blockerBytes));
        dataDir = blocker + QStringLiteral("/data");
    } else {
        dataDir = dir.path();
        QVERIFY(QDir().mkpath(dbPath(dir)));
    }

    // (An unwritable directory is not among the cases: tests may run as root, which ignores permissions.)
    const auto result = Catalog::open(dataDir);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, CatalogError::Code::OpenFailed);
    QVERIFY(!result.error().message.isEmpty());
    if (kind == QLatin1String("file") || kind == QLatin1String("below"))
        QCOMPARE(readAll(blocker), blockerBytes);
}

void TestCatalog::locked_data()
{
    QTest::addColumn<bool>("wal");
    QTest::newRow("rollback-journal file, BEGIN EXCLUSIVE") << false;
    QTest::newRow("catalog in WAL, exclusive locking mode") << true;
}

// Another process holding the database exclusively: open waits for the busy timeout (5 s), then gives up without
// writing anything.
void TestCatalog::locked()
{
    QFETCH(bool, wal);
    QTemporaryDir dir;
    if (wal) {
        OPEN_CATALOG(catalog, dir.path());
        TRY(catalog->insertEpisode(minimalEpisode(QStringLiteral("survivor")), {}));
    } else {
        RawDb raw(dbPath(dir));
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE something (x)")));
    }
    const QByteArray bytesBefore = readAll(dbPath(dir));

    {
        RawDb holder(dbPath(dir));
        if (wal)
            QVERIFY(holder.exec(QStringLiteral("PRAGMA locking_mode=EXCLUSIVE")));
        QVERIFY(holder.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        if (wal) // in WAL mode the exclusive lock comes with the first write
            QVERIFY(holder.exec(QStringLiteral("CREATE TABLE holder (x)")));

        QElapsedTimer timer;
        timer.start();
        const auto result = Catalog::open(dir.path());
        const qint64 waited = timer.elapsed();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, CatalogError::Code::Locked);
        QVERIFY2(waited >= 4500, qPrintable(QStringLiteral("gave up after %1 ms").arg(waited)));
        QVERIFY2(waited < 20000, qPrintable(QStringLiteral("waited %1 ms").arg(waited)));
        QVERIFY(holder.exec(QStringLiteral("ROLLBACK")));
    }
    // Not read while the holder's lock was held: closing any descriptor of the file drops the process's locks.
    if (!wal)
        QCOMPARE(readAll(dbPath(dir)), bytesBefore);

    // Once the lock is gone, the same file opens.
    OPEN_CATALOG(catalog, dir.path());
    TRY_VALUE(episodes, catalog->loadEpisodes());
    QCOMPARE(episodes.size(), wal ? 1 : 0);
}

void TestCatalog::corruptGarbage()
{
    QTemporaryDir dir;
    QByteArray garbage;
    for (int i = 0; i < 8192; ++i)
        garbage.append(char((i * 37 + 11) & 0xff));
    QVERIFY(writeFile(dbPath(dir), garbage));

    const auto result = Catalog::open(dir.path());
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, CatalogError::Code::Corrupt);
    QVERIFY2(result.error().message.contains(dbPath(dir)), qPrintable(result.error().message));
    QCOMPARE(readAll(dbPath(dir)), garbage);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("catalog.sqlite")});
}

// A valid header with a damaged table page: only PRAGMA quick_check notices at open.
void TestCatalog::corruptPage()
{
    QTemporaryDir dir;
    {
        OPEN_CATALOG(catalog, dir.path());
        for (int i = 0; i < 20; ++i)
            TRY(catalog->insertEpisode(fullEpisode(QStringLiteral("ep-%1").arg(i)), sampleFiles()));
    }
    qint64 pageSize = 0;
    qint64 rootPage = 0;
    {
        RawDb raw(dbPath(dir));
        pageSize = raw.scalar(QStringLiteral("PRAGMA page_size")).toLongLong();
        rootPage = raw.scalar(QStringLiteral("SELECT rootpage FROM sqlite_master WHERE name = 'episode_files'"))
                       .toLongLong();
    }
    QVERIFY(pageSize > 0);
    QVERIFY(rootPage > 1);
    QByteArray bytes = readAll(dbPath(dir));
    QVERIFY(bytes.size() >= rootPage * pageSize);
    bytes.replace((rootPage - 1) * pageSize, pageSize, QByteArray(pageSize, char(0xff)));
    QVERIFY(writeFile(dbPath(dir), bytes));

    const auto result = Catalog::open(dir.path());
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, CatalogError::Code::Corrupt);
    QCOMPARE(readAll(dbPath(dir)), bytes);
}

void TestCatalog::newerSchema()
{
    QTemporaryDir dir;
    {
        RawDb raw(dbPath(dir));
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE future (x)")));
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO future VALUES (42)")));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 8")));
    }
    const QByteArray before = readAll(dbPath(dir));

    const auto result = Catalog::open(dir.path());
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, CatalogError::Code::NewerSchema);
    QVERIFY2(result.error().message.contains(QLatin1String("version 8")), qPrintable(result.error().message));
    QVERIFY2(result.error().message.contains(QStringLiteral("version %1").arg(Catalog::kSchemaVersion)),
        qPrintable(result.error().message));
    QCOMPARE(readAll(dbPath(dir)), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("catalog.sqlite")});
}

void TestCatalog::secondThreadSeesCommittedWrites()
{
    QTemporaryDir dir;
    OPEN_CATALOG(mainCatalog, dir.path());
    TRY_VALUE(mainId, mainCatalog->insertEpisode(fullEpisode(QStringLiteral("from-main")), sampleFiles()));

    // QTest macros are for the test thread; the worker only records what it saw.
    bool workerOpened = false;
    QStringList workerSaw;
    int workerFiles = -1;
    qint64 workerId = 0;
    QString workerError;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        auto catalog = Catalog::open(dir.path());
        if (!catalog) {
            workerError = catalog.error().message;
            return;
        }
        workerOpened = true;
        const auto episodes = catalog.value()->loadEpisodes();
        for (const EpisodeRecord &episode : episodes.valueOr({}))
            workerSaw.append(episode.name);
        workerFiles = int(catalog.value()->loadFiles(mainId).valueOr({}).size());
        const auto inserted = catalog.value()->insertEpisode(minimalEpisode(QStringLiteral("from-worker")), {});
        if (inserted)
            workerId = inserted.value();
        else
            workerError = inserted.error().message;
    }));
    worker->start();
    QVERIFY(worker->wait(30000));

    QVERIFY2(workerOpened, qPrintable(workerError));
    QCOMPARE(workerSaw, QStringList{QStringLiteral("from-main")});
    QCOMPARE(workerFiles, 3);
    QVERIFY2(workerId > 0, qPrintable(workerError));
    // The main thread's connection, still open all along, sees the worker's commit.
    TRY_VALUE(fromWorker, mainCatalog->loadEpisode(workerId));
    QCOMPARE(fromWorker.name, QStringLiteral("from-worker"));
}

// A new data directory is 0700 and the catalog with its -wal and -shm 0600, from their creation on.
void TestCatalog::filesAreOwnerOnly()
{
    const UsualUmask umask;
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("parent/data")); // neither exists yet
    auto catalog = Catalog::open(dataDir);
    QVERIFY2(catalog.ok(), qPrintable(catalog.error().message));
    QVERIFY(catalog.value()->insertEpisode(minimalEpisode(QStringLiteral("modes")), {}).ok()); // the WAL gets written
    const QString path = catalog.value()->filePath();
    QCOMPARE(modeOf(dataDir), mode_t(0700));
    QCOMPARE(modeOf(path), mode_t(0600));
    QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
    QCOMPARE(modeOf(path + QStringLiteral("-wal")), mode_t(0600));
    QCOMPARE(modeOf(path + QStringLiteral("-shm")), mode_t(0600));
}

// Modes found looser (an older version, a copy by hand) are narrowed at open, each with a warning that names the
// file and both modes; the owner's bits stay as they were.
void TestCatalog::looseModesAreNarrowedWithAWarning()
{
    const UsualUmask umask;
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("data"));
    auto first = Catalog::open(dataDir); // kept open, so that -wal and -shm exist
    QVERIFY2(first.ok(), qPrintable(first.error().message));
    QVERIFY(first.value()->insertEpisode(minimalEpisode(QStringLiteral("loose")), {}).ok());
    const QString path = first.value()->filePath();
    const QStringList files{path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")};
    QVERIFY(::chmod(QFile::encodeName(dataDir).constData(), 0755) == 0);
    for (const QString &file : files)
        QVERIFY(::chmod(QFile::encodeName(file).constData(), 0644) == 0);

    QTest::ignoreMessage(
        QtWarningMsg, qPrintable(dataDir + " had mode 0755, open to group or others; narrowed to 0700"));
    for (const QString &file : files)
        QTest::ignoreMessage(
            QtWarningMsg, qPrintable(file + " had mode 0644, open to group or others; narrowed to 0600"));
    auto second = Catalog::open(dataDir);
    QVERIFY2(second.ok(), qPrintable(second.error().message));
    QCOMPARE(modeOf(dataDir), mode_t(0700));
    for (const QString &file : files)
        QCOMPARE(modeOf(file), mode_t(0600));
    QCOMPARE(second.value()->loadEpisodes().value().size(), 1); // narrowed, not recreated

    // A shared directory (as /tmp given as the data directory) is not narrowed: only warned about.
    const QString shared = dir.filePath(QStringLiteral("shared"));
    QVERIFY(QDir().mkpath(shared));
    QVERIFY(::chmod(QFile::encodeName(shared).constData(), 01777) == 0);
    QTest::ignoreMessage(QtWarningMsg,
        qPrintable(shared
            + " has mode 1777, open to group or others, and is not narrowed to 1700: it is a shared directory (sticky "
              "bit); give Keystone Console a directory of its own"));
    auto inShared = Catalog::open(shared);
    QVERIFY2(inShared.ok(), qPrintable(inShared.error().message));
    QCOMPARE(modeOf(shared), mode_t(01777));
}

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"

#include "catalog.h"

#include "core/owneronlypaths.h"

#include <atomic>
#include <utility>

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

Q_LOGGING_CATEGORY(lcCatalog, "keystone.catalog", QtWarningMsg)

namespace {

// One entry per schema version: kMigrations[n] takes a catalog from user_version n to n + 1. A new version appends
// an entry (and bumps Catalog::kSchemaVersion); released entries never change.
const QList<QStringList> kMigrations = {
    // 0 -> 1
    {
        QStringLiteral("CREATE TABLE episodes ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " name TEXT NOT NULL UNIQUE,"
                       " local_path TEXT NOT NULL,"
                       " total_bytes INTEGER NOT NULL,"
                       " file_count INTEGER NOT NULL,"
                       " created_at INTEGER NOT NULL,"
                       " status TEXT NOT NULL"
                       "  CHECK(status IN ('pending','in_progress','completed','failed','cancelled')),"
                       " attempts INTEGER NOT NULL DEFAULT 0,"
                       " last_error_code TEXT,"
                       " last_error_message TEXT,"
                       " next_retry_at INTEGER,"
                       " cloud_bucket TEXT,"
                       " cloud_key_prefix TEXT,"
                       " manifest_etag TEXT,"
                       " synced_at INTEGER)"),
        QStringLiteral("CREATE INDEX episodes_status_retry ON episodes(status, next_retry_at)"),
        QStringLiteral("CREATE TABLE episode_files ("
                       " episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,"
                       " relative_path TEXT NOT NULL,"
                       " size INTEGER NOT NULL,"
                       " mtime_ms INTEGER NOT NULL,"
                       " etag TEXT,"
                       " upload_id TEXT,"
                       " part_size INTEGER,"
                       " PRIMARY KEY(episode_id, relative_path))"),
        QStringLiteral("CREATE TABLE file_parts ("
                       " episode_id INTEGER NOT NULL,"
                       " relative_path TEXT NOT NULL,"
                       " upload_id TEXT NOT NULL,"
                       " part_number INTEGER NOT NULL,"
                       " size INTEGER NOT NULL,"
                       " etag TEXT NOT NULL,"
                       " PRIMARY KEY(episode_id, relative_path, part_number),"
                       " FOREIGN KEY(episode_id, relative_path)"
                       "  REFERENCES episode_files(episode_id, relative_path) ON DELETE CASCADE)"),
        QStringLiteral("CREATE TABLE sync_logs ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,"
                       " started_at INTEGER NOT NULL,"
                       " finished_at INTEGER,"
                       " result TEXT,"
                       " bytes_committed INTEGER NOT NULL DEFAULT 0,"
                       " error_code TEXT,"
                       " error_message TEXT,"
                       " retryable INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE INDEX sync_logs_episode ON sync_logs(episode_id, id)"),
    },
    // 1 -> 2: the folder watch's memory. A row outlives its episode (SET NULL), so a folder the user removed from
    // the catalog is not registered again.
    {
        QStringLiteral("CREATE TABLE watched_folders ("
                       " path TEXT PRIMARY KEY,"
                       " episode_id INTEGER REFERENCES episodes(id) ON DELETE SET NULL,"
                       " registered_at INTEGER NOT NULL)"),
    },
    // 2 -> 3: OSS parts keep the CRC-64 verified when they were acknowledged (decimal text: SQLite integers are
    // signed), so a resumed upload can still check the whole object's CRC at Complete. NULL for S3 parts.
    {
        QStringLiteral("ALTER TABLE file_parts ADD COLUMN crc64 TEXT"),
    },
    // 3 -> 4: the 'scanning' state (a registration whose files are still being listed) and a per-episode priority
    // (higher starts first). SQLite cannot change a CHECK constraint in place, so the table is rebuilt the way its
    // documentation prescribes (migrate() runs with foreign keys off and checks them before committing). The
    // AUTOINCREMENT counter is carried over so that ids of deleted episodes are never handed out again.
    {
        QStringLiteral("CREATE TABLE episodes_v4 ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " name TEXT NOT NULL UNIQUE,"
                       " local_path TEXT NOT NULL,"
                       " total_bytes INTEGER NOT NULL,"
                       " file_count INTEGER NOT NULL,"
                       " created_at INTEGER NOT NULL,"
                       " status TEXT NOT NULL"
                       "  CHECK(status IN ('scanning','pending','in_progress','completed','failed','cancelled')),"
                       " attempts INTEGER NOT NULL DEFAULT 0,"
                       " last_error_code TEXT,"
                       " last_error_message TEXT,"
                       " next_retry_at INTEGER,"
                       " cloud_bucket TEXT,"
                       " cloud_key_prefix TEXT,"
                       " manifest_etag TEXT,"
                       " synced_at INTEGER,"
                       " priority INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("INSERT INTO episodes_v4 (id, name, local_path, total_bytes, file_count, created_at, status,"
                       " attempts, last_error_code, last_error_message, next_retry_at, cloud_bucket, cloud_key_prefix,"
                       " manifest_etag, synced_at)"
                       " SELECT id, name, local_path, total_bytes, file_count, created_at, status, attempts,"
                       " last_error_code, last_error_message, next_retry_at, cloud_bucket, cloud_key_prefix,"
                       " manifest_etag, synced_at FROM episodes"),
        QStringLiteral("DELETE FROM sqlite_sequence WHERE name = 'episodes_v4'"),
        QStringLiteral("INSERT INTO sqlite_sequence (name, seq) SELECT 'episodes_v4', MAX(seq) FROM ("
                       " SELECT seq FROM sqlite_sequence WHERE name = 'episodes'"
                       " UNION ALL SELECT MAX(id) FROM episodes_v4) WHERE seq IS NOT NULL HAVING COUNT(*) > 0"),
        QStringLiteral("DROP TABLE episodes"),
        QStringLiteral("ALTER TABLE episodes_v4 RENAME TO episodes"),
        QStringLiteral("CREATE INDEX episodes_status_retry ON episodes(status, next_retry_at)"),
    },
    // 4 -> 5: the device and inode of each file at registration, so that a file swapped for another one with the
    // same size and mtime (a rename over it, a link) is not uploaded. NULL for rows from before: filled in when the
    // file is first opened for upload (Catalog::setFileIdentity), compared from then on.
    {
        QStringLiteral("ALTER TABLE episode_files ADD COLUMN device INTEGER"),
        QStringLiteral("ALTER TABLE episode_files ADD COLUMN inode INTEGER"),
    },
    // 5 -> 6: 0 for a file completed without a checkable ETag (the server gave none, or one not made from the parts'
    // MD5s, issue 18); NULL otherwise (checked, or not complete). Such a file is complete even with a NULL etag.
    {
        QStringLiteral("ALTER TABLE episode_files ADD COLUMN etag_checked INTEGER"),
    },
    // 6 -> 7: an episode an operator paused (1): it stays pending and is not started until resumed. Kept across
    // restarts and crashes like the rest of its state.
    {
        QStringLiteral("ALTER TABLE episodes ADD COLUMN paused INTEGER NOT NULL DEFAULT 0"),
    },
};

// How long a statement waits for another connection's lock before failing with Locked. Qt's default happens to
// be the same; it is set explicitly so it does not depend on that.
constexpr int kBusyTimeoutMs = 5000;

// SQLite primary result codes (Qt enables extended codes, so the low byte is compared).
enum SqliteCode {
    SqlitePerm = 3,
    SqliteBusy = 5,
    SqliteLocked = 6,
    SqliteReadOnly = 8,
    SqliteCorrupt = 11,
    SqliteCantOpen = 14,
    SqliteConstraint = 19,
    SqliteAuth = 23,
    SqliteNotADb = 26,
};

CatalogError makeError(CatalogError::Code code, const QString &message)
{
    return CatalogError{code, message};
}

CatalogError toCatalogError(const QSqlError &error, const QString &what)
{
    bool isNumber = false;
    const int native = error.nativeErrorCode().toInt(&isNumber);
    CatalogError::Code code = CatalogError::Code::QueryFailed;
    if (isNumber) {
        switch (native & 0xff) {
        case SqliteBusy:
        case SqliteLocked:
            code = CatalogError::Code::Locked;
            break;
        case SqliteCorrupt:
        case SqliteNotADb:
            code = CatalogError::Code::Corrupt;
            break;
        case SqlitePerm:
        case SqliteReadOnly:
        case SqliteCantOpen:
        case SqliteAuth:
            code = CatalogError::Code::OpenFailed;
            break;
        case SqliteConstraint:
            code = CatalogError::Code::Conflict;
            break;
        default:
            break;
        }
    }
    return makeError(code, QStringLiteral("%1: %2").arg(what, error.text().trimmed()));
}

// Empty strings, invalid dates and zero sizes are NULL in the catalog. A typed null variant binds as SQL NULL.
QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

// ETags are ASCII in practice; Latin-1 keeps any byte sequence round-tripping exactly.
QVariant etagOrNull(const QByteArray &etag)
{
    return etag.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(QString::fromLatin1(etag));
}

// etag_checked: 0 only for a file completed without a checkable ETag; NULL for everything else.
QVariant etagCheckedOrNull(bool checked)
{
    return checked ? QVariant(QMetaType::fromType<int>()) : QVariant(0);
}

QVariant msOrNull(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QVariant positiveOrNull(qint64 value)
{
    return value > 0 ? QVariant(value) : QVariant(QMetaType::fromType<qint64>());
}

// device / inode of a file: NULL while the inode is not known. SQLite integers are signed: the bits are kept.
QVariant identityOrNull(const EpisodeFileRecord &file, quint64 value)
{
    return file.knowsInode() ? QVariant(qint64(value)) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime timeFrom(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant crc64OrNull(const std::optional<quint64> &crc)
{
    return crc ? QVariant(QString::number(*crc)) : QVariant(QMetaType::fromType<QString>());
}

std::optional<quint64> crc64From(const QVariant &value)
{
    bool ok = false;
    const quint64 crc = value.toString().toULongLong(&ok);
    return value.isNull() || !ok ? std::nullopt : std::optional<quint64>(crc);
}

QByteArray etagFrom(const QVariant &value)
{
    return value.isNull() ? QByteArray() : value.toString().toLatin1();
}

// Prepares `sql` (placeholders only, never values), binds `values` in order and executes it.
CatalogResult<QSqlQuery> runQuery(
    const QSqlDatabase &db, const QString &sql, const QVariantList &values, const QString &what)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return toCatalogError(query.lastError(), what);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        return toCatalogError(query.lastError(), what);
    return CatalogResult<QSqlQuery>(std::move(query));
}

// Rolls back unless commit() succeeded, so every early error return leaves the catalog as it was.
class Transaction
{
public:
    enum class Mode {
        Read, // BEGIN: a consistent snapshot for several SELECTs
        Write, // BEGIN IMMEDIATE: takes the write lock up front, so a later write never fails on a stale snapshot
    };

    explicit Transaction(const QSqlDatabase &db)
        : m_db(db)
    { }
    ~Transaction()
    {
        if (!m_active)
            return;
        QSqlQuery rollback(m_db);
        if (!rollback.exec(QStringLiteral("ROLLBACK")))
            qCWarning(lcCatalog) << "rollback failed:" << rollback.lastError().text();
    }
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    CatalogResult<void> begin(Mode mode)
    {
        const QString sql = mode == Mode::Write ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN");
        auto result = runQuery(m_db, sql, {}, QStringLiteral("cannot begin a transaction"));
        if (!result)
            return result.error();
        m_active = true;
        return {};
    }

    CatalogResult<void> commit()
    {
        auto result = runQuery(m_db, QStringLiteral("COMMIT"), {}, QStringLiteral("cannot commit"));
        if (!result)
            return result.error(); // still active: the destructor rolls back
        m_active = false;
        return {};
    }

private:
    QSqlDatabase m_db;
    bool m_active = false;
};

// The columns updateEpisode, startAttempt and finishAttempt change, in the order of stateValues().
const QString kStateAssignments = QStringLiteral(
    "status = ?, attempts = ?, last_error_code = ?, last_error_message = ?, next_retry_at = ?, cloud_bucket = ?,"
    " cloud_key_prefix = ?, manifest_etag = ?, synced_at = ?, paused = ?");

QVariantList stateValues(const EpisodeRecord &episode)
{
    return {
        episodeStateName(episode.state),
        episode.attempts,
        textOrNull(episode.lastErrorCode),
        textOrNull(episode.lastErrorMessage),
        msOrNull(episode.nextRetryAt),
        textOrNull(episode.cloudBucket),
        textOrNull(episode.cloudKeyPrefix),
        etagOrNull(episode.manifestEtag),
        msOrNull(episode.syncedAt),
        episode.paused ? 1 : 0,
    };
}

// The last column counts every attempt ever started (sync_logs rows), whatever the retry budget says.
const QString kEpisodeColumns
    = QStringLiteral("id, name, local_path, total_bytes, file_count, created_at, status, attempts, last_error_code,"
                     " last_error_message, next_retry_at, cloud_bucket, cloud_key_prefix, manifest_etag, synced_at,"
                     " (SELECT COUNT(*) FROM sync_logs l WHERE l.episode_id = episodes.id), priority,"
                     " (SELECT COUNT(*) FROM episode_files f WHERE f.episode_id = episodes.id AND f.etag_checked = 0),"
                     " paused");

// Reads a row selected with kEpisodeColumns.
CatalogResult<EpisodeRecord> episodeFrom(const QSqlQuery &query)
{
    EpisodeRecord episode;
    episode.id = query.value(0).toLongLong();
    episode.name = query.value(1).toString();
    episode.localPath = query.value(2).toString();
    episode.totalBytes = query.value(3).toLongLong();
    episode.fileCount = query.value(4).toInt();
    episode.createdAt = timeFrom(query.value(5));
    const QString status = query.value(6).toString();
    const std::optional<EpisodeState> state = episodeStateFromName(status);
    if (!state) // the CHECK constraint should make this impossible
        return makeError(CatalogError::Code::Corrupt,
            QStringLiteral("episode %1 has an unknown status '%2'").arg(episode.id).arg(status));
    episode.state = *state;
    episode.attempts = query.value(7).toInt();
    episode.lastErrorCode = query.value(8).toString();
    episode.lastErrorMessage = query.value(9).toString();
    episode.nextRetryAt = timeFrom(query.value(10));
    episode.cloudBucket = query.value(11).toString();
    episode.cloudKeyPrefix = query.value(12).toString();
    episode.manifestEtag = etagFrom(query.value(13));
    episode.syncedAt = timeFrom(query.value(14));
    episode.attemptsMade = query.value(15).toInt();
    episode.priority = query.value(16).toInt();
    episode.etagsUnchecked = query.value(17).toInt();
    episode.paused = query.value(18).toInt() != 0;
    return episode;
}

const QString kLogColumns = QStringLiteral(
    "id, episode_id, started_at, finished_at, result, bytes_committed, error_code, error_message, retryable");

SyncLogEntry logFrom(const QSqlQuery &query)
{
    SyncLogEntry log;
    log.id = query.value(0).toLongLong();
    log.episodeId = query.value(1).toLongLong();
    log.startedAt = timeFrom(query.value(2));
    log.finishedAt = timeFrom(query.value(3));
    log.result = query.value(4).toString();
    log.bytesCommitted = query.value(5).toLongLong();
    log.errorCode = query.value(6).toString();
    log.errorMessage = query.value(7).toString();
    log.retryable = query.value(8).toInt() != 0;
    return log;
}

std::atomic<quint64> connectionCounter{0};

} // namespace

struct Catalog::Private
{
    QString connectionName;
    QString filePath;
    QSqlDatabase db;

    CatalogResult<QSqlQuery> run(const QString &sql, const QVariantList &values, const QString &what) const
    {
        return runQuery(db, sql, values, what);
    }

    CatalogResult<int> userVersion() const
    {
        auto query = run(QStringLiteral("PRAGMA user_version"), {},
            QStringLiteral("cannot read the schema version of %1").arg(filePath));
        if (!query)
            return query.error();
        if (!query.value().next())
            return makeError(CatalogError::Code::Corrupt, QStringLiteral("%1 has no schema version").arg(filePath));
        return query.value().value(0).toInt();
    }

    CatalogResult<void> checkIntegrity() const
    {
        auto query = run(QStringLiteral("PRAGMA quick_check"), {}, QStringLiteral("%1 is damaged").arg(filePath));
        if (!query)
            return query.error();
        QStringList problems;
        while (query.value().next())
            problems.append(query.value().value(0).toString());
        if (problems != QStringList{QStringLiteral("ok")})
            return makeError(CatalogError::Code::Corrupt,
                QStringLiteral("%1 is damaged: %2").arg(filePath, problems.join(QLatin1String("; "))));
        return {};
    }

    CatalogResult<void> setPragmas() const
    {
        auto mode = run(
            QStringLiteral("PRAGMA journal_mode=WAL"), {}, QStringLiteral("cannot switch %1 to WAL").arg(filePath));
        if (!mode)
            return mode.error();
        if (mode.value().next()
            && mode.value().value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            qCWarning(lcCatalog) << filePath << "stays in journal mode" << mode.value().value(0).toString();
        // In WAL mode synchronous=NORMAL keeps the database consistent through a crash or power loss; at worst
        // the most recent commits roll back, which resume has to tolerate anyway. FULL would fsync every commit.
        for (const char *pragma : {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"}) {
            auto result = run(
                QLatin1String(pragma), {}, QStringLiteral("%1 failed on %2").arg(QLatin1String(pragma), filePath));
            if (!result)
                return result.error();
        }
        return {};
    }

    // Foreign keys are off while a migration runs (a rebuilt table is dropped and renamed; with them on, dropping
    // it would cascade into its children) and checked before the migration commits. The pragma has no effect
    // inside a transaction, hence this wrapper.
    CatalogResult<void> migrate()
    {
        auto off = run(QStringLiteral("PRAGMA foreign_keys=OFF"), {},
            QStringLiteral("cannot prepare %1 for its migration").arg(filePath));
        if (!off)
            return off.error();
        auto migrated = migrateWithoutForeignKeys();
        auto on = run(QStringLiteral("PRAGMA foreign_keys=ON"), {},
            QStringLiteral("cannot turn foreign keys back on in %1").arg(filePath));
        if (!migrated)
            return migrated;
        if (!on)
            return on.error();
        return {};
    }

    CatalogResult<void> checkForeignKeys() const
    {
        auto query = run(QStringLiteral("PRAGMA foreign_key_check"), {},
            QStringLiteral("cannot check the references of %1").arg(filePath));
        if (!query)
            return query.error();
        if (query.value().next())
            return makeError(CatalogError::Code::Corrupt,
                QStringLiteral("%1: a row of %2 refers to a missing row after the migration")
                    .arg(filePath, query.value().value(0).toString()));
        return {};
    }

    CatalogResult<void> migrateWithoutForeignKeys()
    {
        Transaction transaction(db);
        if (auto begun = transaction.begin(Transaction::Mode::Write); !begun)
            return begun.error();
        // Another process may have migrated between our first look and the write lock.
        const auto current = userVersion();
        if (!current)
            return current.error();
        Q_ASSERT(kMigrations.size() == kSchemaVersion);
        const int from = current.value();
        if (from >= kSchemaVersion)
            return {};
        for (int version = from; version < kSchemaVersion; ++version) {
            for (const QString &statement : kMigrations.at(version)) {
                auto result = run(statement, {},
                    QStringLiteral("cannot migrate %1 to schema version %2").arg(filePath).arg(version + 1));
                if (!result)
                    return result.error();
            }
        }
        if (auto checked = checkForeignKeys(); !checked)
            return checked.error();
        // PRAGMA takes no bound parameters; the value is our own constant.
        auto stamp = run(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion), {},
            QStringLiteral("cannot set the schema version of %1").arg(filePath));
        if (!stamp)
            return stamp.error();
        if (auto committed = transaction.commit(); !committed)
            return committed.error();
        qCInfo(lcCatalog) << "migrated" << filePath << "from schema version" << from << "to" << kSchemaVersion;
        return {};
    }

    // Checks the file before anything writes to it, so a locked, corrupt or newer file stays untouched.
    CatalogResult<void> open(const QString &dataDir)
    {
        if (auto made = OwnerOnlyPaths::ensureDirectory(dataDir); !made)
            return makeError(CatalogError::Code::OpenFailed, made.error().message);
        // SQLite creates a new database 0644 (less the umask) and gives its -wal and -shm the database's mode: an
        // empty file made 0600 first is a new database to it, and all three stay owner-only.
        if (auto created = OwnerOnlyPaths::createFile(filePath); !created)
            return makeError(CatalogError::Code::OpenFailed, created.error().message);
        for (const char *suffix : {"-wal", "-shm"})
            OwnerOnlyPaths::restrictFile(filePath + QLatin1String(suffix));

        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(filePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
        if (!db.open())
            return makeError(CatalogError::Code::OpenFailed,
                QStringLiteral("cannot open %1: %2").arg(filePath, db.lastError().text().trimmed()));

        const auto version = userVersion(); // the first read: fails for a locked file or one that is no database
        if (!version)
            return version.error();
        if (version.value() > kSchemaVersion)
            return makeError(CatalogError::Code::NewerSchema,
                QStringLiteral("%1 has schema version %2, newer than version %3 this Keystone Console "
                               "understands; it was left untouched")
                    .arg(filePath)
                    .arg(version.value())
                    .arg(kSchemaVersion));
        if (auto checked = checkIntegrity(); !checked)
            return checked.error();
        if (auto set = setPragmas(); !set)
            return set.error();
        if (version.value() < kSchemaVersion) {
            if (auto migrated = migrate(); !migrated)
                return migrated.error();
        }
        return {};
    }

    // The files (with the verified parts of the upload each uses now) of one episode, or of all (nullopt), by
    // episode. Two queries, whatever the number of episodes.
    CatalogResult<QHash<qint64, QList<EpisodeFileRecord>>> filesOf(
        std::optional<qint64> episodeId, const QString &what) const
    {
        const QVariantList values = episodeId ? QVariantList{*episodeId} : QVariantList{};
        const QString filter = episodeId ? QStringLiteral("WHERE episode_id = ?") : QString();
        const QString partFilter = episodeId ? QStringLiteral("WHERE p.episode_id = ?") : QString();
        QHash<qint64, QList<EpisodeFileRecord>> byEpisode;
        QHash<std::pair<qint64, QString>, qsizetype> indexByPath;
        {
            auto query = run(QStringLiteral("SELECT episode_id, relative_path, size, mtime_ms, etag, upload_id,"
                                            " part_size, device, inode, etag_checked FROM episode_files %1"
                                            " ORDER BY episode_id, relative_path")
                                 .arg(filter),
                values, what);
            if (!query)
                return query.error();
            while (query.value().next()) {
                const qint64 owner = query.value().value(0).toLongLong();
                EpisodeFileRecord file;
                file.relativePath = query.value().value(1).toString();
                file.size = query.value().value(2).toLongLong();
                file.mtimeMs = query.value().value(3).toLongLong();
                file.etag = etagFrom(query.value().value(4));
                file.uploadId = query.value().value(5).toString();
                file.partSize = query.value().value(6).toLongLong();
                file.device = quint64(query.value().value(7).toLongLong()); // NULL (before v5): 0
                file.inode = quint64(query.value().value(8).toLongLong());
                file.etagChecked = query.value().value(9).isNull() || query.value().value(9).toInt() != 0;
                QList<EpisodeFileRecord> &files = byEpisode[owner];
                indexByPath.insert({owner, file.relativePath}, files.size());
                files.append(file);
            }
        }
        // Only parts of the upload the file uses now count.
        auto query = run(QStringLiteral("SELECT p.episode_id, p.relative_path, p.part_number, p.size, p.etag, p.crc64"
                                        " FROM file_parts p"
                                        " JOIN episode_files f ON f.episode_id = p.episode_id"
                                        "  AND f.relative_path = p.relative_path AND f.upload_id = p.upload_id"
                                        " %1 ORDER BY p.episode_id, p.relative_path, p.part_number")
                             .arg(partFilter),
            values, what);
        if (!query)
            return query.error();
        while (query.value().next()) {
            const qint64 owner = query.value().value(0).toLongLong();
            const auto index = indexByPath.value({owner, query.value().value(1).toString()}, -1);
            if (index < 0)
                continue;
            CompletedPart part;
            part.partNumber = query.value().value(2).toInt();
            part.size = query.value().value(3).toLongLong();
            part.etag = query.value().value(4).toString().toLatin1();
            part.crc64 = crc64From(query.value().value(5));
            byEpisode[owner][index].parts.append(part);
        }
        return byEpisode;
    }

    // Device and inode for a row that has none yet (recorded before schema v5); a known one is never replaced.
    CatalogResult<void> learnIdentity(
        qint64 episodeId, const QString &relativePath, const FileIdentity &found, const QString &what) const
    {
        auto updated = run(QStringLiteral("UPDATE episode_files SET device = ?, inode = ?"
                                          " WHERE episode_id = ? AND relative_path = ? AND inode IS NULL"),
            {qint64(found.device), qint64(found.inode), episodeId, relativePath}, what);
        if (!updated)
            return updated.error();
        return {};
    }

    CatalogResult<void> requireEpisode(qint64 id) const
    {
        auto query = run(QStringLiteral("SELECT 1 FROM episodes WHERE id = ?"), {id},
            QStringLiteral("cannot look up episode %1").arg(id));
        if (!query)
            return query.error();
        if (!query.value().next())
            return makeError(CatalogError::Code::NotFound, QStringLiteral("there is no episode %1").arg(id));
        return {};
    }

    // One file row with its parts (insertEpisode, replaceFiles).
    // Inserts file rows with their parts through two statements prepared once: a registration of 100,000 files
    // is 100,000 executions, not 100,000 parses (and no message text is built unless a row fails).
    class FileInserter
    {
    public:
        FileInserter(const QSqlDatabase &db, QString what)
            : m_files(db)
            , m_parts(db)
            , m_what(std::move(what))
        { }

        CatalogResult<void> insert(qint64 id, const EpisodeFileRecord &file)
        {
            if (!m_prepared) {
                if (!m_files.prepare(
                        QStringLiteral("INSERT INTO episode_files (episode_id, relative_path, size, mtime_ms, etag,"
                                       " upload_id, part_size, device, inode, etag_checked)"
                                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
                    || !m_parts.prepare(
                        QStringLiteral("INSERT INTO file_parts (episode_id, relative_path, upload_id,"
                                       " part_number, size, etag, crc64) VALUES (?, ?, ?, ?, ?, ?, ?)")))
                    return toCatalogError(
                        m_files.lastError().isValid() ? m_files.lastError() : m_parts.lastError(), m_what);
                m_prepared = true;
            }
            // Parts only mean something for the upload they belong to.
            if (!file.parts.isEmpty() && file.uploadId.isEmpty())
                return makeError(CatalogError::Code::QueryFailed,
                    QStringLiteral("%1: file '%2' has parts but no upload id").arg(m_what, file.relativePath));
            const QVariantList fileValues{id, file.relativePath, file.size, file.mtimeMs, etagOrNull(file.etag),
                textOrNull(file.uploadId), positiveOrNull(file.partSize), identityOrNull(file, file.device),
                identityOrNull(file, file.inode), etagCheckedOrNull(file.etagChecked)};
            for (qsizetype i = 0; i < fileValues.size(); ++i)
                m_files.bindValue(int(i), fileValues.at(i));
            if (!m_files.exec())
                return toCatalogError(
                    m_files.lastError(), QStringLiteral("%1: file '%2'").arg(m_what, file.relativePath));
            for (const CompletedPart &part : file.parts) {
                const QVariantList partValues{id, file.relativePath, file.uploadId, part.partNumber, part.size,
                    QString::fromLatin1(part.etag), crc64OrNull(part.crc64)};
                for (qsizetype i = 0; i < partValues.size(); ++i)
                    m_parts.bindValue(int(i), partValues.at(i));
                if (!m_parts.exec())
                    return toCatalogError(m_parts.lastError(),
                        QStringLiteral("%1: part %2 of '%3'").arg(m_what).arg(part.partNumber).arg(file.relativePath));
            }
            return {};
        }

    private:
        QSqlQuery m_files;
        QSqlQuery m_parts;
        QString m_what;
        bool m_prepared = false;
    };

    CatalogResult<void> recordWatchedFolder(const QString &path, qint64 episodeId, const QDateTime &at) const
    {
        auto query
            = run(QStringLiteral("INSERT INTO watched_folders (path, episode_id, registered_at) VALUES (?, ?, ?)"),
                {path, positiveOrNull(episodeId), msOrNull(at)},
                QStringLiteral("cannot record the watched folder %1").arg(path));
        if (!query)
            return query.error();
        return {};
    }

    CatalogResult<void> updateState(const EpisodeRecord &episode) const
    {
        QVariantList values = stateValues(episode);
        values.append(episode.id);
        auto query = run(QStringLiteral("UPDATE episodes SET %1 WHERE id = ?").arg(kStateAssignments), values,
            QStringLiteral("cannot update episode %1").arg(episode.id));
        if (!query)
            return query.error();
        if (query.value().numRowsAffected() == 0)
            return makeError(CatalogError::Code::NotFound, QStringLiteral("there is no episode %1").arg(episode.id));
        return {};
    }
};

Catalog::Catalog()
    : d(std::make_unique<Private>())
{ }

Catalog::~Catalog()
{
    // removeDatabase() warns and leaks unless every handle to the connection is gone first.
    d->db.close();
    d->db = QSqlDatabase();
    QSqlDatabase::removeDatabase(d->connectionName);
}

CatalogResult<std::unique_ptr<Catalog>> Catalog::open(const QString &dataDir)
{
    std::unique_ptr<Catalog> catalog(new Catalog);
    catalog->d->connectionName = QStringLiteral("keystone-catalog-%1").arg(++connectionCounter);
    catalog->d->filePath = QDir(dataDir).filePath(QLatin1String(kFileName));
    if (auto opened = catalog->d->open(dataDir); !opened) {
        qCWarning(lcCatalog).noquote() << opened.error().message;
        return opened.error();
    }
    return CatalogResult<std::unique_ptr<Catalog>>(std::move(catalog));
}

QString Catalog::filePath() const
{
    return d->filePath;
}

CatalogResult<qint64> Catalog::insertEpisode(
    const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files, const QString &watchedFolder)
{
    const QString what = QStringLiteral("cannot add episode '%1'").arg(episode.name);
    Transaction transaction(d->db);
    if (auto begun = transaction.begin(Transaction::Mode::Write); !begun)
        return begun.error();

    // Checked first (under the write lock) for a clear message; the UNIQUE constraint stays the safety net.
    auto existing = d->run(QStringLiteral("SELECT 1 FROM episodes WHERE name = ?"), {episode.name}, what);
    if (!existing)
        return existing.error();
    if (existing.value().next())
        return makeError(
            CatalogError::Code::Conflict, QStringLiteral("an episode named '%1' exists already").arg(episode.name));

    QVariantList values{
        episode.name, episode.localPath, episode.totalBytes, episode.fileCount, msOrNull(episode.createdAt)};
    values.append(stateValues(episode));
    values.append(episode.priority);
    auto inserted = d->run(QStringLiteral("INSERT INTO episodes (name, local_path, total_bytes, file_count, created_at,"
                                          " status, attempts, last_error_code, last_error_message, next_retry_at,"
                                          " cloud_bucket, cloud_key_prefix, manifest_etag, synced_at, paused,"
                                          " priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        values, what);
    if (!inserted)
        return inserted.error();
    const qint64 id = inserted.value().lastInsertId().toLongLong();

    Private::FileInserter inserter(d->db, what);
    for (const EpisodeFileRecord &file : files) {
        if (auto added = inserter.insert(id, file); !added)
            return added.error();
    }
    if (!watchedFolder.isEmpty()) {
        if (auto recorded = d->recordWatchedFolder(watchedFolder, id, episode.createdAt); !recorded)
            return recorded.error();
    }

    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return id;
}

CatalogResult<QStringList> Catalog::watchedFolders()
{
    auto query = d->run(QStringLiteral("SELECT path FROM watched_folders ORDER BY path"), {},
        QStringLiteral("cannot load the watched folders"));
    if (!query)
        return query.error();
    QStringList paths;
    while (query.value().next())
        paths.append(query.value().value(0).toString());
    return paths;
}

CatalogResult<void> Catalog::recordWatchedFolder(const QString &path, qint64 episodeId, const QDateTime &registeredAt)
{
    return d->recordWatchedFolder(path, episodeId, registeredAt);
}

CatalogResult<QList<EpisodeRecord>> Catalog::loadEpisodes()
{
    auto query = d->run(QStringLiteral("SELECT %1 FROM episodes ORDER BY id").arg(kEpisodeColumns), {},
        QStringLiteral("cannot load the episodes"));
    if (!query)
        return query.error();
    QList<EpisodeRecord> episodes;
    while (query.value().next()) {
        auto episode = episodeFrom(query.value());
        if (!episode)
            return episode.error();
        episodes.append(episode.value());
    }
    return episodes;
}

CatalogResult<EpisodeRecord> Catalog::loadEpisode(qint64 id)
{
    auto query = d->run(QStringLiteral("SELECT %1 FROM episodes WHERE id = ?").arg(kEpisodeColumns), {id},
        QStringLiteral("cannot load episode %1").arg(id));
    if (!query)
        return query.error();
    if (!query.value().next())
        return makeError(CatalogError::Code::NotFound, QStringLiteral("there is no episode %1").arg(id));
    return episodeFrom(query.value());
}

CatalogResult<void> Catalog::updateEpisode(const EpisodeRecord &episode)
{
    return d->updateState(episode);
}

CatalogResult<void> Catalog::setPriority(qint64 id, int priority)
{
    auto query = d->run(QStringLiteral("UPDATE episodes SET priority = ? WHERE id = ?"), {priority, id},
        QStringLiteral("cannot set the priority of episode %1").arg(id));
    if (!query)
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return makeError(CatalogError::Code::NotFound, QStringLiteral("there is no episode %1").arg(id));
    return {};
}

CatalogResult<void> Catalog::deleteEpisode(qint64 id)
{
    // Files, parts and logs go by ON DELETE CASCADE, in the same statement.
    auto query = d->run(
        QStringLiteral("DELETE FROM episodes WHERE id = ?"), {id}, QStringLiteral("cannot delete episode %1").arg(id));
    if (!query)
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return makeError(CatalogError::Code::NotFound, QStringLiteral("there is no episode %1").arg(id));
    return {};
}

CatalogResult<QList<EpisodeFileRecord>> Catalog::loadFiles(qint64 episodeId)
{
    const QString what = QStringLiteral("cannot load the files of episode %1").arg(episodeId);
    // One snapshot, so files and parts agree even while another connection writes.
    Transaction transaction(d->db);
    if (auto begun = transaction.begin(Transaction::Mode::Read); !begun)
        return begun.error();
    if (auto exists = d->requireEpisode(episodeId); !exists)
        return exists.error();
    auto files = d->filesOf(episodeId, what);
    if (!files)
        return files.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return files.value().value(episodeId);
}

CatalogResult<QHash<qint64, QList<EpisodeFileRecord>>> Catalog::loadAllFiles()
{
    Transaction transaction(d->db);
    if (auto begun = transaction.begin(Transaction::Mode::Read); !begun)
        return begun.error();
    auto files = d->filesOf(std::nullopt, QStringLiteral("cannot load the files of the episodes"));
    if (!files)
        return files.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return files;
}

CatalogResult<void> Catalog::setFileUpload(
    qint64 episodeId, const QString &relativePath, const QString &uploadId, qint64 partSize)
{
    const QString what
        = QStringLiteral("cannot record the upload of '%1' in episode %2").arg(relativePath).arg(episodeId);
    Transaction transaction(d->db);
    if (auto begun = transaction.begin(Transaction::Mode::Write); !begun)
        return begun.error();
    auto updated = d->run(QStringLiteral("UPDATE episode_files SET upload_id = ?, part_size = ?"
                                         " WHERE episode_id = ? AND relative_path = ?"),
        {textOrNull(uploadId), positiveOrNull(partSize), episodeId, relativePath}, what);
    if (!updated)
        return updated.error();
    if (updated.value().numRowsAffected() == 0)
        return makeError(CatalogError::Code::NotFound,
            QStringLiteral("episode %1 has no file '%2'").arg(episodeId).arg(relativePath));
    // IS NOT (not <>) so that clearing the upload id (NULL) drops every part.
    auto dropped = d->run(QStringLiteral("DELETE FROM file_parts WHERE episode_id = ? AND relative_path = ?"
                                         " AND upload_id IS NOT ?"),
        {episodeId, relativePath, textOrNull(uploadId)}, what);
    if (!dropped)
        return dropped.error();
    return transaction.commit();
}

CatalogResult<void> Catalog::addVerifiedPart(qint64 episodeId, const QString &relativePath, const CompletedPart &part)
{
    const QString what = QStringLiteral("cannot record part %1 of '%2' in episode %3")
                             .arg(part.partNumber)
                             .arg(relativePath)
                             .arg(episodeId);
    if (part.etag.isEmpty())
        return makeError(CatalogError::Code::QueryFailed, QStringLiteral("%1: the part has no ETag").arg(what));
    Transaction transaction(d->db);
    if (auto begun = transaction.begin(Transaction::Mode::Write); !begun)
        return begun.error();
    QString uploadId;
    {
        auto query
            = d->run(QStringLiteral("SELECT upload_id FROM episode_files WHERE episode_id = ? AND relative_path = ?"),
                {episodeId, relativePath}, what);
        if (!query)
            return query.error();
        if (!query.value().next())
            return makeError(CatalogError::Code::NotFound,
                QStringLiteral("episode %1 has no file '%2'").arg(episodeId).arg(relativePath));
        uploadId = query.value().value(0).toString();
    }
    if (uploadId.isEmpty())
        return makeError(CatalogError::Code::QueryFailed,
            QStringLiteral("%1: no multipart upload is recorded for the file").arg(what));
    auto stored = d->run(QStringLiteral("INSERT OR REPLACE INTO file_parts"
                                        " (episode_id, relative_path, upload_id, part_number, size, etag, crc64)"
                                        " VALUES (?, ?, ?, ?, ?, ?, ?)"),
        {episodeId, relativePath, uploadId, part.partNumber, part.size, QString::fromLatin1(part.etag),
            crc64OrNull(part.crc64)},
        what);
    if (!stored)
        return stored.error();
    return transaction.commit();
}

CatalogResult<void> Catalog::setFileCompleted(
    qint64 episodeId, const QString &relativePath, const QByteArray &etag, bool etagChecked)
{
    const QString what = QStringLiteral("cannot complete '%1' in episode %2").arg(relativePath).arg(episodeId);
    Transaction transaction(d->db);
    if (auto begun = transaction.begin(Transaction::Mode::Write); !begun)
        return begun.error();
    auto updated = d->run(QStringLiteral("UPDATE episode_files SET etag = ?, etag_checked = ?, upload_id = NULL,"
                                         " part_size = NULL WHERE episode_id = ? AND relative_path = ?"),
        {etagOrNull(etag), etagCheckedOrNull(etagChecked), episodeId, relativePath}, what);
    if (!updated)
        return updated.error();
    if (updated.value().numRowsAffected() == 0)
        return makeError(CatalogError::Code::NotFound,
            QStringLiteral("episode %1 has no file '%2'").arg(episodeId).arg(relativePath));
    auto dropped = d->run(QStringLiteral("DELETE FROM file_parts WHERE episode_id = ? AND relative_path = ?"),
        {episodeId, relativePath}, what);
    if (!dropped)
        return dropped.error();
    return transaction.commit();
}

CatalogResult<void> Catalog::setFileIdentity(qint64 episodeId, const QString &relativePath, const FileIdentity &found)
{
    if (found.inode == 0)
        return {};
    return d->learnIdentity(episodeId, relativePath, found,
        QStringLiteral("cannot record the identity of '%1' in episode %2").arg(relativePath).arg(episodeId));
}

CatalogResult<void> Catalog::resetFiles(qint64 episodeId, FilesToReset which)
{
    const QString what = QStringLiteral("cannot reset the files of episode %1").arg(episodeId);
    Transaction transaction(d->db);
    if (auto begun = transaction.begin(Transaction::Mode::Write); !begun)
        return begun.error();
    if (auto exists = d->requireEpisode(episodeId); !exists)
        return exists.error();
    auto cleared = which == FilesToReset::All
        ? d->run(QStringLiteral("UPDATE episode_files SET etag = NULL, etag_checked = NULL, upload_id = NULL,"
                                " part_size = NULL WHERE episode_id = ?"),
            {episodeId}, what)
        : d->run(QStringLiteral("UPDATE episode_files SET upload_id = NULL, part_size = NULL"
                                " WHERE episode_id = ? AND etag IS NULL AND etag_checked IS NULL"),
            {episodeId}, what);
    if (!cleared)
        return cleared.error();
    auto dropped = d->run(QStringLiteral("DELETE FROM file_parts WHERE episode_id = ?"), {episodeId}, what);
    if (!dropped)
        return dropped.error();
    return transaction.commit();
}

CatalogResult<void> Catalog::replaceFiles(qint64 episodeId, const QList<EpisodeFileRecord> &files)
{
    const QString what = QStringLiteral("cannot replace the files of episode %1").arg(episodeId);
    Transaction transaction(d->db);
    if (auto begun = transaction.begin(Transaction::Mode::Write); !begun)
        return begun.error();
    if (auto exists = d->requireEpisode(episodeId); !exists)
        return exists.error();
    QHash<QString, FileIdentity> recorded; // path -> size, mtime, device, inode
    {
        auto query = d->run(QStringLiteral("SELECT relative_path, size, mtime_ms, device, inode FROM episode_files"
                                           " WHERE episode_id = ?"),
            {episodeId}, what);
        if (!query)
            return query.error();
        while (query.value().next())
            recorded.insert(query.value().value(0).toString(),
                {query.value().value(1).toLongLong(), query.value().value(2).toLongLong(),
                    quint64(query.value().value(3).toLongLong()), quint64(query.value().value(4).toLongLong())});
    }
    QHash<QString, const EpisodeFileRecord *> wanted;
    qint64 totalBytes = 0;
    for (const EpisodeFileRecord &file : files) {
        wanted.insert(file.relativePath, &file);
        totalBytes += file.size;
    }
    // A file keeps its row (ETag, upload, parts) only if it is still the same file: size and mtime, and device and
    // inode where the row knows them (a row from before schema v5 learns them here).
    for (auto it = recorded.cbegin(); it != recorded.cend(); ++it) {
        const EpisodeFileRecord *now = wanted.value(it.key());
        if (now && it->sameFileAs(now->identity())) {
            wanted.remove(it.key());
            if (!it->knowsInode() && now->knowsInode()) {
                if (auto learned = d->learnIdentity(episodeId, it.key(), now->identity(), what); !learned)
                    return learned.error();
            }
            continue;
        }
        for (const char *table : {"file_parts", "episode_files"}) {
            auto dropped = d->run(
                QStringLiteral("DELETE FROM %1 WHERE episode_id = ? AND relative_path = ?").arg(QLatin1String(table)),
                {episodeId, it.key()}, what);
            if (!dropped)
                return dropped.error();
        }
    }
    Private::FileInserter inserter(d->db, what);
    for (const EpisodeFileRecord *file : std::as_const(wanted)) {
        if (auto added = inserter.insert(episodeId, *file); !added)
            return added.error();
    }
    auto sized = d->run(QStringLiteral("UPDATE episodes SET total_bytes = ?, file_count = ? WHERE id = ?"),
        {totalBytes, int(files.size()), episodeId}, what);
    if (!sized)
        return sized.error();
    return transaction.commit();
}

CatalogResult<qint64> Catalog::startAttempt(const EpisodeRecord &episode, const QDateTime &startedAt)
{
    Transaction transaction(d->db);
    if (auto begun = transaction.begin(Transaction::Mode::Write); !begun)
        return begun.error();
    if (auto updated = d->updateState(episode); !updated)
        return updated.error();
    auto inserted = d->run(QStringLiteral("INSERT INTO sync_logs (episode_id, started_at) VALUES (?, ?)"),
        {episode.id, msOrNull(startedAt)}, QStringLiteral("cannot log an attempt of episode %1").arg(episode.id));
    if (!inserted)
        return inserted.error();
    const qint64 logId = inserted.value().lastInsertId().toLongLong();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return logId;
}

CatalogResult<void> Catalog::finishAttempt(const EpisodeRecord &episode, const SyncLogEntry &log)
{
    Transaction transaction(d->db);
    if (auto begun = transaction.begin(Transaction::Mode::Write); !begun)
        return begun.error();
    if (auto updated = d->updateState(episode); !updated)
        return updated.error();
    // The row must belong to this episode: closing another episode's attempt would be a silent mix-up.
    auto closed
        = d->run(QStringLiteral("UPDATE sync_logs SET finished_at = ?, result = ?, bytes_committed = ?,"
                                " error_code = ?, error_message = ?, retryable = ? WHERE id = ? AND episode_id = ?"),
            {msOrNull(log.finishedAt), textOrNull(log.result), log.bytesCommitted, textOrNull(log.errorCode),
                textOrNull(log.errorMessage), log.retryable ? 1 : 0, log.id, episode.id},
            QStringLiteral("cannot close log %1 of episode %2").arg(log.id).arg(episode.id));
    if (!closed)
        return closed.error();
    if (closed.value().numRowsAffected() == 0)
        return makeError(
            CatalogError::Code::NotFound, QStringLiteral("episode %1 has no log %2").arg(episode.id).arg(log.id));
    return transaction.commit();
}

CatalogResult<int> Catalog::closeInterruptedLogs(const QDateTime &now)
{
    auto query = d->run(QStringLiteral("UPDATE sync_logs SET finished_at = ?, result = 'interrupted'"
                                       " WHERE finished_at IS NULL"),
        {msOrNull(now)}, QStringLiteral("cannot close interrupted logs"));
    if (!query)
        return query.error();
    return query.value().numRowsAffected();
}

CatalogResult<QList<SyncLogEntry>> Catalog::syncLogs(qint64 episodeId, int limit)
{
    // Two fixed statements rather than "? = 0 OR ..." so the (episode_id, id) index serves the filtered one.
    const QString sql = episodeId == 0
        ? QStringLiteral("SELECT %1 FROM sync_logs ORDER BY id DESC LIMIT ?").arg(kLogColumns)
        : QStringLiteral("SELECT %1 FROM sync_logs WHERE episode_id = ? ORDER BY id DESC LIMIT ?").arg(kLogColumns);
    QVariantList values;
    if (episodeId != 0)
        values.append(episodeId);
    values.append(limit > 0 ? limit : -1); // a negative LIMIT is no limit in SQLite
    auto query = d->run(sql, values, QStringLiteral("cannot load the sync logs"));
    if (!query)
        return query.error();
    QList<SyncLogEntry> logs;
    while (query.value().next())
        logs.append(logFrom(query.value()));
    return logs;
}

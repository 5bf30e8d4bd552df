#include "catalogschema.h"

#include "catalogconnection.h"
#include "cataloglogging.h"
#include "catalogtransaction.h"

#include <QList>
#include <QStringList>

namespace {

// One entry per schema version: kMigrations[n] takes a catalog from user_version n to n + 1. A new version appends
// an entry (and bumps CatalogSchema::kCurrentVersion); released entries never change.
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
    // MD5s); NULL otherwise (checked, or not complete). Such a file is complete even with a NULL etag.
    {
        QStringLiteral("ALTER TABLE episode_files ADD COLUMN etag_checked INTEGER"),
    },
    // 6 -> 7: an episode an operator paused (1): it stays pending and is not started until resumed. Kept across
    // restarts and crashes like the rest of its state.
    {
        QStringLiteral("ALTER TABLE episodes ADD COLUMN paused INTEGER NOT NULL DEFAULT 0"),
    },
};

} // namespace

CatalogSchema::CatalogSchema(const CatalogConnection &connection)
    : m_connection(connection)
{ }

// Checks the file before anything writes to it, so a locked, corrupt or newer file stays untouched.
CatalogResult<void> CatalogSchema::prepare() const
{
    const QString &filePath = m_connection.filePath();
    const auto version = userVersion(); // the first read: fails for a locked file or one that is no database
    if (!version)
        return version.error();
    if (version.value() > kCurrentVersion)
        return CatalogError{CatalogError::Code::NewerSchema,
            QStringLiteral("%1 has schema version %2, newer than version %3 this Keystone Console "
                           "understands; it was left untouched")
                .arg(filePath)
                .arg(version.value())
                .arg(kCurrentVersion)};
    if (auto checked = checkIntegrity(); !checked)
        return checked.error();
    if (auto set = setPragmas(); !set)
        return set.error();
    if (version.value() < kCurrentVersion) {
        if (auto migrated = migrate(); !migrated)
            return migrated.error();
    }
    return {};
}

CatalogResult<int> CatalogSchema::userVersion() const
{
    const QString &filePath = m_connection.filePath();
    auto query = m_connection.run(QStringLiteral("PRAGMA user_version"), {},
        QStringLiteral("cannot read the schema version of %1").arg(filePath));
    if (!query)
        return query.error();
    if (!query.value().next())
        return CatalogError{CatalogError::Code::Corrupt, QStringLiteral("%1 has no schema version").arg(filePath)};
    return query.value().value(0).toInt();
}

CatalogResult<void> CatalogSchema::checkIntegrity() const
{
    const QString &filePath = m_connection.filePath();
    auto query
        = m_connection.run(QStringLiteral("PRAGMA quick_check"), {}, QStringLiteral("%1 is damaged").arg(filePath));
    if (!query)
        return query.error();
    QStringList problems;
    while (query.value().next())
        problems.append(query.value().value(0).toString());
    if (problems != QStringList{QStringLiteral("ok")})
        return CatalogError{CatalogError::Code::Corrupt,
            QStringLiteral("%1 is damaged: %2").arg(filePath, problems.join(QLatin1String("; ")))};
    return {};
}

CatalogResult<void> CatalogSchema::setPragmas() const
{
    const QString &filePath = m_connection.filePath();
    auto mode = m_connection.run(
        QStringLiteral("PRAGMA journal_mode=WAL"), {}, QStringLiteral("cannot switch %1 to WAL").arg(filePath));
    if (!mode)
        return mode.error();
    if (mode.value().next() && mode.value().value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        qCWarning(lcCatalog) << filePath << "stays in journal mode" << mode.value().value(0).toString();
    // In WAL mode synchronous=NORMAL keeps the database consistent through a crash or power loss; at worst
    // the most recent commits roll back, which resume has to tolerate anyway. FULL would fsync every commit.
    for (const char *pragma : {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"}) {
        const QLatin1String sql(pragma);
        if (auto set = m_connection.execute(sql, {}, QStringLiteral("%1 failed on %2").arg(sql, filePath)); !set)
            return set;
    }
    return {};
}

// Foreign keys are off while a migration runs (a rebuilt table is dropped and renamed; with them on, dropping
// it would cascade into its children) and checked before the migration commits. The pragma has no effect
// inside a transaction, hence this wrapper.
CatalogResult<void> CatalogSchema::migrate() const
{
    const QString &filePath = m_connection.filePath();
    if (auto off = m_connection.execute(QStringLiteral("PRAGMA foreign_keys=OFF"), {},
            QStringLiteral("cannot prepare %1 for its migration").arg(filePath));
        !off)
        return off;
    const auto migrated = migrateWithoutForeignKeys();
    const auto on = m_connection.execute(QStringLiteral("PRAGMA foreign_keys=ON"), {},
        QStringLiteral("cannot turn foreign keys back on in %1").arg(filePath));
    return migrated ? on : migrated;
}

// Not CatalogTransaction::perform: when another process migrated meanwhile the transaction rolls back (it changed
// nothing), and only a real migration is logged.
CatalogResult<void> CatalogSchema::migrateWithoutForeignKeys() const
{
    CatalogTransaction transaction(m_connection);
    if (auto begun = transaction.begin(CatalogTransaction::Mode::Write); !begun)
        return begun.error();
    // Another process may have migrated between our first look and the write lock.
    const auto current = userVersion();
    if (!current)
        return current.error();
    const int from = current.value();
    if (from >= kCurrentVersion)
        return {};
    if (auto migrated = runMigrationSteps(from); !migrated)
        return migrated.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    qCInfo(lcCatalog) << "migrated" << m_connection.filePath() << "from schema version" << from << "to"
                      << kCurrentVersion;
    return {};
}

// Every step from `from` up, the reference check, and the new user_version: inside the migration's transaction.
CatalogResult<void> CatalogSchema::runMigrationSteps(int from) const
{
    const QString &filePath = m_connection.filePath();
    Q_ASSERT(kMigrations.size() == kCurrentVersion);
    for (int version = from; version < kCurrentVersion; ++version) {
        const QString what = QStringLiteral("cannot migrate %1 to schema version %2").arg(filePath).arg(version + 1);
        for (const QString &statement : kMigrations.at(version)) {
            if (auto stepped = m_connection.execute(statement, {}, what); !stepped)
                return stepped;
        }
    }
    if (auto checked = checkForeignKeys(); !checked)
        return checked.error();
    // PRAGMA takes no bound parameters; the value is our own constant.
    return m_connection.execute(QStringLiteral("PRAGMA user_version = %1").arg(kCurrentVersion), {},
        QStringLiteral("cannot set the schema version of %1").arg(filePath));
}

CatalogResult<void> CatalogSchema::checkForeignKeys() const
{
    const QString &filePath = m_connection.filePath();
    auto query = m_connection.run(QStringLiteral("PRAGMA foreign_key_check"), {},
        QStringLiteral("cannot check the references of %1").arg(filePath));
    if (!query)
        return query.error();
    if (query.value().next())
        return CatalogError{CatalogError::Code::Corrupt,
            QStringLiteral("%1: a row of %2 refers to a missing row after the migration")
                .arg(filePath, query.value().value(0).toString())};
    return {};
}

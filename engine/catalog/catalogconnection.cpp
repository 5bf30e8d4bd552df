#include "catalogconnection.h"

#include "sqliteerror.h"

#include "core/owneronlypaths.h"

#include <atomic>
#include <utility>

#include <QSqlError>

namespace {

// How long a statement waits for another connection's lock before failing with Locked. Qt's default happens to
// be the same; it is set explicitly so it does not depend on that.
constexpr int kBusyTimeoutMs = 5000;

std::atomic<quint64> connectionCounter{0};

} // namespace

CatalogConnection::CatalogConnection(QString filePath)
    : m_connectionName(QStringLiteral("keystone-catalog-%1").arg(++connectionCounter))
    , m_filePath(std::move(filePath))
{ }

CatalogConnection::~CatalogConnection()
{
    // removeDatabase() warns and leaks unless every handle to the connection is gone first.
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

CatalogResult<void> CatalogConnection::open(const QString &dataDir)
{
    if (auto made = OwnerOnlyPaths::ensureDirectory(dataDir); !made)
        return CatalogError{CatalogError::Code::OpenFailed, made.error().message};
    // SQLite creates a new database 0644 (less the umask) and gives its -wal and -shm the database's mode: an
    // empty file made 0600 first is a new database to it, and all three stay owner-only.
    if (auto created = OwnerOnlyPaths::createFile(m_filePath); !created)
        return CatalogError{CatalogError::Code::OpenFailed, created.error().message};
    for (const char *suffix : {"-wal", "-shm"})
        OwnerOnlyPaths::restrictFile(m_filePath + QLatin1String(suffix));

    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_filePath);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    if (!m_db.open())
        return CatalogError{CatalogError::Code::OpenFailed,
            QStringLiteral("cannot open %1: %2").arg(m_filePath, m_db.lastError().text().trimmed())};
    return {};
}

CatalogResult<QSqlQuery> CatalogConnection::run(
    const QString &sql, const QVariantList &values, const QString &what) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return toCatalogError(query.lastError(), what);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        return toCatalogError(query.lastError(), what);
    return CatalogResult<QSqlQuery>(std::move(query));
}

CatalogResult<void> CatalogConnection::execute(
    const QString &sql, const QVariantList &values, const QString &what) const
{
    if (auto query = run(sql, values, what); !query)
        return query.error();
    return {};
}

CatalogResult<void> CatalogConnection::change(
    const QString &sql, const QVariantList &values, const QString &what, const QString &missing) const
{
    auto query = run(sql, values, what);
    if (!query)
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return CatalogError{CatalogError::Code::NotFound, missing};
    return {};
}

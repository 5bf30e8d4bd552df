#pragma once

#include "catalogerror.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

// One named QtSql connection to the catalog file. It belongs to the thread that opened it; the tables and the
// schema run their statements through it. Destroying it closes and removes the connection.
class CatalogConnection
{
public:
    explicit CatalogConnection(QString filePath);
    ~CatalogConnection();
    CatalogConnection(const CatalogConnection &) = delete;
    CatalogConnection &operator=(const CatalogConnection &) = delete;

    // Creates dataDir and the file (both owner-only) when missing and opens the file. Runs no SQL: whether the
    // file is a usable catalog is CatalogSchema's question.
    [[nodiscard]] CatalogResult<void> open(const QString &dataDir);

    const QString &filePath() const { return m_filePath; }
    const QSqlDatabase &database() const { return m_db; }

    // Prepares `sql` (placeholders only, never values), binds `values` in order and executes it. `what` starts
    // the error message.
    [[nodiscard]] CatalogResult<QSqlQuery> run(
        const QString &sql, const QVariantList &values, const QString &what) const;
    // run() for a statement whose rows are not looked at.
    [[nodiscard]] CatalogResult<void> execute(
        const QString &sql, const QVariantList &values, const QString &what) const;
    // run() for a statement that must change at least one row: NotFound with `missing` when it changed none.
    [[nodiscard]] CatalogResult<void> change(
        const QString &sql, const QVariantList &values, const QString &what, const QString &missing) const;

private:
    QString m_connectionName;
    QString m_filePath;
    QSqlDatabase m_db;
};

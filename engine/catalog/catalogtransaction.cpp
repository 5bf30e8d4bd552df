#include "catalogtransaction.h"

#include "catalogconnection.h"
#include "cataloglogging.h"

#include <QSqlError>
#include <QSqlQuery>

CatalogTransaction::CatalogTransaction(const CatalogConnection &connection)
    : m_connection(connection)
{ }

CatalogTransaction::~CatalogTransaction()
{
    if (!m_active)
        return;
    QSqlQuery rollback(m_connection.database());
    if (!rollback.exec(QStringLiteral("ROLLBACK")))
        qCWarning(lcCatalog) << "rollback failed:" << rollback.lastError().text();
}

CatalogResult<void> CatalogTransaction::begin(Mode mode)
{
    const QString sql = mode == Mode::Write ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN");
    auto result = m_connection.run(sql, {}, QStringLiteral("cannot begin a transaction"));
    if (!result)
        return result.error();
    m_active = true;
    return {};
}

CatalogResult<void> CatalogTransaction::commit()
{
    auto result = m_connection.run(QStringLiteral("COMMIT"), {}, QStringLiteral("cannot commit"));
    if (!result)
        return result.error(); // still active: the destructor rolls back
    m_active = false;
    return {};
}

#include "sqliteerror.h"

#include <QSqlError>

namespace {

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

CatalogError::Code codeFor(int native)
{
    switch (native & 0xff) {
    case SqliteBusy:
    case SqliteLocked:
        return CatalogError::Code::Locked;
    case SqliteCorrupt:
    case SqliteNotADb:
        return CatalogError::Code::Corrupt;
    case SqlitePerm:
    case SqliteReadOnly:
    case SqliteCantOpen:
    case SqliteAuth:
        return CatalogError::Code::OpenFailed;
    case SqliteConstraint:
        return CatalogError::Code::Conflict;
    default:
        return CatalogError::Code::QueryFailed;
    }
}

} // namespace

CatalogError toCatalogError(const QSqlError &error, const QString &what)
{
    bool isNumber = false;
    const int native = error.nativeErrorCode().toInt(&isNumber);
    const CatalogError::Code code = isNumber ? codeFor(native) : CatalogError::Code::QueryFailed;
    return CatalogError{code, QStringLiteral("%1: %2").arg(what, error.text().trimmed())};
}

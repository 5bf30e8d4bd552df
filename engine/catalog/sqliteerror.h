#pragma once

#include "catalogerror.h"

#include <QString>

class QSqlError;

// What SQLite reported, as the catalog's error: a busy or locked file is Locked, a damaged one Corrupt, one that
// cannot be opened or written OpenFailed, a constraint Conflict, anything else QueryFailed. `what` says what was
// being done; SQLite's own text follows it.
[[nodiscard]] CatalogError toCatalogError(const QSqlError &error, const QString &what);

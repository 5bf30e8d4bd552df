#pragma once

#include "catalogerror.h"

class CatalogConnection;

// The catalog's schema: the statements that build each version, the checks a file passes before anything writes to
// it, the connection's pragmas, and the migration of an older file to the current version (PRAGMA user_version).
//
//   open file ──> read user_version ──> newer than kCurrentVersion? ──yes──> NewerSchema (file untouched)
//                 (locked / not a db:        │ no
//                  error, untouched)         v
//                                      quick_check ok? ──no──> Corrupt (file untouched)
//                                            │ yes
//                                            v
//                                      pragmas (WAL, foreign keys, synchronous=NORMAL)
//                                            │
//                                      older? ──yes──> foreign keys off ─> one write transaction: every migration
//                                            │         step, foreign_key_check, user_version ─> foreign keys on
//                                            v
//                                          ready
class CatalogSchema
{
public:
    static constexpr int kCurrentVersion = 7;

    explicit CatalogSchema(const CatalogConnection &connection);

    // Runs the diagram above on a freshly opened connection.
    [[nodiscard]] CatalogResult<void> prepare() const;

private:
    [[nodiscard]] CatalogResult<int> userVersion() const;
    [[nodiscard]] CatalogResult<void> checkIntegrity() const;
    [[nodiscard]] CatalogResult<void> setPragmas() const;
    [[nodiscard]] CatalogResult<void> migrate() const;
    [[nodiscard]] CatalogResult<void> migrateWithoutForeignKeys() const;
    [[nodiscard]] CatalogResult<void> runMigrationSteps(int from) const;
    [[nodiscard]] CatalogResult<void> checkForeignKeys() const;

    const CatalogConnection &m_connection;
};

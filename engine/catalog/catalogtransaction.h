#pragma once

#include "catalogerror.h"

class CatalogConnection;

// The catalog's one way to group statements: begin(), the statements, commit(). Rolls back when destroyed unless
// commit() succeeded, so every early error return leaves the catalog as it was.
class CatalogTransaction
{
public:
    enum class Mode {
        Read, // BEGIN: a consistent snapshot for several SELECTs
        Write, // BEGIN IMMEDIATE: takes the write lock up front, so a later write never fails on a stale snapshot
    };

    explicit CatalogTransaction(const CatalogConnection &connection);
    ~CatalogTransaction();
    CatalogTransaction(const CatalogTransaction &) = delete;
    CatalogTransaction &operator=(const CatalogTransaction &) = delete;

    [[nodiscard]] CatalogResult<void> begin(Mode mode);
    [[nodiscard]] CatalogResult<void> commit(); // a failed commit stays active: the destructor rolls back

    // Runs `body` (returning a CatalogResult) in one transaction: committed when the body succeeded, rolled back
    // when it failed or the commit did. The body's result (or the begin's or commit's error) is returned.
    template <typename Body>
    [[nodiscard]] static auto perform(const CatalogConnection &connection, Mode mode, Body &&body) -> decltype(body())
    {
        CatalogTransaction transaction(connection);
        if (auto begun = transaction.begin(mode); !begun)
            return begun.error();
        auto result = body();
        if (!result)
            return result;
        if (auto committed = transaction.commit(); !committed)
            return committed.error();
        return result;
    }

private:
    const CatalogConnection &m_connection;
    bool m_active = false;
};

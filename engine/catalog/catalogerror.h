#pragma once

#include "core/expected.h"

#include <QString>

// What went wrong with the catalog. The message is for humans and names the file or episode involved.
struct CatalogError
{
    enum class Code {
        None,
        OpenFailed, // cannot create/open the file or directory
        Locked, // another process holds the database
        Corrupt, // not a database, or damaged
        NewerSchema, // written by a newer Keystone Console: left untouched
        NotFound, // no such episode / log
        Conflict, // a constraint, e.g. an episode name that exists already
        QueryFailed, // anything else SQLite reported
    };
    Code code = Code::None;
    QString message;

    bool isError() const { return code != Code::None; }
};

template <typename T>
using CatalogResult = Expected<T, CatalogError>;

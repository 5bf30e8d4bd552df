#pragma once

#include "core/expected.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

// Why a sync command was refused. The views map the codes: NotFound → 404, InvalidTransition/Conflict/Cancelled
// → 409, InvalidInput and UnsupportedFiles → 400, TooManyFiles → 422, the rest → 500.
struct SyncError
{
    enum class Code {
        None,
        NotFound,
        InvalidTransition,
        InvalidInput,
        Conflict,
        TooManyFiles,
        UnsupportedFiles, // a folder holds symbolic links, FIFOs, sockets or devices (named in paths)
        Cancelled,
        CatalogFailed
    };
    Code code = Code::None;
    QString message;
    QStringList paths = {}; // the entries the error is about, when it names several (UnsupportedFiles)

    bool isError() const { return code != Code::None; }
};

template <typename T>
using SyncResult = Expected<T, SyncError>;

Q_DECLARE_METATYPE(SyncError)

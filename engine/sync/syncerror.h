#pragma once

#include "core/expected.h"

#include <QMetaType>
#include <QString>

// Why a sync command was refused. The views map the codes: NotFound → 404, InvalidTransition/Conflict/Cancelled
// → 409, InvalidInput → 400, TooManyFiles → 422, the rest → 500.
struct SyncError
{
    enum class Code {
        None,
        NotFound,
        InvalidTransition,
        InvalidInput,
        Conflict,
        TooManyFiles,
        Cancelled,
        CatalogFailed
    };
    Code code = Code::None;
    QString message;

    bool isError() const { return code != Code::None; }
};

template <typename T>
using SyncResult = Expected<T, SyncError>;

Q_DECLARE_METATYPE(SyncError)

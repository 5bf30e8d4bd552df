#pragma once

#include "core/expected.h"

#include <QMetaType>
#include <QString>

// Why a sync command was refused. The views map the codes: NotFound → 404, InvalidTransition/Busy → 409,
// InvalidInput → 400, the rest → 500.
struct SyncError
{
    enum class Code { None, NotFound, InvalidTransition, InvalidInput, Conflict, CatalogFailed };
    Code code = Code::None;
    QString message;

    bool isError() const { return code != Code::None; }
};

template <typename T>
using SyncResult = Expected<T, SyncError>;

Q_DECLARE_METATYPE(SyncError)

#pragma once

#include "core/expected.h"
#include "storageerror.h"

// A value or a StorageError: the result type of the storage layer.
template <typename T>
using StorageResult = Expected<T, StorageError>;

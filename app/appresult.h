#pragma once

#include "core/expected.h"
#include "core/messageerror.h"

// Why a step of starting a mode failed: an option or config file that cannot be used, an engine or API that did
// not start, an instance that cannot be located. The message is for the user, who sees it after the mode's prefix
// ("keystone-console --server: ...") with the mode's exit code.
using AppError = MessageError;

// A value or an AppError: the result type of the app layer (the option readers and the modes' start-up).
template <typename T>
using AppResult = Expected<T, AppError>;

#pragma once

#include "core/expected.h"
#include "core/messageerror.h"

// Why a step of the API layer failed: a sentence for the user or the log (the token or identity file refused, a
// port or socket that cannot be bound, an id that is not one). Not the JSON error an answer carries: that is
// ApiResponse::error(), which a handler writes from this message where a request caused it.
using ApiError = MessageError;

// A value or an ApiError: the result type of the API layer.
template <typename T>
using ApiResult = Expected<T, ApiError>;

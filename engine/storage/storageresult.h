#pragma once

#include <utility>
#include <variant>

#include <QtGlobal>

#include "storageerror.h"

// A value or a StorageError (Debian 12's g++ 12 has no std::expected). Both constructors are implicit, so a
// function returning StorageResult<T> can `return value;` or `return StorageError::config(...);`.
// Constructing from an error whose kind is None is a programming error (asserted in debug builds).
template <typename T>
class StorageResult
{
public:
    StorageResult(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    { }
    StorageResult(StorageError error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
        Q_ASSERT(std::get<1>(m_data).isError());
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    // Only valid when ok(); std::get throws std::bad_variant_access otherwise instead of reading garbage.
    const T &value() const { return std::get<0>(m_data); }
    T &value() { return std::get<0>(m_data); }
    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

    // A default StorageError (kind None) when ok(), so logging the error of any result is safe.
    const StorageError &error() const
    {
        static const StorageError none;
        return ok() ? none : std::get<1>(m_data);
    }

private:
    std::variant<T, StorageError> m_data;
};

template <>
class StorageResult<void>
{
public:
    StorageResult() = default; // success
    StorageResult(StorageError error)
        : m_error(std::move(error))
    {
        Q_ASSERT(m_error.isError());
    }

    bool ok() const { return !m_error.isError(); }
    explicit operator bool() const { return ok(); }
    const StorageError &error() const { return m_error; }

private:
    StorageError m_error;
};

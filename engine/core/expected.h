#pragma once

#include <QtGlobal>

#include <utility>
#include <variant>

// A value or an error (Debian 12's g++ 12 has no std::expected). Both constructors are implicit, so a function
// returning Expected<T, E> can `return value;` or `return E{...};`. E must have `bool isError() const`;
// constructing from an error that is not one is a programming error (asserted in debug builds). [[nodiscard]]: a
// result is looked at, or dropped on purpose with static_cast<void>.
template <typename T, typename E>
class [[nodiscard]] Expected
{
public:
    Expected(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    { }
    Expected(E error)
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

    // A default E (no error) when ok(), so logging the error of any result is safe.
    const E &error() const
    {
        static const E none;
        return ok() ? none : std::get<1>(m_data);
    }

private:
    std::variant<T, E> m_data;
};

template <typename E>
class Expected<void, E>
{
public:
    Expected() = default; // success
    Expected(E error)
        : m_error(std::move(error))
    {
        Q_ASSERT(m_error.isError());
    }

    bool ok() const { return !m_error.isError(); }
    explicit operator bool() const { return ok(); }
    const E &error() const { return m_error; }

private:
    E m_error;
};

#pragma once

#include <QString>

#include <utility>

// An error that is a message and nothing more: for layers whose callers only show why something failed (the API's
// set-up and id parsing, the app's option readers and start-up), where no code or retry decision rides along. Each
// such layer names it once with its result type (ApiResult, AppResult).
class MessageError
{
public:
    MessageError() = default; // no error
    explicit MessageError(QString text)
        : message(std::move(text))
        , m_failed(true)
    { }

    QString message;

    // Made from a message, even an empty one: a failure is never taken for success because its text is missing.
    bool isError() const { return m_failed; }

private:
    bool m_failed = false;
};

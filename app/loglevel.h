#pragma once

#include "appresult.h"

#include <QCoreApplication>
#include <QString>

// --log-level: which messages of the keystone.* logging categories reach stderr, as "time category level: message"
// lines. Every mode calls apply() once, at start (also with an empty level, which keeps the default: warning).
class LogLevel
{
    Q_DECLARE_TR_FUNCTIONS(LogLevel)

public:
    // "debug", "info", "warning" or "error"; an error for anything else.
    [[nodiscard]] static AppResult<void> apply(const QString &level);
    // The filter rules for a level (empty for an unknown one); public for the tests.
    static QString filterRules(const QString &level);
};

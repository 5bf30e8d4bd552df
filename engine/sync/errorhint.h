#pragma once

#include <QCoreApplication>
#include <QString>

// One sentence per error code that says what happened and what to do, for the row tooltip, the API's
// last_error.hint, the CLI and the journal. Codes are the storage layer's (S3 codes and its stable local codes) and
// the engine's own ("catalog_unwritable").
class ErrorHint
{
    Q_DECLARE_TR_FUNCTIONS(ErrorHint)

public:
    static QString forCode(const QString &code);
    // Codes that mean the storage refused who we are (not what we asked): said once, engine-wide.
    static bool isCredentialsRejected(const QString &code);
};

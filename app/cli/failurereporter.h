#pragma once

#include "apifailure.h"

#include <QCoreApplication>
#include <QString>

// How a script verb reports a request the local API did not answer with success: one line on stderr, and the
// exit code that goes with its kind (ScriptCommand::ExitCode). The line names the verb, and for a refused token
// the token file and why it could not be read, so a script's log says what to fix.
class FailureReporter
{
    Q_DECLARE_TR_FUNCTIONS(FailureReporter)

public:
    // apiAddress: where the verb looked for the instance (LocalApiClient's endpoint, as text).
    // tokenProblem: why the token file could not be read (empty: it could).
    FailureReporter(QString verb, QString apiAddress, QString tokenFile, QString tokenProblem);

    // Prints the failure (subject, if any, before the API's message) and returns its exit code.
    [[nodiscard]] int report(const ApiFailure &failure, const QString &subject = {}) const;

private:
    QString m_verb;
    QString m_apiAddress;
    QString m_tokenFile;
    QString m_tokenProblem;
};

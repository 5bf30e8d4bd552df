#include "failurereporter.h"

#include "consoleoutput.h"
#include "scriptcommand.h"

FailureReporter::FailureReporter(QString verb, QString apiAddress, QString tokenFile, QString tokenProblem)
    : m_verb(std::move(verb))
    , m_apiAddress(std::move(apiAddress))
    , m_tokenFile(std::move(tokenFile))
    , m_tokenProblem(std::move(tokenProblem))
{ }

int FailureReporter::report(const ApiFailure &failure, const QString &subject) const
{
    const QString prefix = QStringLiteral("keystone-console %1: ").arg(m_verb)
        + (subject.isEmpty() ? QString() : subject + QStringLiteral(": "));
    switch (failure.kind) {
    case ApiFailure::Kind::Unreachable:
        printLine(stderr,
            tr("keystone-console %1: cannot reach the Keystone Console API at %2 (%3); is it running? Start it with "
               "'keystone-console --server', or pass the --listen/--data-dir of the running instance")
                .arg(m_verb, m_apiAddress, failure.message));
        return ScriptCommand::Unreachable;
    case ApiFailure::Kind::Unauthorized:
        printLine(stderr,
            tr("keystone-console %1: the API at %2 refused the token from %3 (HTTP %4: %5)%6; use the --data-dir of "
               "the running instance or --token-file")
                .arg(m_verb, m_apiAddress, m_tokenFile)
                .arg(failure.httpStatus)
                .arg(failure.message,
                    m_tokenProblem.isEmpty() ? QString()
                                             : tr("; the token file cannot be read: %1").arg(m_tokenProblem)));
        return ScriptCommand::AuthFailed;
    case ApiFailure::Kind::NotTheInstance:
        printLine(stderr, tr("keystone-console %1: %2; the token was not sent").arg(m_verb, failure.message));
        return ScriptCommand::NotTheInstance;
    case ApiFailure::Kind::NotFound:
        printLine(stderr, prefix + failure.message);
        return ScriptCommand::NotFound;
    case ApiFailure::Kind::BadRequest:
        printLine(stderr, prefix + failure.message);
        return ScriptCommand::Usage;
    case ApiFailure::Kind::Refused:
    case ApiFailure::Kind::None:
        break;
    }
    printLine(stderr, prefix + failure.message);
    return ScriptCommand::Failed;
}

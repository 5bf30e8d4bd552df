#include "credentialscommand.h"

#include "config/credentialresolver.h"
#include "config/credentialstore.h"
#include "consoleoutput.h"
#include "optionvalues.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcessEnvironment>

#include <cstdio>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace {

// One line from stdin; on a terminal with a prompt and without echo.
QString readSecretLine(const QString &accessKeyId)
{
    const bool terminal = ::isatty(STDIN_FILENO);
    termios saved = {};
    if (terminal) {
        std::fputs(qPrintable(CredentialsCommand::tr("Secret access key for %1: ").arg(accessKeyId)), stderr);
        std::fflush(stderr);
        ::tcgetattr(STDIN_FILENO, &saved);
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    std::string line;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar())
        line.push_back(char(c));
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputs("\n", stderr);
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

int keychainFailed(const CredentialError &error)
{
    printLine(stderr, CredentialsCommand::tr("keystone-console credentials: %1").arg(error.toString()));
    return CredentialsCommand::KeychainFailed;
}

} // namespace

int CredentialsCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Store (set) or remove (clear) the secret access key in the keychain. "
                                        "set reads the secret from stdin."));
    OptionValues::addCommonOptions(parser);
    parser.addPositionalArgument(QStringLiteral("credentials"), tr("The command."));
    parser.addPositionalArgument(QStringLiteral("set|clear"), tr("Store or remove the secret."));
    const QCommandLineOption accessKeyIdOption(QStringLiteral("access-key-id"),
        tr("The access key id (default: $AWS_ACCESS_KEY_ID, $OSS_ACCESS_KEY_ID or access-key-id in --config)."),
        QStringLiteral("id"));
    parser.addOption(accessKeyIdOption);

    QString error;
    OptionValues values(parser);
    const auto earlyExit = values.parseOrExitCode(arguments, Ok, [](const QString &message) {
        return printFailure(tr("keystone-console credentials: %1").arg(message), Usage);
    });
    if (earlyExit)
        return *earlyExit;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(1);
    if (positional.size() != 2 || (action != QLatin1String("set") && action != QLatin1String("clear"))) {
        printLine(stderr, tr("usage: keystone-console credentials set|clear [--access-key-id ID] (see --help)"));
        return Usage;
    }
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    CredentialRequest request;
    request.environment = environment;
    request.accessKeyId = values.fileValue(QStringLiteral("access-key-id"));
    const QString accessKeyId = values.isSetOnCommandLine(accessKeyIdOption)
        ? values.value(accessKeyIdOption)
        : CredentialResolver::keychainAccessKeyId(request);
    if (accessKeyId.isEmpty()) {
        printLine(stderr,
            tr("keystone-console credentials: no access key id: pass --access-key-id, set AWS_ACCESS_KEY_ID or put "
               "access-key-id= in the --config file"));
        return Usage;
    }
    QString reason;
    if (!CredentialResolver::keychainUsable(environment, &reason)) {
        printLine(stderr,
            tr("keystone-console credentials: no keychain usable: %1. Use the environment (AWS_ACCESS_KEY_ID, "
               "AWS_SECRET_ACCESS_KEY) or --credentials-file FILE instead.")
                .arg(reason));
        return KeychainFailed;
    }

    const QString where = tr("the keychain (service \"%1\", key %2)").arg(CredentialStore::kService, accessKeyId);
    if (action == QLatin1String("clear")) {
        const auto removed = CredentialStore::deleteSecretAndWait(accessKeyId, kKeychainTimeoutMs);
        if (!removed && removed.error().kind != CredentialError::Kind::NotFound)
            return keychainFailed(removed.error());
        printLine(stdout, tr("removed the secret access key from %1").arg(where));
        return Ok;
    }
    const QString secret = readSecretLine(accessKeyId);
    if (secret.isEmpty()) {
        printLine(stderr, tr("keystone-console credentials: no secret on stdin (one line expected)"));
        return Usage;
    }
    const auto stored = CredentialStore::writeSecretAndWait(accessKeyId, secret, kKeychainTimeoutMs);
    if (!stored)
        return keychainFailed(stored.error());
    printLine(stdout, tr("stored the secret access key in %1").arg(where));
    return Ok;
}

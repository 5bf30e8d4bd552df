#include "servercommand.h"

#include "consoleoutput.h"
#include "enginehost.h"
#include "engineoptions.h"
#include "unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ServerCommand", text);
}

} // namespace

int ServerCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Run the sync engine and the local HTTP API without a display."));
    parser.addHelpOption();
    parser.addOption(QCommandLineOption(QStringLiteral("server"), tr("Run headless.")));
    EngineOptions options;
    options.addOptions(parser);

    QString error;
    if (!parser.parse(arguments)) {
        printLine(stderr, tr("keystone-console --server: %1").arg(parser.errorText()));
        return Usage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printLine(stdout, parser.helpText());
        return Ok;
    }
    if (!options.read(parser, QProcessEnvironment::systemEnvironment(), &error)) {
        printLine(stderr, tr("keystone-console --server: %1").arg(error));
        return Usage;
    }

    EngineHost host;
    if (!host.start(options.sync, options.api, &error)) {
        printLine(stderr, tr("keystone-console --server: %1").arg(error));
        return StartFailed;
    }
    printLine(stdout,
        tr("Keystone Console API on %1/api/v1 (token in %2)")
            .arg(host.api().url().toString(), host.api().tokenFilePath()));

    UnixSignalWatcher signals;
    QObject::connect(
        &signals, &UnixSignalWatcher::terminationRequested, &host.engine(), [] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    printLine(stderr, tr("stopping; unfinished uploads resume at the next start"));
    return Ok;
}

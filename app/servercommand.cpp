#include "servercommand.h"

#include "consoleoutput.h"
#include "core/descriptorlimit.h"
#include "enginehost.h"
#include "engineoptions.h"
#include "optionvalues.h"
#include "unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>

int ServerCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Run the sync engine and the local HTTP API without a display."));
    OptionValues::addCommonOptions(parser);
    parser.addOption(QCommandLineOption(QStringLiteral("server"), tr("Run headless.")));
    const QCommandLineOption grace(QStringLiteral("shutdown-grace"),
        tr("On SIGTERM/SIGINT, let parts in flight finish for up to this many seconds (default 10)."),
        QStringLiteral("seconds"), QStringLiteral("10"));
    parser.addOption(grace);
    EngineOptions options;
    options.addOptions(parser);

    OptionValues values(parser);
    const auto earlyExit = values.parseOrExitCode(arguments, Ok,
        [](const QString &message) { return printFailure(tr("keystone-console --server: %1").arg(message), Usage); });
    if (earlyExit)
        return *earlyExit;
    bool graceOk = false;
    const int graceSeconds = values.value(grace).toInt(&graceOk);
    if (!graceOk || graceSeconds < 0 || graceSeconds > 3600) {
        printLine(stderr, tr("keystone-console --server: --shutdown-grace must be between 0 and 3600"));
        return Usage;
    }
    if (const auto read = options.read(values, QProcessEnvironment::systemEnvironment()); !read) {
        printLine(stderr, tr("keystone-console --server: %1").arg(read.error().message));
        return Usage;
    }
    printLine(stderr, tr("credentials: %1").arg(options.credentialSource()));

    // Watched before the engine starts and says where its API is: a SIGTERM from a supervisor that saw that line
    // stops gracefully instead of killing a process half started (a signal before the connect below waits in the
    // watcher's pipe until the event loop runs).
    UnixSignalWatcher signals;
    EngineHost host;
    if (const auto started = host.start(options.sync, options.api); !started) {
        printLine(stderr, tr("keystone-console --server: %1").arg(started.error().message));
        return StartFailed;
    }
    host.printApiAddress();
    EngineHost::printWatching(options.sync.watch);
    const DescriptorLimit::Limits descriptors = DescriptorLimit::current();
    printLine(stderr,
        tr("file descriptors: up to %1 (hard limit %2); the API keeps %3 free and holds at most %4 connections")
            .arg(descriptors.soft)
            .arg(descriptors.hard)
            .arg(DescriptorLimit::reserveFor(descriptors.soft))
            .arg(host.api().connectionLimit()));

    QObject::connect(&signals, &UnixSignalWatcher::terminationRequested, &host.engine(), [&host, graceSeconds] {
        printLine(stderr,
            tr("stopping: parts in flight may finish for up to %1 s (signal again to stop now)").arg(graceSeconds));
        host.engine().shutdown(graceSeconds * 1000);
        QCoreApplication::quit();
    });
    QCoreApplication::exec();
    printLine(stderr, tr("stopped; unfinished uploads resume at the next start"));
    return Ok;
}

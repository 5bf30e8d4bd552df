#include "guicommand.h"

#include "consoleoutput.h"
#include "enginehost.h"
#include "engineoptions.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("GuiCommand", text);
}

} // namespace

int GuiCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Keystone Console: upload robot episodes to S3-compatible storage."));
    parser.addHelpOption();
    parser.addVersionOption();
    EngineOptions options;
    options.addOptions(parser);
    QString error;
    if (!parser.parse(arguments)) {
        printLine(stderr, tr("keystone-console: %1").arg(parser.errorText()));
        return Usage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printLine(stdout, parser.helpText());
        return Ok;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        printLine(stdout, QStringLiteral("keystone-console %1").arg(QCoreApplication::applicationVersion()));
        return Ok;
    }
    if (!options.read(parser, QProcessEnvironment::systemEnvironment(), &error)) {
        printLine(stderr, tr("keystone-console: %1").arg(error));
        QMessageBox::critical(nullptr, tr("Keystone Console"), error);
        return Usage;
    }

    EngineHost host;
    if (!host.start(options.sync, options.api, &error)) {
        printLine(stderr, tr("keystone-console: %1").arg(error));
        QMessageBox::critical(nullptr, tr("Keystone Console"), error);
        return StartFailed;
    }
    printLine(stdout,
        tr("Keystone Console API on %1/api/v1 (token in %2)")
            .arg(host.api().url().toString(), host.api().tokenFilePath()));
    MainWindow window(host.engine());
    window.show();
    return QApplication::exec();
}

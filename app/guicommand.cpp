#include "guicommand.h"

#include "consoleoutput.h"
#include "consolesettings.h"
#include "enginehost.h"
#include "engineoptions.h"
#include "mainwindow.h"
#include "optionvalues.h"
#include "settingsdialog.h"
#include "traystatus.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QSettings>
#include <QSystemTrayIcon>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("GuiCommand", text);
}

int fail(int code, const QString &message)
{
    printLine(stderr, tr("keystone-console: %1").arg(message));
    QMessageBox::critical(nullptr, tr("Keystone Console"), message);
    return code;
}

} // namespace

int GuiCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Keystone Console: upload robot episodes to S3-compatible storage."));
    OptionValues::addCommonOptions(parser);
    EngineOptions options;
    options.addOptions(parser);
    OptionValues values(parser);
    const auto earlyExit
        = values.parseOrExitCode(arguments, Ok, [](const QString &message) { return fail(Usage, message); });
    if (earlyExit)
        return *earlyExit;
    QString error;

    // Storage from the command line or config file when given (the run script, scripts), else from the saved
    // settings; the secret for those comes from the same lookup as everywhere (keychain, environment, file).
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QSettings settings;
    const bool fromSettings = !values.isSet(QStringLiteral("bucket")) && ConsoleSettings::load(settings).isConfigured();
    if (fromSettings) {
        options.sync = SettingsDialog::loadConfig(settings);
        if (!options.readLocations(values, &error) || !options.readWatch(values, &error))
            return fail(Usage, error);
        if (!options.readCredentials(
                values, environment, QString::fromUtf8(options.sync.credentials.accessKeyId), &error))
            return fail(Usage, error);
    } else if (!options.read(values, environment, &error)) {
        return fail(Usage, tr("%1 (or save storage settings in the console first)").arg(error));
    }
    printLine(stderr, tr("credentials: %1").arg(options.credentialSource()));

    EngineHost host;
    if (!host.start(options.sync, options.api, &error))
        return fail(StartFailed, error);
    printLine(stdout,
        tr("Keystone Console API on %1/api/v1 (token in %2)")
            .arg(host.api().url().toString(), host.api().tokenFilePath()));
    EngineHost::printWatching(options.sync.watch);
    MainWindow window(host.engine());
    window.setApiInfo(host.api().url().toString(), host.api().token());
    QObject::connect(&window, &MainWindow::settingsChanged, &window, [&window] {
        QMessageBox::information(
            &window, tr("Keystone Console"), tr("The new settings apply the next time Keystone Console starts."));
    });
    QObject::connect(&window, &MainWindow::apiTokenRegenerationRequested, &window, [&host, &window] {
        QString problem;
        if (host.api().regenerateToken(&problem))
            window.setApiInfo(host.api().url().toString(), host.api().token());
        else
            QMessageBox::warning(&window, tr("Keystone Console"), problem);
    });
    std::unique_ptr<TrayStatus> tray;
    if (QSystemTrayIcon::isSystemTrayAvailable())
        tray = std::make_unique<TrayStatus>(host.engine(), &window);
    window.show();
    return QApplication::exec();
}

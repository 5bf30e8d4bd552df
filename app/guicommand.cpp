#include "guicommand.h"

#include "config/credentialstore.h"
#include "consoleoutput.h"
#include "consolesettings.h"
#include "enginehost.h"
#include "engineoptions.h"
#include "mainwindow.h"
#include "settingsdialog.h"
#include "traystatus.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QMessageBox>
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

// The secret for saved settings: the keychain first, else the environment, else a clear error naming both ways.
// Start-up only, so waiting on a local event loop here blocks no running view.
bool secretFor(SyncConfig *config, QString *error)
{
    CredentialStore store;
    QEventLoop loop;
    CredentialResult<QString> secret = CredentialError{CredentialError::Kind::Other, {}, {}};
    store.readSecret(QString::fromUtf8(config->credentials.accessKeyId), [&](const CredentialResult<QString> &r) {
        secret = r;
        loop.quit();
    });
    loop.exec();
    if (secret) {
        config->credentials.secretAccessKey = secret.value().toUtf8();
        return true;
    }
    const QByteArray fromEnvironment = qgetenv("AWS_SECRET_ACCESS_KEY");
    if (!fromEnvironment.isEmpty()) {
        config->credentials.secretAccessKey = fromEnvironment;
        printLine(
            stderr, tr("keystone-console: keychain: %1; using AWS_SECRET_ACCESS_KEY").arg(secret.error().toString()));
        return true;
    }
    *error = tr("no secret key for %1: %2 Store it in Settings, or set AWS_SECRET_ACCESS_KEY.")
                 .arg(QString::fromUtf8(config->credentials.accessKeyId), secret.error().toString());
    return false;
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
    if (!parser.parse(arguments))
        return fail(Usage, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printLine(stdout, parser.helpText());
        return Ok;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        printLine(stdout, QStringLiteral("keystone-console %1").arg(QCoreApplication::applicationVersion()));
        return Ok;
    }

    // Storage from the command line when given (the run script, scripts), else from the saved settings.
    QSettings settings;
    const bool fromSettings = !parser.isSet(QStringLiteral("bucket")) && ConsoleSettings::load(settings).isConfigured();
    if (fromSettings) {
        options.sync = SettingsDialog::loadConfig(settings);
        if (!options.readLocations(parser, &error) || !options.readWatch(parser, &error))
            return fail(Usage, error);
        if (!secretFor(&options.sync, &error))
            return fail(Usage, error);
    } else if (!options.read(parser, QProcessEnvironment::systemEnvironment(), &error)) {
        return fail(Usage, tr("%1 (or save storage settings in the console first)").arg(error));
    }

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

#include "guicommand.h"

#include "config/credentialresolver.h"
#include "consoleoutput.h"
#include "consolesettings.h"
#include "enginehost.h"
#include "engineoptions.h"
#include "fixedsettingsreader.h"
#include "mainwindow.h"
#include "optionvalues.h"
#include "settingsdialog.h"
#include "traystatus.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStatusBar>
#include <QSystemTrayIcon>

namespace {

int fail(int code, const QString &message)
{
    printLine(stderr, GuiCommand::tr("keystone-console: %1").arg(message));
    QMessageBox::critical(nullptr, GuiCommand::tr("Keystone Console"), message);
    return code;
}

// The credentials of the engine as the settings dialog asks about them (CredentialLookup): the running ones while
// the access key id is unchanged, else what the environment or --credentials-file hold, as a restart would find
// them; never the keychain (the dialog asks it itself, asynchronously; a lookup here would block the GUI thread).
class CredentialsInUse
{
public:
    CredentialsInUse(
        QProcessEnvironment environment, QString credentialsFile, AwsCredentials running, QString runningSource)
        : m_environment(std::move(environment))
        , m_credentialsFile(std::move(credentialsFile))
        , m_running(std::move(running))
        , m_runningSource(std::move(runningSource))
    { }

    Expected<ResolvedCredentials, CredentialLookupError> lookup(const QString &accessKeyId) const
    {
        if (accessKeyId.toUtf8() == m_running.accessKeyId && m_running.isValid())
            return ResolvedCredentials{m_running, ResolvedCredentials::Source::Environment, m_runningSource};
        CredentialRequest request;
        request.environment = m_environment;
        request.accessKeyId = accessKeyId;
        request.credentialsFile = m_credentialsFile;
        request.useKeychain = false;
        auto found = CredentialResolver::resolve(request);
        if (!found)
            return found.error();
        const QByteArray foundId = found.value().credentials.accessKeyId;
        if (!accessKeyId.isEmpty() && foundId != accessKeyId.toUtf8()) {
            // The environment's id comes first at start-up: running with it would not be the id entered.
            return CredentialLookupError{CredentialLookupError::Kind::NotFound,
                GuiCommand::tr(
                    "No secret key for access key %1: %2 holds the key of %3. Enter the secret key, or use that id.")
                    .arg(CredentialResolver::maskedKeyId(accessKeyId), found.value().description,
                        CredentialResolver::maskedKeyId(QString::fromUtf8(foundId)))};
        }
        return found;
    }

    // The engine now runs with these (applied from the settings): what lookup() answers for their id from now on.
    void setRunning(const AwsCredentials &credentials)
    {
        if (credentials.accessKeyId == m_running.accessKeyId
            && credentials.secretAccessKey == m_running.secretAccessKey)
            return;
        CredentialRequest request;
        request.environment = m_environment;
        request.accessKeyId = QString::fromUtf8(credentials.accessKeyId);
        request.credentialsFile = m_credentialsFile;
        request.useKeychain = false;
        const auto found = CredentialResolver::resolve(request);
        const bool fromThere = found && found.value().credentials.accessKeyId == credentials.accessKeyId
            && found.value().credentials.secretAccessKey == credentials.secretAccessKey;
        m_running = credentials;
        // Not from the environment or the file: the dialog stored it in the keychain.
        m_runningSource = fromThere
            ? found.value().description
            : GuiCommand::tr("keychain (access key %1)")
                  .arg(CredentialResolver::maskedKeyId(QString::fromUtf8(credentials.accessKeyId)));
    }

private:
    QProcessEnvironment m_environment;
    QString m_credentialsFile;
    AwsCredentials m_running;
    QString m_runningSource;
};

// Storage and limits come from the saved settings (in options.sync): add where things live, the folder watch and the
// limits given (the command line and config file win one by one), then the secret for the saved access key id.
AppResult<void> readSavedStorageOptions(
    const OptionValues &values, const QProcessEnvironment &environment, EngineOptions &options)
{
    if (auto locations = options.readLocations(values); !locations)
        return locations;
    if (auto watch = options.readWatch(values); !watch)
        return watch;
    if (auto limits = options.readLimits(values); !limits)
        return limits;
    return options.readCredentials(values, environment, QString::fromUtf8(options.sync.credentials.accessKeyId));
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

    // Storage from the command line or config file when given (the run script, scripts), else from the saved
    // settings; the secret for those comes from the same lookup as everywhere (keychain, environment, file). Limits:
    // the command line and config file win one by one, the saved settings fill in the rest.
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QSettings settings;
    const ConsoleSettings saved = ConsoleSettings::load(settings);
    const bool fromSettings = !values.isSet(QStringLiteral("bucket")) && saved.isConfigured();
    const FixedSettings fixed = FixedSettingsReader::read(values, !fromSettings);
    if (fromSettings) {
        options.sync = SettingsDialog::loadConfig(settings);
        if (const auto read = readSavedStorageOptions(values, environment, options); !read)
            return fail(Usage, read.error().message);
    } else {
        if (const auto read = options.read(values, environment); !read)
            return fail(Usage, tr("%1 (or save storage settings in the console first)").arg(read.error().message));
        if (ConsoleSettings::hasSavedLimits(settings))
            saved.applyEditableTo(options.sync, fixed); // every storage field is fixed here: only limits change
    }
    printLine(stderr, tr("credentials: %1").arg(options.credentialSource()));

    EngineHost host;
    if (const auto started = host.start(options.sync, options.api); !started)
        return fail(StartFailed, started.error().message);
    host.printApiAddress();
    EngineHost::printWatching(options.sync.watch);
    CredentialsInUse credentials(environment, values.value(QStringLiteral("credentials-file")),
        options.sync.credentials, options.credentialSource());
    MainWindow window(host.engine());
    window.setApiInfo(host.api().url().toString(), host.api().token());
    window.setFixedSettings(fixed);
    window.setCredentialLookup([&credentials](const QString &id) { return credentials.lookup(id); });
    // Saved settings go into force at once: the engine drains and switches when the storage or credentials changed.
    QObject::connect(
        &window, &MainWindow::settingsChanged, &window, [&host, &window, &credentials](const SyncConfig &config) {
            host.engine().applyConfig(config, [&window, &credentials, config](const SyncResult<void> &result) {
                if (!result) {
                    auto *box = new QMessageBox(QMessageBox::Warning, tr("Keystone Console"),
                        tr("The settings were saved but not applied: %1").arg(result.error().message), QMessageBox::Ok,
                        &window);
                    box->setAttribute(Qt::WA_DeleteOnClose);
                    box->open(); // not exec(): the window keeps running
                    return;
                }
                credentials.setRunning(config.credentials); // the engine logs the change (keystone.sync)
                window.statusBar()->showMessage(tr("New settings in force."), 5000);
            });
        });
    QObject::connect(&window, &MainWindow::apiTokenRegenerationRequested, &window, [&host, &window] {
        if (const auto regenerated = host.api().regenerateToken())
            window.setApiInfo(host.api().url().toString(), host.api().token());
        else
            QMessageBox::warning(&window, tr("Keystone Console"), regenerated.error().message);
    });
    std::unique_ptr<TrayStatus> tray;
    if (QSystemTrayIcon::isSystemTrayAvailable())
        tray = std::make_unique<TrayStatus>(host.engine(), &window);
    window.setTrayAvailable(tray != nullptr);
    window.show();
    return QApplication::exec();
}

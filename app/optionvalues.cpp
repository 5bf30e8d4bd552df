#include "optionvalues.h"

#include "consoleoutput.h"
#include "loglevel.h"
#include "translatedoptions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

namespace {

enum class KeyKind { Text, Path, Flag };

struct ConfigKey
{
    const char *name;
    KeyKind kind;
};

// The long names of the options of every mode, plus access-key-id (config only: where the keychain looks) and the
// folder-watch options. A new option that may come from the file is added here.
constexpr ConfigKey kConfigKeys[] = {
    {"bucket", KeyKind::Text},
    {"endpoint", KeyKind::Text},
    {"region", KeyKind::Text},
    {"provider", KeyKind::Text},
    {"signature-version", KeyKind::Text},
    {"path-style", KeyKind::Flag},
    {"virtual-hosted", KeyKind::Flag},
    {"ca-bundle", KeyKind::Path},
    {"part-size", KeyKind::Text},
    {"concurrency", KeyKind::Text},
    {"single-put-threshold", KeyKind::Text},
    {"max-attempts", KeyKind::Text},
    {"bandwidth-limit", KeyKind::Text},
    {"bandwidth-schedule", KeyKind::Text},
    {"recording-limit", KeyKind::Text},
    {"data-dir", KeyKind::Path},
    {"listen", KeyKind::Text},
    {"api-max-connections", KeyKind::Text},
    {"station-name", KeyKind::Text},
    {"key-prefix", KeyKind::Text},
    {"max-episodes", KeyKind::Text},
    {"max-parts", KeyKind::Text},
    {"max-files-per-episode", KeyKind::Text},
    {"small-episode-size", KeyKind::Text},
    {"shutdown-grace", KeyKind::Text},
    {"credentials-file", KeyKind::Path},
    {"access-key-id", KeyKind::Text},
    {"log-level", KeyKind::Text},
    {"watch", KeyKind::Path},
    {"watch-stable-seconds", KeyKind::Text},
    {"watch-marker", KeyKind::Text},
};

const ConfigKey *findKey(const QString &name)
{
    for (const ConfigKey &key : kConfigKeys) {
        if (name == QLatin1String(key.name))
            return &key;
    }
    return nullptr;
}

const QCommandLineOption kConfig(QStringLiteral("config"),
    OptionValues::tr("Read options from this INI file (command-line options win)."), QStringLiteral("file"));
const QCommandLineOption kLogLevel(QStringLiteral("log-level"),
    OptionValues::tr("Log to stderr from this level on: debug, info, warning (default) or error."),
    QStringLiteral("level"));

// QSettings splits unquoted values at commas into a list; put them back together.
QString settingText(const QVariant &value)
{
    if (value.userType() == QMetaType::QStringList)
        return value.toStringList().join(QLatin1Char(','));
    return value.toString();
}

bool parseFlag(const QString &text, QString *normalised)
{
    const QString lower = text.trimmed().toLower();
    if (lower == QLatin1String("true") || lower == QLatin1String("yes") || lower == QLatin1String("1"))
        *normalised = QStringLiteral("true");
    else if (lower == QLatin1String("false") || lower == QLatin1String("no") || lower == QLatin1String("0"))
        *normalised = QStringLiteral("false");
    else
        return false;
    return true;
}

} // namespace

OptionValues::OptionValues(QCommandLineParser &parser)
    : m_parser(parser)
{ }

void OptionValues::addCommonOptions(QCommandLineParser &parser)
{
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions(translatedOptions("OptionValues", {kConfig, kLogLevel}));
}

QStringList OptionValues::configKeys()
{
    QStringList keys;
    for (const ConfigKey &key : kConfigKeys)
        keys << QLatin1String(key.name);
    return keys;
}

AppResult<OptionValues::Outcome> OptionValues::parse(const QStringList &arguments)
{
    if (!m_parser.parse(arguments))
        return AppError{m_parser.errorText()};
    if (m_parser.isSet(QStringLiteral("help"))) {
        printLine(stdout, m_parser.helpText());
        return Outcome::Done;
    }
    if (m_parser.isSet(QStringLiteral("version"))) {
        printLine(stdout, QStringLiteral("keystone-console %1").arg(QStringLiteral(KEYSTONE_VERSION)));
        return Outcome::Done;
    }
    if (auto config = loadConfig(); !config)
        return config.error();
    if (auto logLevel = LogLevel::apply(value(kLogLevel)); !logLevel)
        return logLevel.error();
    return Outcome::Run;
}

std::optional<int> OptionValues::parseOrExitCode(
    const QStringList &arguments, int okCode, const std::function<int(const QString &error)> &failUsage)
{
    const auto outcome = parse(arguments);
    if (!outcome)
        return failUsage(outcome.error().message);
    if (outcome.value() == Outcome::Done)
        return okCode;
    return std::nullopt;
}

AppResult<void> OptionValues::loadConfig()
{
    m_file.clear();
    m_configFile.clear();
    if (!m_parser.isSet(kConfig))
        return {};
    const QString path = QFileInfo(m_parser.value(kConfig)).absoluteFilePath();
    // QSettings reads a missing or unreadable file as an empty one: check first.
    QFile probe(path);
    if (!QFileInfo(path).isFile() || !probe.open(QIODevice::ReadOnly))
        return AppError{tr("cannot read config file %1").arg(path)};
    QSettings settings(path, QSettings::IniFormat);
    if (settings.status() != QSettings::NoError)
        return AppError{tr("config file %1 is not a valid INI file").arg(path)};
    const QString folder = QFileInfo(path).absolutePath();
    for (const QString &name : settings.allKeys()) {
        const ConfigKey *key = findKey(name);
        if (!key)
            return AppError{tr("config file %1: unknown key '%2' (known keys: %3)")
                                .arg(path, name, configKeys().join(QStringLiteral(", ")))};
        QString text = settingText(settings.value(name)).trimmed();
        if (key->kind == KeyKind::Flag && !parseFlag(text, &text))
            return AppError{tr("config file %1: %2 must be true or false, not '%3'").arg(path, name, text)};
        if (key->kind == KeyKind::Path && !text.isEmpty())
            text = QDir::cleanPath(QDir(folder).absoluteFilePath(text));
        m_file.insert(name, text);
    }
    m_configFile = path;
    return {};
}

bool OptionValues::isSetOnCommandLine(const QCommandLineOption &option) const
{
    return m_parser.isSet(option);
}

std::optional<bool> OptionValues::flag(const QCommandLineOption &option) const
{
    if (m_parser.isSet(option))
        return true;
    const auto it = m_file.constFind(option.names().constLast());
    if (it == m_file.constEnd())
        return std::nullopt;
    return *it == QLatin1String("true");
}

bool OptionValues::isSet(const QString &name) const
{
    if (m_parser.isSet(name))
        return true;
    const auto it = m_file.constFind(name);
    if (it == m_file.constEnd())
        return false;
    const ConfigKey *key = findKey(name);
    return key && key->kind == KeyKind::Flag ? *it == QLatin1String("true") : true;
}

QStringList OptionValues::values(const QCommandLineOption &option) const
{
    const QString name = option.names().constLast();
    if (m_parser.isSet(name) || !m_file.contains(name))
        return m_parser.values(name);
    QStringList items = m_file.value(name).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString &item : items)
        item = item.trimmed();
    return items;
}

QString OptionValues::value(const QString &name) const
{
    if (m_parser.isSet(name) || !m_file.contains(name))
        return m_parser.value(name);
    return m_file.value(name);
}

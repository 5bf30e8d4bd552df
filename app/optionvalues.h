#pragma once

#include "appresult.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// Option values from the command line, else from the --config file, else the option's default. Every mode reads
// its options through this (EngineOptions, StorageCommandLine, ServerCommand, UploadCommand, ...), so a key in the
// file works wherever the option with that long name does.
//
// The config file is INI (QSettings), keys in the general section named like the long options:
//   bucket=episodes-prod
//   endpoint=https://oss-cn-hangzhou.aliyuncs.com
//   path-style=false
//   data-dir=state                  (paths are relative to the file's folder)
// One file serves every mode: a mode ignores keys it has no option for, but a key no mode knows is an error naming
// it, so a typo never silently does nothing.
class OptionValues
{
    Q_DECLARE_TR_FUNCTIONS(OptionValues)

public:
    enum class Outcome { Run, Done };

    explicit OptionValues(QCommandLineParser &parser);

    // --help, --version, --config and --log-level: what every mode offers.
    static void addCommonOptions(QCommandLineParser &parser);
    // Parses the arguments and does the common part: prints --help or --version (Done), loads --config and
    // applies --log-level. An error on bad usage.
    [[nodiscard]] AppResult<Outcome> parse(const QStringList &arguments);
    // parse() as every mode's run() begins: nullopt when the mode goes on, else the exit code to return at once —
    // okCode after --help or --version, or what failUsage (which reports the error) returns on bad usage.
    std::optional<int> parseOrExitCode(
        const QStringList &arguments, int okCode, const std::function<int(const QString &error)> &failUsage);
    // Loads the --config file, if one was given (parse() does this; tests call it directly).
    [[nodiscard]] AppResult<void> loadConfig();

    bool isSet(const QString &name) const;
    bool isSet(const QCommandLineOption &option) const { return isSet(option.names().constLast()); }
    bool isSetOnCommandLine(const QCommandLineOption &option) const;
    // A flag option: true when given on the command line, else the file's true/false, else nullopt (not mentioned).
    // isSet() of a flag is true only for true.
    std::optional<bool> flag(const QCommandLineOption &option) const;
    // Command line, else the file (a path key made absolute against the file's folder), else the default.
    QString value(const QString &name) const;
    QString value(const QCommandLineOption &option) const { return value(option.names().constLast()); }
    // An option that may be given more than once: every value on the command line, else the file's value as a
    // comma-separated list (items trimmed), else the default.
    QStringList values(const QCommandLineOption &option) const;
    // A key from the file only (for keys without an option in this mode, such as access-key-id). Query the parser
    // through isSet()/value() only for options it has: QCommandLineParser warns about unknown names.
    QString fileValue(const QString &name) const { return m_file.value(name); }

    const QCommandLineParser &parser() const { return m_parser; }
    QString configFile() const { return m_configFile; }

    // Every key a config file may hold (the long option names of all modes).
    static QStringList configKeys();

private:
    QCommandLineParser &m_parser;
    QString m_configFile;
    QHash<QString, QString> m_file; // key → value as written (booleans normalised to "true"/"false")
};

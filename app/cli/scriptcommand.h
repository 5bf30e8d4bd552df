#pragma once

#include "appresult.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

class FailureReporter;
class LocalApiClient;
class QCommandLineParser;
class OptionValues;

// The script verbs: talk to a running instance (`keystone-console --server` or the desktop console)
// through its local HTTP API. The instance is located like the server locates itself (--data-dir, --listen): its
// Unix socket when it exists, else TCP with an identity check; the bearer token is read from <data-dir>/api-token or
// --token-file.
//   add PATH [--name N]   register and queue; prints the new id
//   sync|cancel|retry|rescan|pause|resume ID...   priority ID N
//   status ID... [--json] list [--status S] [--json]   watch [ID...]
//   throttle [recording [--limit R] [--for D] | off] [--json]
// ScriptCommand parses the command line, finds the instance and runs the verbs that change something; the reading
// verbs (status, list, watch) are ReadingVerbs, and every failed request is reported by FailureReporter.
// Exit codes: see ExitCode (also in --help and the README).
class ScriptCommand
{
    Q_DECLARE_TR_FUNCTIONS(ScriptCommand)

public:
    enum ExitCode { Ok = 0, Failed = 1, Usage = 2, NotFound = 3, Unreachable = 4, AuthFailed = 5, NotTheInstance = 6 };

    ScriptCommand();
    ~ScriptCommand();

    static bool isVerb(const char *argument);
    int run(const QStringList &arguments);

private:
    void addVerbOptions(QCommandLineParser &parser) const;
    QStringList withNegativePriority(const QStringList &arguments) const;
    [[nodiscard]] AppResult<void> connect(const OptionValues &values);
    int dispatch(const QCommandLineParser &parser, const QStringList &operands);

    int add(const QStringList &operands, const QString &name);
    int transition(const QList<qint64> &ids);
    int priority(const QStringList &operands);
    int throttle(const QStringList &operands, const QCommandLineParser &parser);
    // Prints the usage error (one line on stderr) and returns Usage.
    int usage(const QString &message) const;
    QString exitCodeHelp() const;

    QString m_verb;
    std::unique_ptr<LocalApiClient> m_client;
    std::unique_ptr<FailureReporter> m_failures; // made with the client: it names the client's endpoint
};

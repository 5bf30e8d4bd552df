#pragma once

#include "apifailure.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

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
    bool connect(const OptionValues &values, QString *error);
    int dispatch(const QCommandLineParser &parser, const QStringList &operands);

    int add(const QStringList &operands, const QString &name);
    int transition(const QList<qint64> &ids);
    int priority(const QStringList &operands);
    int throttle(const QStringList &operands, const QCommandLineParser &parser);
    int status(const QList<qint64> &ids, bool json);
    int list(const QString &status, bool json);
    int watch(const QList<qint64> &ids);

    // Names and totals for the human views: GET /episodes/{id} for each status item.
    bool addEpisodeDetails(QList<QJsonObject> *rows, int *exitCode);
    QList<QJsonObject> episodesToWatch(const QList<qint64> &ids, int *exitCode);

    // Prints the failure (one line on stderr) and returns its exit code.
    int fail(const ApiFailure &failure, const QString &subject = {}) const;
    int usage(const QString &message) const;
    QString exitCodeHelp() const;

    QString m_verb;
    QString m_tokenFile;
    QString m_tokenProblem; // why the token file could not be read (empty: it could)
    std::unique_ptr<LocalApiClient> m_client;
};

#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>

class FailureReporter;
class LocalApiClient;

// The script verbs that only read: status, list and watch. They print what the instance's API answers (a table,
// or its JSON with --json) and change nothing; ScriptCommand parses their operands and calls them. Each returns
// the verb's exit code (ScriptCommand::ExitCode).
class ReadingVerbs
{
    Q_DECLARE_TR_FUNCTIONS(ReadingVerbs)

public:
    ReadingVerbs(LocalApiClient &client, const FailureReporter &failures);

    // status ID...: one row per known id (name and size from GET /episodes/{id}); unknown ids on stderr (3).
    [[nodiscard]] int status(const QList<qint64> &ids, bool json);
    // list [--status S]: every episode, following the pages to the last.
    [[nodiscard]] int list(const QString &status, bool json);
    // watch [ID...]: live progress until every watched episode is final; 0 only if all completed.
    [[nodiscard]] int watch(const QList<qint64> &ids);

private:
    // Names and totals for the human views: GET /episodes/{id} for each status item.
    bool addEpisodeDetails(QList<QJsonObject> *rows, int *exitCode);
    QList<QJsonObject> episodesToWatch(const QList<qint64> &ids, int *exitCode);

    LocalApiClient &m_client;
    const FailureReporter &m_failures;
};

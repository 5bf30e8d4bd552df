#include "readingverbs.h"

#include "api/apikeys.h"
#include "catalog/episodestate.h"
#include "consoleoutput.h"
#include "episodewatcher.h"
#include "failurereporter.h"
#include "localapiclient.h"
#include "progressbarprinter.h"
#include "scriptcommand.h"
#include "statusformatter.h"

#include <QJsonArray>

namespace {

QString episodePath(qint64 id)
{
    return QStringLiteral("/episodes/%1").arg(id);
}

QList<QJsonObject> objects(const QJsonArray &array)
{
    QList<QJsonObject> result;
    for (const QJsonValue &value : array)
        result.append(value.toObject());
    return result;
}

} // namespace

ReadingVerbs::ReadingVerbs(LocalApiClient &client, const FailureReporter &failures)
    : m_client(client)
    , m_failures(failures)
{ }

int ReadingVerbs::status(const QList<qint64> &ids, bool json)
{
    const auto answer = m_client.statuses(ids);
    if (!answer)
        return m_failures.report(answer.error());
    if (json) {
        printJsonLine(answer.value());
    } else {
        QList<QJsonObject> rows = objects(answer.value().value(ApiKey::kItems).toArray());
        int exitCode = ScriptCommand::Ok;
        if (!addEpisodeDetails(&rows, &exitCode))
            return exitCode;
        if (!rows.isEmpty()) { // only unknown ids: nothing but the errors below
            for (const QString &line : StatusFormatter::table(rows))
                printLine(stdout, line);
        }
    }
    const QJsonArray missing = answer.value().value(ApiKey::kMissing).toArray();
    for (const QJsonValue &id : missing)
        printLine(stderr, tr("keystone-console status: episode %1 not found").arg(id.toInteger()));
    return missing.isEmpty() ? ScriptCommand::Ok : ScriptCommand::NotFound;
}

bool ReadingVerbs::addEpisodeDetails(QList<QJsonObject> *rows, int *exitCode)
{
    for (QJsonObject &row : *rows) {
        const qint64 id = row.value(ApiKey::kEpisodeId).toInteger();
        const auto episode = m_client.get(episodePath(id));
        if (!episode && episode.error().kind == ApiFailure::Kind::NotFound)
            continue; // deleted in between: the status alone still says something
        if (!episode) {
            *exitCode = m_failures.report(episode.error(), tr("episode %1").arg(id));
            return false;
        }
        for (const QLatin1String key : {ApiKey::kName, ApiKey::kTotalBytes})
            row.insert(key, episode.value().value(key));
    }
    return true;
}

int ReadingVerbs::list(const QString &status, bool json)
{
    const auto episodes = m_client.listEpisodes(status);
    if (!episodes)
        return m_failures.report(
            episodes.error(), status.isEmpty() ? QString() : QStringLiteral("--status %1").arg(status));
    if (json) {
        QJsonArray items;
        for (const QJsonObject &episode : episodes.value())
            items.append(episode);
        printJsonLine({{ApiKey::kItems, items}});
        return ScriptCommand::Ok;
    }
    for (const QString &line : StatusFormatter::table(episodes.value()))
        printLine(stdout, line);
    return ScriptCommand::Ok;
}

int ReadingVerbs::watch(const QList<qint64> &ids)
{
    int exitCode = ScriptCommand::Ok;
    const QList<QJsonObject> episodes = episodesToWatch(ids, &exitCode);
    if (exitCode != ScriptCommand::Ok)
        return exitCode;
    if (episodes.isEmpty()) {
        printLine(stderr, tr("keystone-console watch: no episode is pending or uploading"));
        return ScriptCommand::Ok;
    }
    ProgressBarPrinter printer(stdout, ProgressBarPrinter::isTerminal(stdout));
    EpisodeWatcher watcher(m_client, printer);
    const auto outcome = watcher.watch(episodes);
    if (!outcome)
        return m_failures.report(outcome.error());
    QStringList summary;
    for (auto it = outcome.value().cbegin(); it != outcome.value().cend(); ++it)
        summary.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
    printLine(stdout, summary.join(QStringLiteral(", ")));
    const bool allCompleted
        = outcome.value().size() == 1 && outcome.value().contains(episodeStateName(EpisodeState::Completed));
    return allCompleted ? ScriptCommand::Ok : ScriptCommand::Failed;
}

QList<QJsonObject> ReadingVerbs::episodesToWatch(const QList<qint64> &ids, int *exitCode)
{
    QList<QJsonObject> episodes;
    if (ids.isEmpty()) {
        const auto all = m_client.listEpisodes();
        if (!all) {
            *exitCode = m_failures.report(all.error());
            return {};
        }
        for (const QJsonObject &episode : all.value()) {
            if (!StatusFormatter::isTerminal(episode.value(ApiKey::kStatus).toString()))
                episodes.append(episode);
        }
        return episodes;
    }
    for (const qint64 id : ids) {
        const auto episode = m_client.get(episodePath(id));
        if (!episode) {
            *exitCode = m_failures.report(episode.error(), tr("episode %1").arg(id));
            return {};
        }
        episodes.append(episode.value());
    }
    return episodes;
}

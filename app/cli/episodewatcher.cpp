#include "episodewatcher.h"

#include "localapiclient.h"
#include "progressbarprinter.h"
#include "statusformatter.h"

#include <QEventLoop>
#include <QHash>
#include <QJsonArray>
#include <QTimer>

#include <algorithm>

namespace {

const QString kRemoved = QStringLiteral("removed");

qint64 idOf(const QJsonObject &row)
{
    return row.value(QStringLiteral("episode_id")).toInteger();
}

} // namespace

EpisodeWatcher::EpisodeWatcher(LocalApiClient &client, ProgressBarPrinter &printer)
    : m_client(client)
    , m_printer(printer)
{ }

Expected<QMap<QString, int>, ApiFailure> EpisodeWatcher::watch(const QList<QJsonObject> &episodes)
{
    m_rows = episodes;
    ApiFailure failure;
    while (true) {
        if (!poll(&failure))
            return failure;
        m_printer.update(m_rows);
        if (allTerminal())
            break;
        waitMs(kPollIntervalMs);
    }
    QMap<QString, int> outcome;
    for (const QJsonObject &row : std::as_const(m_rows))
        ++outcome[row.value(QStringLiteral("status")).toString()];
    return outcome;
}

bool EpisodeWatcher::poll(ApiFailure *failure)
{
    QList<qint64> ids;
    for (const QJsonObject &row : std::as_const(m_rows)) {
        if (row.value(QStringLiteral("status")).toString() != kRemoved)
            ids.append(idOf(row));
    }
    const auto answer = m_client.statuses(ids);
    if (!answer) {
        *failure = answer.error();
        return false;
    }
    QHash<qint64, QJsonObject> latest;
    for (const QJsonValue &item : answer.value().value(QStringLiteral("items")).toArray())
        latest.insert(idOf(item.toObject()), item.toObject());
    for (QJsonObject &row : m_rows) {
        if (row.value(QStringLiteral("status")).toString() == kRemoved)
            continue;
        const QJsonObject status = latest.value(idOf(row));
        if (status.isEmpty()) { // deleted while watched
            row.insert(QStringLiteral("status"), kRemoved);
            row.remove(QStringLiteral("progress"));
            continue;
        }
        row.remove(QStringLiteral("progress")); // present only while uploading
        for (auto it = status.begin(); it != status.end(); ++it)
            row.insert(it.key(), it.value());
    }
    return true;
}

bool EpisodeWatcher::allTerminal() const
{
    return std::all_of(m_rows.cbegin(), m_rows.cend(), [](const QJsonObject &row) {
        const QString status = row.value(QStringLiteral("status")).toString();
        return status == kRemoved || StatusFormatter::isTerminal(status);
    });
}

void EpisodeWatcher::waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

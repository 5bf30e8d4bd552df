#include "episodewatcher.h"

#include "api/apikeys.h"
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
    return row.value(ApiKey::kEpisodeId).toInteger();
}

} // namespace

EpisodeWatcher::EpisodeWatcher(LocalApiClient &client, ProgressBarPrinter &printer)
    : m_client(client)
    , m_printer(printer)
{ }

Expected<QMap<QString, int>, ApiFailure> EpisodeWatcher::watch(const QList<QJsonObject> &episodes)
{
    m_rows = episodes;
    while (true) {
        if (const auto polled = poll(); !polled)
            return polled.error();
        m_printer.update(m_rows);
        if (allTerminal())
            break;
        waitMs(kPollIntervalMs);
    }
    QMap<QString, int> outcome;
    for (const QJsonObject &row : std::as_const(m_rows))
        ++outcome[row.value(ApiKey::kStatus).toString()];
    return outcome;
}

Expected<void, ApiFailure> EpisodeWatcher::poll()
{
    QList<qint64> ids;
    for (const QJsonObject &row : std::as_const(m_rows)) {
        if (row.value(ApiKey::kStatus).toString() != kRemoved)
            ids.append(idOf(row));
    }
    const auto answer = m_client.statuses(ids);
    if (!answer)
        return answer.error();
    QHash<qint64, QJsonObject> latest;
    for (const QJsonValue &item : answer.value().value(ApiKey::kItems).toArray())
        latest.insert(idOf(item.toObject()), item.toObject());
    for (QJsonObject &row : m_rows) {
        if (row.value(ApiKey::kStatus).toString() == kRemoved)
            continue;
        const QJsonObject status = latest.value(idOf(row));
        if (status.isEmpty()) { // deleted while watched
            row.insert(ApiKey::kStatus, kRemoved);
            row.remove(ApiKey::kProgress);
            continue;
        }
        row.remove(ApiKey::kProgress); // present only while uploading
        for (auto it = status.begin(); it != status.end(); ++it)
            row.insert(it.key(), it.value());
    }
    return {};
}

bool EpisodeWatcher::allTerminal() const
{
    return std::all_of(m_rows.cbegin(), m_rows.cend(), [](const QJsonObject &row) {
        const QString status = row.value(ApiKey::kStatus).toString();
        return status == kRemoved || StatusFormatter::isTerminal(status);
    });
}

void EpisodeWatcher::waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

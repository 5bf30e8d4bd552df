#pragma once

#include "apiclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// Shared by the tests that run `keystone-console --server` as a process: register an episode over the local API
// and wait until the engine reports it completed (the strict S3 server checked every signature on the way).
namespace ServerRun {

inline QString uploadEpisode(ApiClient &client, const QString &path, const QString &name)
{
    const HttpReply registered = client.registerEpisode(path, name);
    if (registered.status != 201)
        return QStringLiteral("register: HTTP %1 %2").arg(registered.status).arg(QString::fromUtf8(registered.body));
    const qint64 id = registered.json().value(QStringLiteral("episode_id")).toInteger();
    const QString statusPath = QStringLiteral("/sync/episodes/%1/status").arg(id);
    QJsonObject status;
    (void)QTest::qWaitFor(
        [&] {
            status = client.get(statusPath).json();
            const QString state = status.value(QStringLiteral("status")).toString();
            return state == QLatin1String("completed") || state == QLatin1String("failed");
        },
        30000);
    if (status.value(QStringLiteral("status")).toString() != QLatin1String("completed"))
        return QStringLiteral("episode did not complete: %1").arg(QString::fromUtf8(QJsonDocument(status).toJson()));
    return {};
}

} // namespace ServerRun

#pragma once

#include "catalog/episodestate.h"
#include "guardedtcpserver.h"
#include "sync/episodestatusstore.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

class SyncEngine;

// GET /metrics in the Prometheus text format (0.0.4). Gauges come from the engine's snapshot at scrape time (the
// store's overview: counts kept as episodes change, and the episodes uploading now);
// counters are kept here from the engine's signals since this API started (what each means: docs/api.md).
class MetricsReporter : public QObject
{
    Q_OBJECT

public:
    // stationName: keystone_station_info's station label; empty: the machine's host name.
    MetricsReporter(SyncEngine &engine, const QString &stationName, QObject *parent = nullptr);

    // connections: the API's connection counters; connectionLimit: GuardedTcpServer::connectionLimit().
    QByteArray render(int eventClients, const GuardedTcpServer::Stats &connections, int connectionLimit) const;

private:
    struct Seen
    {
        qint64 committedBytes = 0; // the most this episode has shown
        int partsCompleted = 0;
        int partsTotal = 0;
        bool active = false; // in progress when last seen
    };

    void onEpisodesChanged(const QList<qint64> &ids);
    void onStatusChanged(qint64 id, EpisodeState state);
    void observe(qint64 id);
    void renderFleet(QByteArray &out, const EpisodeStatusStore::Overview &overview) const;

    SyncEngine &m_engine;
    QByteArray m_stationLabel; // the label value, escaped for the text format
    QHash<qint64, Seen> m_seen;
    qint64 m_bytesCommitted = 0;
    qint64 m_partsCompleted = 0;
    QHash<EpisodeState, qint64> m_transitions;
};

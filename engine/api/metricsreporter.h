#pragma once

#include "catalog/episodestate.h"
#include "guardedtcpserver.h"
#include "sync/enginechanges.h"
#include "sync/episodestatusstore.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

class SyncEngine;

// GET /metrics in the Prometheus text format (0.0.4). Gauges come from the engine's snapshot at scrape time (the
// store's overview: counts kept as episodes change, and the episodes uploading now). Counters since this API started
// are the engine's own counts less what they were then, and the status events of the change feed by state (what
// each means: docs/api.md).
class MetricsReporter : public QObject
{
    Q_OBJECT

public:
    // stationName: keystone_station_info's station label; empty: the machine's host name.
    MetricsReporter(SyncEngine &engine, const QString &stationName, QObject *parent = nullptr);

    // connections: the API's connection counters; connectionLimit: GuardedTcpServer::connectionLimit().
    QByteArray render(int eventClients, const GuardedTcpServer::Stats &connections, int connectionLimit) const;

private:
    void countTransitions(const EngineChanges &changes);
    void renderFleet(QByteArray &out, const EpisodeStatusStore::Overview &overview) const;

    SyncEngine &m_engine;
    QByteArray m_stationLabel; // the label value, escaped for the text format
    // The store's newly verified counts when this API started (its counters run from the engine's start).
    qint64 m_bytesVerifiedBefore = 0;
    qint64 m_partsVerifiedBefore = 0;
    QHash<EpisodeState, qint64> m_transitions;
};

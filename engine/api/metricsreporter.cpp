#include "metricsreporter.h"

#include "sync/syncengine.h"

#include <QDateTime>
#include <QSysInfo>

#include <algorithm>
#include <array>

namespace {

constexpr std::array kStates{EpisodeState::Scanning, EpisodeState::Pending, EpisodeState::InProgress,
    EpisodeState::Completed, EpisodeState::Failed, EpisodeState::Cancelled};

void header(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

void sample(QByteArray &out, const QByteArray &name, double value)
{
    out += name + ' ' + QByteArray::number(value, 'g', 17) + '\n';
}

// A label value in the text format: backslash, double quote and line feed escaped.
QByteArray labelValue(const QString &text)
{
    QByteArray out;
    for (const char c : text.toUtf8()) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// Seconds from `since` to now, never negative; 0 for an invalid time.
double secondsSince(const QDateTime &since)
{
    if (!since.isValid())
        return 0;
    return std::max<qint64>(0, since.msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0;
}

} // namespace

MetricsReporter::MetricsReporter(SyncEngine &engine, const QString &stationName, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_stationLabel(labelValue(stationName.isEmpty() ? QSysInfo::machineHostName() : stationName))
{
    const EpisodeStatusStore::Overview overview = engine.store().overview();
    m_bytesVerifiedBefore = overview.bytesNewlyVerified;
    m_partsVerifiedBefore = overview.partsNewlyVerified;
    connect(&engine, &SyncEngine::changed, this, &MetricsReporter::countTransitions);
}

void MetricsReporter::countTransitions(const EngineChanges &changes)
{
    for (const EngineChanges::Event &event : changes.events) {
        if (event.kind == EngineChanges::Event::Kind::Status)
            ++m_transitions[event.state];
    }
}

// What a fleet of stations is watched by (packaging/prometheus): which station this is, and how long work has waited.
void MetricsReporter::renderFleet(QByteArray &out, const EpisodeStatusStore::Overview &overview) const
{
    header(out, "keystone_oldest_pending_age_seconds", "gauge",
        "Seconds since the oldest pending episode was registered; episodes paused one by one are left out "
        "(pause-all is not); 0 when none is pending.");
    sample(out, "keystone_oldest_pending_age_seconds", secondsSince(overview.oldestPendingCreatedAt));
    header(out, "keystone_station_info", "gauge",
        "Always 1; the station's name (--station-name, default the host name) and the engine's version.");
    sample(out, "keystone_station_info{station=\"" + m_stationLabel + "\",version=\"" KEYSTONE_VERSION "\"}", 1);
}

QByteArray MetricsReporter::render(
    int eventClients, const GuardedTcpServer::Stats &connections, int connectionLimit) const
{
    // Counts kept by the store as episodes change, and the statuses of those uploading now: a scrape costs what
    // runs, not what the catalog holds.
    const EpisodeStatusStore::Overview overview = m_engine.store().overview();
    qint64 committed = 0, inflight = 0, total = 0;
    double throughput = 0;
    int parallel = 0;
    for (const EpisodeStatus &status : overview.inProgress) {
        if (status.progress) {
            committed += status.progress->committedBytes;
            inflight += status.progress->inflightBytes;
            total += status.progress->totalBytes;
            throughput += status.progress->bytesPerSecond;
            parallel = std::max(parallel, status.progress->parallel);
        }
    }
    QByteArray out;
    header(out, "keystone_episodes", "gauge", "Episodes in the catalog by status.");
    for (const EpisodeState state : kStates)
        sample(out, "keystone_episodes{status=\"" + episodeStateName(state).toLatin1() + "\"}", overview.count(state));
    header(out, "keystone_episodes_paused", "gauge",
        "Episodes an operator paused one by one (pending, not started until resumed); pause-all is "
        "keystone_sync_paused.");
    sample(out, "keystone_episodes_paused", overview.paused);
    header(out, "keystone_active_committed_bytes", "gauge",
        "Bytes verified by the storage of the episodes uploading now.");
    sample(out, "keystone_active_committed_bytes", double(committed));
    header(
        out, "keystone_active_inflight_bytes", "gauge", "Bytes sent but not yet acknowledged, episodes uploading now.");
    sample(out, "keystone_active_inflight_bytes", double(inflight));
    header(out, "keystone_active_total_bytes", "gauge", "Total size of the episodes uploading now.");
    sample(out, "keystone_active_total_bytes", double(total));
    header(out, "keystone_throughput_bytes_per_second", "gauge",
        "Sum of the smoothed upload speeds of the active episodes.");
    sample(out, "keystone_throughput_bytes_per_second", throughput);
    header(out, "keystone_requests_in_flight_limit", "gauge",
        "Requests the engine may have in flight now (adapts to the link unless fixed); 0 while nothing uploads.");
    sample(out, "keystone_requests_in_flight_limit", double(parallel));
    header(out, "keystone_bytes_committed_total", "counter",
        "Episode bytes newly verified by the storage since the API started (each byte once per episode).");
    sample(out, "keystone_bytes_committed_total", double(overview.bytesNewlyVerified - m_bytesVerifiedBefore));
    header(out, "keystone_parts_uploaded_total", "counter",
        "Parts newly verified since the API started, from progress snapshots (multipart files only).");
    sample(out, "keystone_parts_uploaded_total", double(overview.partsNewlyVerified - m_partsVerifiedBefore));
    const SyncCounters engine = m_engine.counters();
    header(out, "keystone_engine_parts_verified_total", "counter",
        "Parts (and single-PUT files) acknowledged with a matching ETag since the engine started.");
    sample(out, "keystone_engine_parts_verified_total", double(engine.partsVerified));
    header(out, "keystone_engine_bytes_verified_total", "counter", "Bytes of those parts.");
    sample(out, "keystone_engine_bytes_verified_total", double(engine.bytesVerified));
    header(out, "keystone_engine_parts_retried_total", "counter", "Part attempts that failed and were retried.");
    sample(out, "keystone_engine_parts_retried_total", double(engine.partsRetried));
    header(out, "keystone_engine_parts_failed_total", "counter",
        "Part attempts that failed for good (each ends its episode's attempt).");
    sample(out, "keystone_engine_parts_failed_total", double(engine.partsFailed));
    header(
        out, "keystone_episode_transitions_total", "counter", "Status changes since the API started, by new status.");
    for (const EpisodeState state : kStates)
        sample(out, "keystone_episode_transitions_total{status=\"" + episodeStateName(state).toLatin1() + "\"}",
            double(m_transitions.value(state)));
    const StorageHealth health = m_engine.storageHealth();
    header(out, "keystone_storage_state", "gauge",
        "1 for the storage's state as the engine sees it (ok, unreachable, credentials_rejected), 0 for the others.");
    for (const auto state :
        {StorageHealth::State::Ok, StorageHealth::State::Unreachable, StorageHealth::State::CredentialsRejected}) {
        sample(out, "keystone_storage_state{state=\"" + StorageHealth::stateName(state).toLatin1() + "\"}",
            health.state == state ? 1 : 0);
    }
    header(out, "keystone_storage_state_age_seconds", "gauge",
        "Seconds the storage's current state has lasted; 0 while ok and unchanged since the engine started.");
    sample(out, "keystone_storage_state_age_seconds", secondsSince(health.since));
    renderFleet(out, overview);
    header(out, "keystone_sync_paused", "gauge", "1 while all syncing is paused.");
    sample(out, "keystone_sync_paused", m_engine.isPaused() ? 1 : 0);
    const ThrottleState throttle = m_engine.throttle();
    header(out, "keystone_recording_mode", "gauge",
        "1 while the station records (uploads yield to the recorder: recording limit, one part per episode).");
    sample(out, "keystone_recording_mode", throttle.isRecording() ? 1 : 0);
    header(out, "keystone_upload_limit_bytes_per_second", "gauge",
        "The engine-wide upload limit in force (recording mode, the bandwidth schedule or the fixed limit); "
        "0: none, or uploads held while recording.");
    sample(out, "keystone_upload_limit_bytes_per_second", double(throttle.limitBytesPerSecond));
    header(out, "keystone_api_event_clients", "gauge", "Open /events streams.");
    sample(out, "keystone_api_event_clients", eventClients);
    header(out, "keystone_api_connections", "gauge", "Open API connections (the scrape's own included).");
    sample(out, "keystone_api_connections", connections.open);
    header(out, "keystone_api_connection_limit", "gauge",
        "Open API connections at most: --api-max-connections, or fewer if the descriptor limit leaves less room.");
    sample(out, "keystone_api_connection_limit", connectionLimit);
    header(out, "keystone_api_connections_evicted_total", "counter",
        "Idle API connections closed to make room for a new one.");
    sample(out, "keystone_api_connections_evicted_total", double(connections.evicted));
    header(out, "keystone_api_connections_refused_total", "counter",
        "API connections closed at once: the limit was reached and no connection was idle.");
    sample(out, "keystone_api_connections_refused_total", double(connections.refused));
    header(out, "keystone_api_descriptor_shortages_total", "counter",
        "Times a new API connection found the process without a free file descriptor (it waited or an idle one "
        "was closed).");
    sample(out, "keystone_api_descriptor_shortages_total", double(connections.descriptorShortages));
    header(out, "keystone_api_connections_paused", "gauge",
        "API connections whose further requests wait until their client reads the answers already sent.");
    sample(out, "keystone_api_connections_paused", connections.guards.paused);
    header(out, "keystone_api_largest_output_bytes", "gauge",
        "The most unsent answer bytes seen on one API connection after an answer was written.");
    sample(out, "keystone_api_largest_output_bytes", double(connections.guards.largestOutputBytes));
    header(out, "keystone_api_responses_total", "counter", "Answers the API has written.");
    sample(out, "keystone_api_responses_total", double(connections.guards.responses));
    return out;
}

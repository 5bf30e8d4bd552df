#include "engineoptions.h"

#include "optionvalues.h"
#include "sync/synclimits.h"

#include "api/unixsocketlistener.h"
#include "core/bytesize.h"
#include "translatedoptions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace {

const QCommandLineOption kDataDir(QStringLiteral("data-dir"),
    EngineOptions::tr("Catalog, API token and instance lock (default: the application data location)."),
    QStringLiteral("dir"));
const QCommandLineOption kListen(QStringLiteral("listen"),
    EngineOptions::tr(
        "Local API address: host:port (default 127.0.0.1:8470; port 0: any free port) and/or unix:PATH, a Unix "
        "socket for clients of the same user (default unix:<data-dir>/api.sock; unix: alone: none). May be given "
        "twice."),
    QStringLiteral("address"));
const QCommandLineOption kApiMaxConnections(QStringLiteral("api-max-connections"),
    EngineOptions::tr("Local API connections open at once; when full the oldest idle one is closed (default 256)."),
    QStringLiteral("n"));
const QCommandLineOption kStationName(QStringLiteral("station-name"),
    EngineOptions::tr(
        "This station's name in /metrics (keystone_station_info), for a fleet view of many stations (default: "
        "the host name)."),
    QStringLiteral("name"));
const QCommandLineOption kBucket(
    QStringLiteral("bucket"), EngineOptions::tr("Bucket for the episodes."), QStringLiteral("name"));
const QCommandLineOption kKeyPrefix(QStringLiteral("key-prefix"),
    EngineOptions::tr("Key prefix of the episodes (default: episodes)."), QStringLiteral("prefix"));
const QCommandLineOption kMaxEpisodes(
    QStringLiteral("max-episodes"), EngineOptions::tr("Episodes uploading at once (default 2)."), QStringLiteral("n"));
const QCommandLineOption kMaxParts(QStringLiteral("max-parts"),
    EngineOptions::tr("Requests in flight across all episodes (default: adapts to the link, 2 to 32, unless "
                      "--concurrency is given; then 8)."),
    QStringLiteral("n"));
const QCommandLineOption kSmallEpisodeSize(QStringLiteral("small-episode-size"),
    EngineOptions::tr(
        "Episodes smaller than this may start in the small lane while large ones hold every slot (default 64M; "
        "0: off, first come, first served)."),
    QStringLiteral("size"));
const QCommandLineOption kMaxFilesPerEpisode(QStringLiteral("max-files-per-episode"),
    EngineOptions::tr("Refuse to register a path holding more files than this (default 100000)."), QStringLiteral("n"));
const QCommandLineOption kBandwidthSchedule(QStringLiteral("bandwidth-schedule"),
    EngineOptions::tr("Upload limits by time of day, as rclone's timetable: \"08:00,10M 20:00,off\", weekdays optional "
                      "(\"Mon-08:00,2M Sat-00:00,off\"). Replaces --bandwidth-limit while set."),
    QStringLiteral("timetable"));
const QCommandLineOption kRecordingLimit(QStringLiteral("recording-limit"),
    EngineOptions::tr(
        "Upload limit in recording mode, e.g. 5M (0: uploads hold while recording; default: a tenth of the "
        "measured uplink)."),
    QStringLiteral("rate"));
const QCommandLineOption kWatch(QStringLiteral("watch"),
    EngineOptions::tr("Register each new sub-folder of this folder as an episode once it is stable or marked."),
    QStringLiteral("dir"));
const QCommandLineOption kWatchStableSeconds(QStringLiteral("watch-stable-seconds"),
    EngineOptions::tr("A watched folder is stable after this many seconds without change (default 30)."),
    QStringLiteral("n"));
const QCommandLineOption kWatchMarker(QStringLiteral("watch-marker"),
    EngineOptions::tr("A file of this name makes a watched folder ready at once; it is not uploaded (default .done)."),
    QStringLiteral("name"));

const QLatin1String kUnixScheme("unix:");

bool parseListen(const QString &text, ApiConfig *config)
{
    if (text.startsWith(kUnixScheme)) {
        const QString path = text.mid(kUnixScheme.size());
        config->unixSocketPath = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
        return path.isEmpty() || UnixSocketListener::pathFits(config->unixSocketPath);
    }
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : host);
    if (!ok || port > 65535 || address.isNull())
        return false;
    config->address = address;
    config->port = quint16(port);
    return true;
}

bool readCount(const OptionValues &values, const QCommandLineOption &option, int min, int max, int *value)
{
    if (!values.isSet(option))
        return true;
    bool ok = false;
    *value = values.value(option).toInt(&ok);
    return ok && *value >= min && *value <= max;
}

bool readSize(const OptionValues &values, const QCommandLineOption &option, qint64 *value)
{
    if (!values.isSet(option))
        return true;
    *value = ByteSize::parse(values.value(option));
    return *value >= 0;
}

} // namespace

void EngineOptions::addOptions(QCommandLineParser &parser) const
{
    addLocationOptions(parser);
    parser.addOptions(translatedOptions("EngineOptions",
        {kBucket, kKeyPrefix, kMaxEpisodes, kMaxParts, kSmallEpisodeSize, kMaxFilesPerEpisode, kBandwidthSchedule,
            kRecordingLimit, kWatch, kWatchStableSeconds, kWatchMarker, kApiMaxConnections}));
    m_storage.addOptions(parser);
}

void EngineOptions::addLocationOptions(QCommandLineParser &parser)
{
    parser.addOptions(translatedOptions("EngineOptions", {kDataDir, kListen, kStationName}));
}

AppResult<void> EngineOptions::readLocations(const OptionValues &values)
{
    sync.dataDir = values.isSet(kDataDir) ? values.value(kDataDir)
                                          : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    api.port = kDefaultApiPort;
    api.dataDir = sync.dataDir;
    api.stationName = values.value(kStationName).trimmed(); // empty: the host name (MetricsReporter)
    // The socket beside the token, unless its path is too long for a Unix socket (then clients use TCP and check
    // the server's identity).
    const QString socketPath = QDir(sync.dataDir).absoluteFilePath(QStringLiteral("api.sock"));
    api.unixSocketPath = UnixSocketListener::pathFits(socketPath) ? socketPath : QString();
    for (const QString &listen : values.values(kListen)) {
        if (!parseListen(listen, &api))
            return AppError{tr("invalid --listen '%1' (expected HOST:PORT, or unix:PATH with at most %2 bytes)")
                                .arg(listen)
                                .arg(UnixSocketListener::kMaxPathBytes)};
    }
    return {};
}

AppResult<void> EngineOptions::readWatch(const OptionValues &values)
{
    if (!values.isSet(kWatch))
        return {};
    sync.watch.dir = values.value(kWatch);
    if (values.isSet(kWatchMarker))
        sync.watch.marker = values.value(kWatchMarker);
    const QString marker = sync.watch.marker;
    if (!QFileInfo(sync.watch.dir).isDir())
        return AppError{tr("--watch %1 is not a folder").arg(sync.watch.dir)};
    if (!readCount(values, kWatchStableSeconds, 1, 86400, &sync.watch.stableSeconds))
        return AppError{tr("--watch-stable-seconds must be between 1 and 86400")};
    if (marker.isEmpty() || marker.contains(QLatin1Char('/')) || marker == QLatin1String(".")
        || marker == QLatin1String(".."))
        return AppError{tr("--watch-marker must be a file name")};
    return {};
}

AppResult<void> EngineOptions::read(const OptionValues &values, const QProcessEnvironment &environment)
{
    if (auto storage = m_storage.read(values, environment); !storage)
        return storage;
    sync.profile = m_storage.profile;
    sync.transport = m_storage.transport;
    sync.upload = m_storage.options;
    sync.bucket = values.value(kBucket);
    if (values.isSet(kKeyPrefix))
        sync.keyPrefix = values.value(kKeyPrefix);
    if (auto locations = readLocations(values); !locations)
        return locations;

    if (sync.bucket.isEmpty())
        return AppError{tr("--bucket is required")};
    if (auto limits = readEngineLimits(values); !limits)
        return limits;
    if (auto watch = readWatch(values); !watch)
        return watch;
    if (m_storage.transport.bandwidth) // the engine keeps its own limiter of this rate (SyncEngine)
        sync.bandwidthLimit = m_storage.transport.bandwidth->bytesPerSecond();
    return readCredentials(values, environment, values.fileValue(QStringLiteral("access-key-id")));
}

AppResult<void> EngineOptions::readEngineLimits(const OptionValues &values)
{
    if (!readCount(
            values, kMaxEpisodes, SyncLimits::kMinEpisodes, SyncLimits::kMaxEpisodes, &sync.maxConcurrentEpisodes))
        return AppError{
            tr("--max-episodes must be between %1 and %2").arg(SyncLimits::kMinEpisodes).arg(SyncLimits::kMaxEpisodes)};
    if (!readCount(values, kMaxParts, 1, 256, &sync.maxPartsInFlight))
        return AppError{tr("--max-parts must be between 1 and 256")};
    if (!readCount(values, kMaxFilesPerEpisode, 1, 10'000'000, &sync.maxFilesPerEpisode))
        return AppError{tr("--max-files-per-episode must be between 1 and 10000000")};
    if (!readSize(values, kSmallEpisodeSize, &sync.smallEpisodeBytes))
        return AppError{tr("invalid --small-episode-size (a size such as 64M, or 0 for no small lane)")};
    if (!readCount(values, kApiMaxConnections, 1, 1'000'000, &api.maxConnections))
        return AppError{tr("--api-max-connections must be between 1 and 1000000")};
    if (!readSize(values, kRecordingLimit, &sync.recordingLimit))
        return AppError{tr("invalid --recording-limit (a rate such as 5M, or 0 to hold uploads while recording)")};
    if (auto schedule = readSchedule(values); !schedule)
        return schedule;
    if (values.isSet(kMaxParts)) { // the user fixed the engine's budget: it does not adapt
        sync.upload.adaptive.reset();
        sync.upload.partSlots.reset(); // the engine makes its own budget of --max-parts
    }
    return {};
}

AppResult<void> EngineOptions::readSchedule(const OptionValues &values)
{
    if (!values.isSet(kBandwidthSchedule))
        return {};
    auto schedule = BandwidthSchedule::parse(values.value(kBandwidthSchedule));
    if (!schedule)
        return AppError{tr("invalid --bandwidth-schedule: %1").arg(schedule.error().message)};
    sync.bandwidthSchedule = schedule.value();
    return {};
}

AppResult<void> EngineOptions::readLimits(const OptionValues &values)
{
    m_storage.profile = sync.profile; // for the provider's part-size minimum
    m_storage.options = sync.upload;
    m_storage.transport = sync.transport;
    if (auto limits = m_storage.readLimits(values); !limits)
        return limits;
    sync.upload = m_storage.options;
    if (m_storage.transport.bandwidth)
        sync.bandwidthLimit = m_storage.transport.bandwidth->bytesPerSecond();
    return readEngineLimits(values);
}

AppResult<void> EngineOptions::readCredentials(
    const OptionValues &values, const QProcessEnvironment &environment, const QString &accessKeyId)
{
    if (auto found = m_storage.readCredentials(values, environment, accessKeyId); !found)
        return found;
    sync.credentials = m_storage.credentials;
    return {};
}

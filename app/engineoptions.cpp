#include "engineoptions.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("EngineOptions", text);
}

const QCommandLineOption kDataDir(QStringLiteral("data-dir"),
    tr("Catalog, API token and instance lock (default: the application data location)."), QStringLiteral("dir"));
const QCommandLineOption kListen(QStringLiteral("listen"),
    tr("Local API address (default 127.0.0.1:8470; port 0: any free port)."), QStringLiteral("host:port"));
const QCommandLineOption kBucket(QStringLiteral("bucket"), tr("Bucket for the episodes."), QStringLiteral("name"));
const QCommandLineOption kKeyPrefix(
    QStringLiteral("key-prefix"), tr("Key prefix of the episodes (default: episodes)."), QStringLiteral("prefix"));
const QCommandLineOption kMaxEpisodes(
    QStringLiteral("max-episodes"), tr("Episodes uploading at once (default 2)."), QStringLiteral("n"));
const QCommandLineOption kMaxParts(
    QStringLiteral("max-parts"), tr("Parts in flight across all episodes (default 8)."), QStringLiteral("n"));
const QCommandLineOption kWatch(QStringLiteral("watch"),
    tr("Register each new sub-folder of this folder as an episode once it is stable or marked."),
    QStringLiteral("dir"));
const QCommandLineOption kWatchStableSeconds(QStringLiteral("watch-stable-seconds"),
    tr("A watched folder is stable after this many seconds without change (default 30)."), QStringLiteral("n"));
const QCommandLineOption kWatchMarker(QStringLiteral("watch-marker"),
    tr("A file of this name makes a watched folder ready at once; it is not uploaded (default .done)."),
    QStringLiteral("name"));

bool parseListen(const QString &text, ApiConfig *config)
{
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

bool readCount(const QCommandLineParser &parser, const QCommandLineOption &option, int min, int max, int *value)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    *value = parser.value(option).toInt(&ok);
    return ok && *value >= min && *value <= max;
}

} // namespace

void EngineOptions::addOptions(QCommandLineParser &parser) const
{
    parser.addOptions(
        {kDataDir, kListen, kBucket, kKeyPrefix, kMaxEpisodes, kMaxParts, kWatch, kWatchStableSeconds, kWatchMarker});
    m_storage.addOptions(parser);
}

bool EngineOptions::readLocations(const QCommandLineParser &parser, QString *error)
{
    sync.dataDir = parser.isSet(kDataDir) ? parser.value(kDataDir)
                                          : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    api.port = kDefaultApiPort;
    api.dataDir = sync.dataDir;
    if (parser.isSet(kListen) && !parseListen(parser.value(kListen), &api)) {
        *error = tr("invalid --listen '%1' (expected HOST:PORT)").arg(parser.value(kListen));
        return false;
    }
    return true;
}

bool EngineOptions::readWatch(const QCommandLineParser &parser, QString *error)
{
    if (!parser.isSet(kWatch))
        return true;
    sync.watch.dir = parser.value(kWatch);
    if (parser.isSet(kWatchMarker))
        sync.watch.marker = parser.value(kWatchMarker);
    const QString marker = sync.watch.marker;
    if (!QFileInfo(sync.watch.dir).isDir())
        *error = tr("--watch %1 is not a folder").arg(sync.watch.dir);
    else if (!readCount(parser, kWatchStableSeconds, 1, 86400, &sync.watch.stableSeconds))
        *error = tr("--watch-stable-seconds must be between 1 and 86400");
    else if (marker.isEmpty() || marker.contains(QLatin1Char('/')) || marker == QLatin1String(".")
        || marker == QLatin1String(".."))
        *error = tr("--watch-marker must be a file name");
    return error->isEmpty();
}

bool EngineOptions::read(const QCommandLineParser &parser, const QProcessEnvironment &environment, QString *error)
{
    if (!m_storage.read(parser, environment, error))
        return false;
    sync.profile = m_storage.profile;
    sync.credentials = m_storage.credentials;
    sync.transport = m_storage.transport;
    sync.upload = m_storage.options;
    sync.bucket = parser.value(kBucket);
    if (parser.isSet(kKeyPrefix))
        sync.keyPrefix = parser.value(kKeyPrefix);
    if (!readLocations(parser, error))
        return false;

    if (sync.bucket.isEmpty())
        *error = tr("--bucket is required");
    else if (!readCount(parser, kMaxEpisodes, 1, 64, &sync.maxConcurrentEpisodes))
        *error = tr("--max-episodes must be between 1 and 64");
    else if (!readCount(parser, kMaxParts, 1, 256, &sync.maxPartsInFlight))
        *error = tr("--max-parts must be between 1 and 256");
    else
        readWatch(parser, error);
    return error->isEmpty();
}

#include "engineoptions.h"

#include <QCoreApplication>
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
    addLocationOptions(parser);
    parser.addOptions({kBucket, kKeyPrefix, kMaxEpisodes, kMaxParts});
    m_storage.addOptions(parser);
}

void EngineOptions::addLocationOptions(QCommandLineParser &parser)
{
    parser.addOptions({kDataDir, kListen});
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
    return error->isEmpty();
}

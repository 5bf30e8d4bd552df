#include "storagecommandline.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StorageCommandLine", text);
}

const QCommandLineOption kEndpoint(QStringLiteral("endpoint"),
    tr("S3 endpoint URL (default: $AWS_ENDPOINT_URL or the provider's)."), QStringLiteral("url"));
const QCommandLineOption kRegion(
    QStringLiteral("region"), tr("Signing region (default: $AWS_REGION or the provider's)."), QStringLiteral("region"));
const QCommandLineOption kProvider(
    QStringLiteral("provider"), tr("Provider preset: aws, oss or custom (default: custom)."), QStringLiteral("name"));
const QCommandLineOption kPathStyle(
    QStringLiteral("path-style"), tr("Address buckets as endpoint/bucket/key instead of bucket.endpoint/key."));
const QCommandLineOption kVirtualHosted(
    QStringLiteral("virtual-hosted"), tr("Address buckets as bucket.endpoint/key."));
const QCommandLineOption kCaBundle(
    QStringLiteral("ca-bundle"), tr("CA certificates file for https endpoints."), QStringLiteral("file"));
const QCommandLineOption kPartSize(QStringLiteral("part-size"),
    tr("Multipart part size, e.g. 8M (default 8M, at least 5M; grown for files over 10,000 parts)."),
    QStringLiteral("size"));
const QCommandLineOption kConcurrency(
    QStringLiteral("concurrency"), tr("Parts in flight per file (default 4)."), QStringLiteral("n"));
const QCommandLineOption kPutThreshold(QStringLiteral("single-put-threshold"),
    tr("Files smaller than this go in one PutObject (default 16M)."), QStringLiteral("size"));
const QCommandLineOption kBandwidth(QStringLiteral("bandwidth-limit"),
    tr("Upload at most this many bytes per second, e.g. 20M (default: unlimited)."), QStringLiteral("size"));
const QCommandLineOption kMaxAttempts(
    QStringLiteral("max-attempts"), tr("Attempts per request before giving up (default 5)."), QStringLiteral("n"));

} // namespace

void StorageCommandLine::addOptions(QCommandLineParser &parser) const
{
    parser.addOptions({kEndpoint, kRegion, kProvider, kPathStyle, kVirtualHosted, kCaBundle, kPartSize, kConcurrency,
        kPutThreshold, kMaxAttempts, kBandwidth});
}

qint64 StorageCommandLine::parseSize(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d+)\\s*([kKmMgG]?)(i?[bB])?\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    bool ok = false;
    const qint64 number = match.captured(1).toLongLong(&ok);
    if (!ok)
        return -1;
    const QChar unit = match.captured(2).isEmpty() ? QChar() : match.captured(2).at(0).toUpper();
    const int shift = unit == QLatin1Char('K') ? 10 : unit == QLatin1Char('M') ? 20 : unit == QLatin1Char('G') ? 30 : 0;
    if (number > (std::numeric_limits<qint64>::max() >> shift))
        return -1;
    return number << shift;
}

bool StorageCommandLine::read(const QCommandLineParser &parser, const QProcessEnvironment &environment, QString *error)
{
    EndpointProfile::Provider provider = EndpointProfile::Provider::Custom;
    if (parser.isSet(kProvider)) {
        const auto parsed = EndpointProfile::providerFromName(parser.value(kProvider));
        if (!parsed) {
            *error = tr("unknown provider '%1' (use aws, oss or custom)").arg(parser.value(kProvider));
            return false;
        }
        provider = *parsed;
    }
    QString region = parser.value(kRegion);
    if (region.isEmpty())
        region
            = environment.value(QStringLiteral("AWS_REGION"), environment.value(QStringLiteral("AWS_DEFAULT_REGION")));
    profile = EndpointProfile::preset(provider, region);

    const QString endpoint
        = parser.isSet(kEndpoint) ? parser.value(kEndpoint) : environment.value(QStringLiteral("AWS_ENDPOINT_URL"));
    if (!endpoint.isEmpty())
        profile.endpoint = QUrl(endpoint);
    if (parser.isSet(kPathStyle) && parser.isSet(kVirtualHosted)) {
        *error = tr("--path-style and --virtual-hosted exclude each other");
        return false;
    }
    if (parser.isSet(kPathStyle))
        profile.pathStyle = true;
    if (parser.isSet(kVirtualHosted))
        profile.pathStyle = false;
    profile.caBundle = parser.value(kCaBundle);
    transport.caBundle = profile.caBundle;
    if (!profile.isValid()) {
        *error = tr("invalid endpoint '%1' (expected http(s)://host[:port])").arg(profile.endpoint.toString());
        return false;
    }

    if (parser.isSet(kPartSize)) {
        options.partSize = parseSize(parser.value(kPartSize));
        if (options.partSize < PartPlan::kMinPartSize || options.partSize > PartPlan::kMaxPartSize) {
            *error = tr("--part-size must be between 5M and 5G");
            return false;
        }
    }
    if (parser.isSet(kPutThreshold)) {
        options.singlePutThreshold = parseSize(parser.value(kPutThreshold));
        if (options.singlePutThreshold < 0) {
            *error = tr("invalid --single-put-threshold");
            return false;
        }
    }
    if (parser.isSet(kConcurrency)) {
        bool ok = false;
        options.concurrency = parser.value(kConcurrency).toInt(&ok);
        if (!ok || options.concurrency < 1 || options.concurrency > 64) {
            *error = tr("--concurrency must be between 1 and 64");
            return false;
        }
    }
    if (parser.isSet(kBandwidth)) {
        const qint64 limit = parseSize(parser.value(kBandwidth));
        if (limit <= 0) {
            *error = tr("invalid --bandwidth-limit");
            return false;
        }
        transport.bandwidth = std::make_shared<BandwidthLimiter>(limit);
    }
    if (parser.isSet(kMaxAttempts)) {
        bool ok = false;
        const int attempts = parser.value(kMaxAttempts).toInt(&ok);
        if (!ok || attempts < 1 || attempts > 100) {
            *error = tr("--max-attempts must be between 1 and 100");
            return false;
        }
        options.retry = RetryPolicy(attempts);
    }

    credentials.accessKeyId = environment.value(QStringLiteral("AWS_ACCESS_KEY_ID")).toUtf8();
    credentials.secretAccessKey = environment.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")).toUtf8();
    credentials.sessionToken = environment.value(QStringLiteral("AWS_SESSION_TOKEN")).toUtf8();
    if (!credentials.isValid()) {
        *error = tr("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        return false;
    }
    return true;
}

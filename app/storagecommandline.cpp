#include "storagecommandline.h"

#include "optionvalues.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <optional>

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
const QCommandLineOption kCredentialsFile(QStringLiteral("credentials-file"),
    tr("Credentials in AWS shared-credentials format, mode 0600 (used when neither the keychain nor the "
       "environment has them)."),
    QStringLiteral("file"));

} // namespace

void StorageCommandLine::addOptions(QCommandLineParser &parser) const
{
    parser.addOptions({kEndpoint, kRegion, kProvider, kPathStyle, kVirtualHosted, kCaBundle, kPartSize, kConcurrency,
        kPutThreshold, kMaxAttempts, kBandwidth, kCredentialsFile});
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

bool StorageCommandLine::read(const OptionValues &values, const QProcessEnvironment &environment, QString *error)
{
    EndpointProfile::Provider provider = EndpointProfile::Provider::Custom;
    if (values.isSet(kProvider)) {
        const auto parsed = EndpointProfile::providerFromName(values.value(kProvider));
        if (!parsed) {
            *error = tr("unknown provider '%1' (use aws, oss or custom)").arg(values.value(kProvider));
            return false;
        }
        provider = *parsed;
    }
    QString region = values.value(kRegion);
    if (region.isEmpty())
        region
            = environment.value(QStringLiteral("AWS_REGION"), environment.value(QStringLiteral("AWS_DEFAULT_REGION")));
    profile = EndpointProfile::preset(provider, region);

    const QString endpoint
        = values.isSet(kEndpoint) ? values.value(kEndpoint) : environment.value(QStringLiteral("AWS_ENDPOINT_URL"));
    if (!endpoint.isEmpty())
        profile.endpoint = QUrl(endpoint);
    // Addressing is one choice, made on the command line or else in the file (where path-style=false means
    // virtual-hosted); either flag on the command line replaces what the file says.
    const bool onCommandLine = values.isSetOnCommandLine(kPathStyle) || values.isSetOnCommandLine(kVirtualHosted);
    const auto flag = [&](const QCommandLineOption &option) {
        return onCommandLine ? (values.isSetOnCommandLine(option) ? std::optional<bool>(true) : std::nullopt)
                             : values.flag(option);
    };
    std::optional<bool> pathStyle = flag(kPathStyle);
    if (const std::optional<bool> virtualHosted = flag(kVirtualHosted)) {
        if (pathStyle && *pathStyle == *virtualHosted) {
            *error = tr("--path-style and --virtual-hosted exclude each other");
            return false;
        }
        pathStyle = !*virtualHosted;
    }
    if (pathStyle)
        profile.pathStyle = *pathStyle;
    profile.caBundle = values.value(kCaBundle);
    transport.caBundle = profile.caBundle;
    if (!profile.isValid()) {
        *error = tr("invalid endpoint '%1' (expected http(s)://host[:port])").arg(profile.endpoint.toString());
        return false;
    }

    if (values.isSet(kPartSize)) {
        options.partSize = parseSize(values.value(kPartSize));
        if (options.partSize < PartPlan::kMinPartSize || options.partSize > PartPlan::kMaxPartSize) {
            *error = tr("--part-size must be between 5M and 5G");
            return false;
        }
    }
    if (values.isSet(kPutThreshold)) {
        options.singlePutThreshold = parseSize(values.value(kPutThreshold));
        if (options.singlePutThreshold < 0) {
            *error = tr("invalid --single-put-threshold");
            return false;
        }
    }
    if (values.isSet(kConcurrency)) {
        bool ok = false;
        options.concurrency = values.value(kConcurrency).toInt(&ok);
        if (!ok || options.concurrency < 1 || options.concurrency > 64) {
            *error = tr("--concurrency must be between 1 and 64");
            return false;
        }
    }
    if (values.isSet(kBandwidth)) {
        const qint64 limit = parseSize(values.value(kBandwidth));
        if (limit <= 0) {
            *error = tr("invalid --bandwidth-limit");
            return false;
        }
        transport.bandwidth = std::make_shared<BandwidthLimiter>(limit);
    }
    if (values.isSet(kMaxAttempts)) {
        bool ok = false;
        const int attempts = values.value(kMaxAttempts).toInt(&ok);
        if (!ok || attempts < 1 || attempts > 100) {
            *error = tr("--max-attempts must be between 1 and 100");
            return false;
        }
        options.retry = RetryPolicy(attempts);
    }

    return true;
}

bool StorageCommandLine::readCredentials(
    const OptionValues &values, const QProcessEnvironment &environment, const QString &accessKeyId, QString *error)
{
    CredentialRequest request;
    request.environment = environment;
    request.accessKeyId = accessKeyId;
    request.credentialsFile = values.value(kCredentialsFile);
    const auto found = CredentialResolver::resolve(request);
    if (!found) {
        *error = found.error().message;
        return false;
    }
    credentials = found.value().credentials;
    credentialSource = found.value().description;
    return true;
}

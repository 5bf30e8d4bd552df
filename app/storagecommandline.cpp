#include "storagecommandline.h"

#include "core/bytesize.h"
#include "optionvalues.h"
#include "sync/synclimits.h"
#include "translatedoptions.h"

#include <QCoreApplication>

#include <optional>

namespace {

const QCommandLineOption kEndpoint(QStringLiteral("endpoint"),
    StorageCommandLine::tr("S3 endpoint URL (default: $AWS_ENDPOINT_URL or the provider's)."), QStringLiteral("url"));
const QCommandLineOption kRegion(QStringLiteral("region"),
    StorageCommandLine::tr(
        "Signing region (default: $AWS_REGION or the provider's; with --provider oss, b2 or wasabi: read from the "
        "endpoint host, e.g. cn-hangzhou from oss-cn-hangzhou.aliyuncs.com; $AWS_REGION is used only with aws and "
        "custom)."),
    QStringLiteral("region"));
const QCommandLineOption kProvider(QStringLiteral("provider"),
    StorageCommandLine::tr(
        "Provider preset: aws, oss, r2, b2, wasabi or custom (default: custom). oss is Alibaba Cloud OSS's native "
        "protocol (virtual-hosted); OSS's S3-compatible API is --provider custom --endpoint "
        "https://oss-<region>.aliyuncs.com --virtual-hosted. r2 (Cloudflare R2) needs --endpoint "
        "https://<account-id>.r2.cloudflarestorage.com, b2 (Backblaze B2) --region or --endpoint; r2, b2 and "
        "wasabi speak S3 with path style."),
    QStringLiteral("name"));
const QCommandLineOption kSignatureVersion(QStringLiteral("signature-version"),
    StorageCommandLine::tr("OSS request signatures: v4 (default) or v1 for older deployments; --provider oss only."),
    QStringLiteral("version"));
const QCommandLineOption kPathStyle(QStringLiteral("path-style"),
    StorageCommandLine::tr("Address buckets as endpoint/bucket/key instead of bucket.endpoint/key."));
const QCommandLineOption kVirtualHosted(
    QStringLiteral("virtual-hosted"), StorageCommandLine::tr("Address buckets as bucket.endpoint/key."));
const QCommandLineOption kCaBundle(QStringLiteral("ca-bundle"),
    StorageCommandLine::tr("CA certificates file for https endpoints."), QStringLiteral("file"));
const QCommandLineOption kPartSize(QStringLiteral("part-size"),
    StorageCommandLine::tr(
        "Multipart part size, e.g. 8M (default 8M, at least 5M, or 100K with --provider oss; grown for files over "
        "10,000 parts)."),
    QStringLiteral("size"));
const QCommandLineOption kConcurrency(QStringLiteral("concurrency"),
    StorageCommandLine::tr(
        "Requests in flight at once: parts of large files and whole small files alike (default 8; for the engine, per "
        "episode, within --max-parts)."),
    QStringLiteral("n"));
const QCommandLineOption kPutThreshold(QStringLiteral("single-put-threshold"),
    StorageCommandLine::tr("Files smaller than this go in one PutObject (default 16M)."), QStringLiteral("size"));
const QCommandLineOption kBandwidth(QStringLiteral("bandwidth-limit"),
    StorageCommandLine::tr("Upload at most this many bytes per second, e.g. 20M (default: unlimited)."),
    QStringLiteral("size"));
const QCommandLineOption kMaxAttempts(QStringLiteral("max-attempts"),
    StorageCommandLine::tr("Attempts per request before giving up (default 5)."), QStringLiteral("n"));
const QCommandLineOption kCredentialsFile(QStringLiteral("credentials-file"),
    StorageCommandLine::tr(
        "Credentials in AWS shared-credentials format, mode 0600 (used when neither the keychain nor the "
        "environment has them)."),
    QStringLiteral("file"));

} // namespace

void StorageCommandLine::addOptions(QCommandLineParser &parser) const
{
    parser.addOptions(translatedOptions("StorageCommandLine",
        {kEndpoint, kRegion, kProvider, kSignatureVersion, kPathStyle, kVirtualHosted, kCaBundle, kPartSize,
            kConcurrency, kPutThreshold, kMaxAttempts, kBandwidth, kCredentialsFile}));
}

AppResult<void> StorageCommandLine::read(const OptionValues &values, const QProcessEnvironment &environment)
{
    EndpointProfile::Provider provider = EndpointProfile::Provider::Custom;
    if (values.isSet(kProvider)) {
        const auto parsed = EndpointProfile::providerFromName(values.value(kProvider));
        if (!parsed)
            return AppError{
                tr("unknown provider '%1' (use aws, oss, r2, b2, wasabi or custom)").arg(values.value(kProvider))};
        provider = *parsed;
    }
    const QString endpoint
        = values.isSet(kEndpoint) ? values.value(kEndpoint) : environment.value(QStringLiteral("AWS_ENDPOINT_URL"));
    const auto region = readRegion(values, environment, provider, endpoint);
    if (!region)
        return region.error();
    profile = EndpointProfile::preset(provider, region.value());
    if (!endpoint.isEmpty())
        profile.endpoint = QUrl(endpoint);
    if (auto version = readSignatureVersion(values); !version)
        return version;
    if (auto addressing = readAddressing(values); !addressing)
        return addressing;
    profile.caBundle = values.value(kCaBundle);
    transport.caBundle = profile.caBundle;
    if (const QString invalid = profile.validationError(); !invalid.isEmpty())
        return AppError{invalid};

    options.minPartSize = profile.minPartSize();
    // Not fixed by the user: the number of requests in flight adapts to the link (AdaptiveConcurrency).
    options.adaptive = std::make_shared<AdaptiveConcurrency>();
    options.partSlots = options.adaptive->slots();
    options.concurrency = AdaptiveConcurrency::kDefaultCeiling;
    return readLimits(values);
}

AppResult<void> StorageCommandLine::readLimits(const OptionValues &values)
{
    if (values.isSet(kPartSize)) {
        options.partSize = ByteSize::parse(values.value(kPartSize));
        if (options.partSize < options.minPartSize || options.partSize > PartPlan::kMaxPartSize)
            return AppError{profile.isOss()
                    ? tr("--part-size must be between 100K (Alibaba OSS's minimum part size) and 5G")
                    : tr("--part-size must be between 5M (S3's minimum part size) and 5G")};
    }
    if (values.isSet(kPutThreshold)) {
        options.singlePutThreshold = ByteSize::parse(values.value(kPutThreshold));
        if (options.singlePutThreshold < 0)
            return AppError{tr("invalid --single-put-threshold")};
    }
    if (values.isSet(kConcurrency)) {
        bool ok = false;
        options.concurrency = values.value(kConcurrency).toInt(&ok);
        if (!ok || options.concurrency < SyncLimits::kMinRequestsPerEpisode
            || options.concurrency > SyncLimits::kMaxRequestsPerEpisode)
            return AppError{tr("--concurrency must be between %1 and %2")
                                .arg(SyncLimits::kMinRequestsPerEpisode)
                                .arg(SyncLimits::kMaxRequestsPerEpisode)};
        options.adaptive.reset(); // fixed by the user: it does not adapt
        options.partSlots.reset();
    }
    if (values.isSet(kBandwidth)) {
        const qint64 limit = ByteSize::parse(values.value(kBandwidth));
        if (limit <= 0)
            return AppError{tr("invalid --bandwidth-limit")};
        transport.bandwidth = std::make_shared<BandwidthLimiter>(limit);
    }
    if (values.isSet(kMaxAttempts)) {
        bool ok = false;
        const int attempts = values.value(kMaxAttempts).toInt(&ok);
        if (!ok || attempts < 1 || attempts > 100)
            return AppError{tr("--max-attempts must be between 1 and 100")};
        options.retry = RetryPolicy(attempts);
    }

    return {};
}

AppResult<QString> StorageCommandLine::readRegion(const OptionValues &values, const QProcessEnvironment &environment,
    EndpointProfile::Provider provider, const QString &endpoint)
{
    if (const QString region = values.value(kRegion); !region.isEmpty())
        return region;
    if (provider == EndpointProfile::Provider::AwsS3 || provider == EndpointProfile::Provider::Custom)
        return environment.value(QStringLiteral("AWS_REGION"), environment.value(QStringLiteral("AWS_DEFAULT_REGION")));
    // $AWS_REGION is another provider's setting: R2 keeps its preset's "auto", and an OSS, B2 or Wasabi endpoint
    // names its region, where signing with any other fails. Without an endpoint the preset's region and endpoint stay
    // together.
    const QString host = QUrl(endpoint).host();
    if (!EndpointProfile::regionFollowsEndpoint(provider) || host.isEmpty())
        return QString(); // no endpoint, or an invalid one that validationError() reports
    const QString region = EndpointProfile::regionFromHost(provider, host);
    if (region.isEmpty()) {
        const QString service = provider == EndpointProfile::Provider::AlibabaOss
            ? QStringLiteral("OSS")
            : EndpointProfile::providerLabel(provider);
        return AppError{tr("cannot read the %1 region from the endpoint host '%2' (not %3): give --region")
                            .arg(service, host, EndpointProfile::regionalHostPattern(provider))};
    }
    return region;
}

AppResult<void> StorageCommandLine::readSignatureVersion(const OptionValues &values)
{
    if (!values.isSet(kSignatureVersion))
        return {};
    const auto version = EndpointProfile::signatureVersionFromName(values.value(kSignatureVersion));
    if (!version)
        return AppError{tr("unknown signature version '%1' (use v4 or v1)").arg(values.value(kSignatureVersion))};
    if (!profile.isOss())
        return AppError{tr("--signature-version applies only to --provider oss (Alibaba OSS's native protocol)")};
    profile.signatureVersion = *version;
    return {};
}

AppResult<void> StorageCommandLine::readAddressing(const OptionValues &values)
{
    // Addressing is one choice, made on the command line or else in the file (where path-style=false means
    // virtual-hosted); either flag on the command line replaces what the file says.
    const bool onCommandLine = values.isSetOnCommandLine(kPathStyle) || values.isSetOnCommandLine(kVirtualHosted);
    const auto flag = [&](const QCommandLineOption &option) {
        return onCommandLine ? (values.isSetOnCommandLine(option) ? std::optional<bool>(true) : std::nullopt)
                             : values.flag(option);
    };
    std::optional<bool> pathStyle = flag(kPathStyle);
    if (const std::optional<bool> virtualHosted = flag(kVirtualHosted)) {
        if (pathStyle && *pathStyle == *virtualHosted)
            return AppError{tr("--path-style and --virtual-hosted exclude each other")};
        pathStyle = !*virtualHosted;
    }
    if (pathStyle)
        profile.pathStyle = *pathStyle; // path style on OSS: validationError() refuses it
    return {};
}

AppResult<void> StorageCommandLine::readCredentials(
    const OptionValues &values, const QProcessEnvironment &environment, const QString &accessKeyId)
{
    CredentialRequest request;
    request.environment = environment;
    request.accessKeyId = accessKeyId;
    request.credentialsFile = values.value(kCredentialsFile);
    const auto found = CredentialResolver::resolve(request);
    if (!found)
        return AppError{found.error().message};
    credentials = found.value().credentials;
    credentialSource = found.value().description;
    return {};
}

#include "consolesettings.h"

#include "core/bytesize.h"
#include "storage/adaptiveconcurrency.h"
#include "storage/partplan.h"
#include "sync/synclimits.h"

#include <QSettings>

#include <algorithm>

namespace {

const QString kStorage = QStringLiteral("Storage");
const QString kSync = QStringLiteral("Sync");

} // namespace

int ConsoleSettings::minPartSizeMiB(EndpointProfile::Provider provider)
{
    EndpointProfile profile;
    profile.provider = provider;
    return int((profile.minPartSize() + PartPlan::kMiB - 1) / PartPlan::kMiB);
}

ConsoleSettings ConsoleSettings::load(QSettings &settings)
{
    ConsoleSettings result;
    settings.beginGroup(kStorage);
    result.provider = EndpointProfile::providerFromName(settings.value(QStringLiteral("provider")).toString())
                          .value_or(EndpointProfile::Provider::Custom);
    result.endpoint = settings.value(QStringLiteral("endpoint"), result.endpoint).toString();
    result.region = settings.value(QStringLiteral("region"), result.region).toString();
    result.pathStyle = settings.value(QStringLiteral("pathStyle"), result.pathStyle).toBool();
    result.signatureVersion
        = EndpointProfile::signatureVersionFromName(settings.value(QStringLiteral("signatureVersion")).toString())
              .value_or(EndpointProfile::SignatureVersion::V4);
    result.bucket = settings.value(QStringLiteral("bucket"), result.bucket).toString();
    result.keyPrefix = settings.value(QStringLiteral("keyPrefix"), result.keyPrefix).toString();
    result.accessKeyId = settings.value(QStringLiteral("accessKeyId"), result.accessKeyId).toString();
    settings.endGroup();

    settings.beginGroup(kSync);
    const int minPart = minPartSizeMiB(result.provider);
    const int maxPart = int(PartPlan::kMaxPartSize / PartPlan::kMiB);
    result.partSizeMiB
        = std::clamp(settings.value(QStringLiteral("partSizeMiB"), result.partSizeMiB).toInt(), minPart, maxPart);
    result.parallelParts = std::clamp(settings.value(QStringLiteral("parallelParts"), result.parallelParts).toInt(),
        SyncLimits::kMinRequestsPerEpisode, SyncLimits::kMaxRequestsPerEpisode);
    result.maxConcurrentEpisodes
        = std::clamp(settings.value(QStringLiteral("maxConcurrentEpisodes"), result.maxConcurrentEpisodes).toInt(),
            SyncLimits::kMinEpisodes, SyncLimits::kMaxEpisodes);
    result.bandwidthLimitMiBps = std::clamp(
        settings.value(QStringLiteral("bandwidthLimitMiBps"), result.bandwidthLimitMiBps).toInt(), 0, 100000);
    result.bandwidthSchedule = settings.value(QStringLiteral("bandwidthSchedule")).toString();
    result.recordingLimit = settings.value(QStringLiteral("recordingLimit")).toString();
    settings.endGroup();
    return result;
}

void ConsoleSettings::save(QSettings &settings) const
{
    settings.beginGroup(kStorage);
    settings.setValue(QStringLiteral("provider"), EndpointProfile::providerName(provider));
    settings.setValue(QStringLiteral("endpoint"), endpoint);
    settings.setValue(QStringLiteral("region"), region);
    settings.setValue(QStringLiteral("pathStyle"), pathStyle);
    settings.setValue(QStringLiteral("signatureVersion"), EndpointProfile::signatureVersionName(signatureVersion));
    settings.setValue(QStringLiteral("bucket"), bucket);
    settings.setValue(QStringLiteral("keyPrefix"), keyPrefix);
    settings.setValue(QStringLiteral("accessKeyId"), accessKeyId);
    settings.endGroup();

    settings.beginGroup(kSync);
    settings.setValue(QStringLiteral("partSizeMiB"), partSizeMiB);
    settings.setValue(QStringLiteral("parallelParts"), parallelParts);
    settings.setValue(QStringLiteral("maxConcurrentEpisodes"), maxConcurrentEpisodes);
    settings.setValue(QStringLiteral("bandwidthLimitMiBps"), bandwidthLimitMiBps);
    settings.setValue(QStringLiteral("bandwidthSchedule"), bandwidthSchedule);
    settings.setValue(QStringLiteral("recordingLimit"), recordingLimit);
    settings.endGroup();
}

EndpointProfile ConsoleSettings::profile() const
{
    EndpointProfile profile = EndpointProfile::preset(provider, region.trimmed());
    // An empty field means the preset's endpoint where the region decides it (AWS, OSS, B2, Wasabi), as on the
    // command line; a custom server has no such default, so its empty endpoint stays an error.
    if (!endpoint.trimmed().isEmpty() || provider == EndpointProfile::Provider::Custom)
        profile.endpoint = QUrl(endpoint.trimmed());
    profile.region = region.trimmed();
    profile.pathStyle = pathStyle;
    profile.signatureVersion = signatureVersion;
    return profile;
}

void ConsoleSettings::applyTo(SyncConfig &config) const
{
    config.profile = profile();
    config.bucket = bucket.trimmed();
    config.keyPrefix = keyPrefix.trimmed();
    config.credentials.accessKeyId = accessKeyId.trimmed().toUtf8();
    config.upload.partSize = qint64(partSizeMiB) * PartPlan::kMiB;
    config.upload.minPartSize = config.profile.minPartSize();
    config.upload.concurrency = parallelParts; // a cap per episode
    // The console has no engine-wide setting: the engine's budget adapts to the link (AdaptiveConcurrency).
    config.upload.adaptive = std::make_shared<AdaptiveConcurrency>();
    config.upload.partSlots = config.upload.adaptive->slots();
    config.maxConcurrentEpisodes = maxConcurrentEpisodes;
    config.bandwidthLimit = qint64(bandwidthLimitMiBps) * PartPlan::kMiB;
    config.bandwidthSchedule = schedule();
    config.recordingLimit = recordingLimitBytes();
}

BandwidthSchedule ConsoleSettings::schedule() const
{
    return BandwidthSchedule::parse(bandwidthSchedule).valueOr({}); // the dialog accepts only valid text
}

qint64 ConsoleSettings::recordingLimitBytes() const
{
    return recordingLimit.trimmed().isEmpty() ? -1 : std::max<qint64>(-1, ByteSize::parse(recordingLimit));
}

bool ConsoleSettings::hasSavedLimits(QSettings &settings)
{
    return settings.contains(kSync + QStringLiteral("/partSizeMiB"));
}

ConsoleSettings ConsoleSettings::fromConfig(const SyncConfig &config)
{
    ConsoleSettings result;
    result.provider = config.profile.provider;
    result.endpoint = config.profile.endpoint.toString();
    result.region = config.profile.region;
    result.pathStyle = config.profile.pathStyle;
    result.signatureVersion = config.profile.signatureVersion;
    result.bucket = config.bucket;
    result.keyPrefix = config.keyPrefix;
    result.accessKeyId = QString::fromUtf8(config.credentials.accessKeyId);
    const int maxPart = int(PartPlan::kMaxPartSize / PartPlan::kMiB);
    result.partSizeMiB = std::clamp(
        int((config.upload.partSize + PartPlan::kMiB / 2) / PartPlan::kMiB), minPartSizeMiB(result.provider), maxPart);
    result.parallelParts
        = std::clamp(config.upload.concurrency, SyncLimits::kMinRequestsPerEpisode, SyncLimits::kMaxRequestsPerEpisode);
    result.maxConcurrentEpisodes
        = std::clamp(config.maxConcurrentEpisodes, SyncLimits::kMinEpisodes, SyncLimits::kMaxEpisodes);
    result.bandwidthLimitMiBps = config.bandwidthLimit <= 0
        ? 0
        : int(std::clamp<qint64>((config.bandwidthLimit + PartPlan::kMiB / 2) / PartPlan::kMiB, 1, 100000));
    result.bandwidthSchedule = config.bandwidthSchedule.toString();
    result.recordingLimit = config.recordingLimit < 0 ? QString() : ByteSize::format(config.recordingLimit);
    return result;
}

void ConsoleSettings::applyEditableTo(SyncConfig &config, const FixedSettings &fixed) const
{
    using Field = FixedSettings::Field;
    const auto editable = [&fixed](Field field) { return !fixed.isFixed(field); };
    EndpointProfile &target = config.profile;
    if (editable(Field::Provider))
        target.provider = provider;
    if (editable(Field::Endpoint))
        target.endpoint = QUrl(endpoint.trimmed());
    if (editable(Field::Region))
        target.region = region.trimmed();
    if (editable(Field::Addressing))
        target.pathStyle = pathStyle;
    if (editable(Field::SignatureVersion))
        target.signatureVersion = target.isOss() ? signatureVersion : EndpointProfile::SignatureVersion::V4;
    if (editable(Field::Bucket))
        config.bucket = bucket.trimmed();
    if (editable(Field::KeyPrefix))
        config.keyPrefix = keyPrefix.trimmed();
    if (editable(Field::Credentials))
        config.credentials.accessKeyId = accessKeyId.trimmed().toUtf8();
    config.upload.minPartSize = target.minPartSize();
    if (editable(Field::PartSize))
        config.upload.partSize = qint64(partSizeMiB) * PartPlan::kMiB;
    // Never below the provider's minimum (a part size saved for OSS, storage from the command line on S3).
    config.upload.partSize = std::max(config.upload.partSize, config.upload.minPartSize);
    if (editable(Field::ParallelParts))
        config.upload.concurrency = parallelParts;
    if (editable(Field::MaxConcurrentEpisodes))
        config.maxConcurrentEpisodes = maxConcurrentEpisodes;
    if (editable(Field::BandwidthLimit))
        config.bandwidthLimit = qint64(bandwidthLimitMiBps) * PartPlan::kMiB;
    if (editable(Field::BandwidthSchedule))
        config.bandwidthSchedule = schedule();
    if (editable(Field::RecordingLimit))
        config.recordingLimit = recordingLimitBytes();
}

void ConsoleSettings::takeEditable(const ConsoleSettings &entered, const FixedSettings &fixed)
{
    using Field = FixedSettings::Field;
    const auto editable = [&fixed](Field field) { return !fixed.isFixed(field); };
    if (editable(Field::Provider))
        provider = entered.provider;
    if (editable(Field::Endpoint))
        endpoint = entered.endpoint;
    if (editable(Field::Region))
        region = entered.region;
    if (editable(Field::Addressing))
        pathStyle = entered.pathStyle;
    if (editable(Field::SignatureVersion))
        signatureVersion = entered.signatureVersion;
    if (editable(Field::Bucket))
        bucket = entered.bucket;
    if (editable(Field::KeyPrefix))
        keyPrefix = entered.keyPrefix;
    if (editable(Field::Credentials))
        accessKeyId = entered.accessKeyId;
    if (editable(Field::PartSize))
        partSizeMiB = entered.partSizeMiB;
    if (editable(Field::ParallelParts))
        parallelParts = entered.parallelParts;
    if (editable(Field::MaxConcurrentEpisodes))
        maxConcurrentEpisodes = entered.maxConcurrentEpisodes;
    if (editable(Field::BandwidthLimit))
        bandwidthLimitMiBps = entered.bandwidthLimitMiBps;
    if (editable(Field::BandwidthSchedule))
        bandwidthSchedule = entered.bandwidthSchedule;
    if (editable(Field::RecordingLimit))
        recordingLimit = entered.recordingLimit;
}

#include "consolesettings.h"

#include "storage/adaptiveconcurrency.h"
#include "storage/partplan.h"

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
    result.parallelParts
        = std::clamp(settings.value(QStringLiteral("parallelParts"), result.parallelParts).toInt(), 1, 64);
    result.maxConcurrentEpisodes = std::clamp(
        settings.value(QStringLiteral("maxConcurrentEpisodes"), result.maxConcurrentEpisodes).toInt(), 1, 64);
    result.bandwidthLimitMiBps = std::clamp(
        settings.value(QStringLiteral("bandwidthLimitMiBps"), result.bandwidthLimitMiBps).toInt(), 0, 100000);
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
    settings.endGroup();
}

EndpointProfile ConsoleSettings::profile() const
{
    EndpointProfile profile = EndpointProfile::preset(provider, region);
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
}

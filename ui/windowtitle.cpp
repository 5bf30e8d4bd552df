#include "windowtitle.h"

QString WindowTitle::forConfig(const SyncConfig &config)
{
    if (config.bucket.isEmpty())
        return tr("Keystone Console");
    return tr("Keystone Console — %1 @ %2 (%3)")
        .arg(
            config.bucket, config.profile.endpoint.toString(), EndpointProfile::providerLabel(config.profile.provider));
}

#include "windowtitle.h"

#include <QCoreApplication>

namespace WindowTitle {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("WindowTitle", text);
}

} // namespace

QString forConfig(const SyncConfig &config)
{
    if (config.bucket.isEmpty())
        return tr("Keystone Console");
    return tr("Keystone Console — %1 @ %2 (%3)")
        .arg(
            config.bucket, config.profile.endpoint.toString(), EndpointProfile::providerLabel(config.profile.provider));
}

} // namespace WindowTitle

#include "windowtitle.h"

#include <QCoreApplication>

namespace WindowTitle {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("WindowTitle", text);
}

} // namespace

QString providerName(EndpointProfile::Provider provider)
{
    switch (provider) {
    case EndpointProfile::Provider::AwsS3:
        return tr("AWS S3");
    case EndpointProfile::Provider::AlibabaOss:
        return tr("Alibaba Cloud OSS");
    case EndpointProfile::Provider::CloudflareR2:
        return tr("Cloudflare R2");
    case EndpointProfile::Provider::BackblazeB2:
        return tr("Backblaze B2");
    case EndpointProfile::Provider::Wasabi:
        return tr("Wasabi");
    case EndpointProfile::Provider::Custom:
        break;
    }
    return tr("MinIO / S3");
}

QString forConfig(const SyncConfig &config)
{
    if (config.bucket.isEmpty())
        return tr("Keystone Console");
    return tr("Keystone Console — %1 @ %2 (%3)")
        .arg(config.bucket, config.profile.endpoint.toString(), providerName(config.profile.provider));
}

} // namespace WindowTitle

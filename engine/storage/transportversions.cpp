#include "transportversions.h"

#include <curl/curl.h>

TransportVersions TransportVersions::current()
{
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    TransportVersions versions;
    if (!info)
        return versions;
    versions.curl = QString::fromLatin1(info->version);
    if (info->ssl_version)
        versions.tls = QString::fromLatin1(info->ssl_version);
    return versions;
}

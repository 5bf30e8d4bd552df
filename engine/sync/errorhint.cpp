#include "errorhint.h"

QString ErrorHint::forCode(const QString &code)
{
    const auto is = [&code](const char *name) { return code == QLatin1String(name); };
    if (code.isEmpty())
        return {};
    if (is("Unreachable"))
        return tr("The storage endpoint cannot be reached. Check the network and the endpoint in Settings; uploads "
                  "continue by themselves once it answers.");
    if (isCredentialsRejected(code))
        return tr("The storage rejected the credentials. Check the access key ID and the secret key in Settings (or "
                  "the credentials file), then retry.");
    if (is("AccessDenied"))
        return tr("The credentials are valid but may not write here. Ask the storage's administrator for write and "
                  "multipart permissions on the bucket, then retry.");
    if (is("NoSuchBucket"))
        return tr("The bucket does not exist at this endpoint. Check the bucket, endpoint and region in Settings, "
                  "then retry.");
    if (is("RequestTimeTooSkewed"))
        return tr("This computer's clock is too far from the storage's. Correct the system time (NTP), then retry.");
    if (is("QuotaExceeded") || is("StorageQuotaExceeded") || is("InsufficientStorage"))
        return tr("The bucket or account is over its quota. Free space or raise the quota, then retry.");
    if (is("FileMissing"))
        return tr("A file of the episode is gone from the disk. Restore it, or Rescan to continue with the files "
                  "that are still there.");
    if (is("FileChanged"))
        return tr("A file of the episode changed after it was registered. Rescan to take the folder as it is now "
                  "and continue with the files that did not change.");
    if (is("LocalIoError"))
        return tr("A local file could not be read. Check the disk and the file's permissions, then retry.");
    if (is("catalog_unwritable"))
        return tr("The catalog in the data directory cannot be written (disk full or read-only). Free space; "
                  "uploads continue by themselves.");
    if (is("NetworkError") || is("Timeout") || is("RequestTimeout"))
        return tr("The connection to the storage broke. Uploads retry by themselves; if it keeps happening, check "
                  "the network.");
    if (is("SlowDown") || is("ServiceUnavailable") || is("InternalError") || is("ServerBusy"))
        return tr("The storage is busy or failed internally. Uploads retry by themselves.");
    if (is("BadDigest") || is("InvalidDigest") || is("InvalidResponse"))
        return tr("Data was damaged between this computer and the storage and was rejected; it is sent again by "
                  "itself. If it keeps happening, check proxies and the network path.");
    if (is("EntityTooLarge") || is("EntityTooSmall") || is("InvalidPart") || is("InvalidPartOrder"))
        return tr("The storage refused the way the file was cut into parts. Check the part size in Settings, then "
                  "retry.");
    return tr("Retry the episode; if it fails again, the message above and the storage's logs say more.");
}

bool ErrorHint::isCredentialsRejected(const QString &code)
{
    return code == QLatin1String("SignatureDoesNotMatch") || code == QLatin1String("InvalidAccessKeyId");
}

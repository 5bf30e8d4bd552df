#pragma once

#include "storage/curltransport.h"
#include "storage/endpointprofile.h"
#include "storage/multipartuploader.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>

// The storage options every mode shares (--endpoint, --region, --provider, --path-style, --part-size,
// --concurrency, ...), and credentials from the environment. Secrets are read, never printed.
class StorageCommandLine
{
public:
    void addOptions(QCommandLineParser &parser) const;

    // Fills the members below; false with *error set on bad input.
    bool read(const QCommandLineParser &parser, const QProcessEnvironment &environment, QString *error);

    EndpointProfile profile;
    AwsCredentials credentials;
    TransportOptions transport;
    UploadOptions options;

    // "8M", "8MiB", "8388608", "1G": bytes, or -1 when unparsable.
    static qint64 parseSize(const QString &text);
};

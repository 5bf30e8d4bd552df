#pragma once

#include "appresult.h"
#include "config/credentialresolver.h"
#include "storage/curltransport.h"
#include "storage/endpointprofile.h"
#include "storage/multipartuploader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcessEnvironment>

class OptionValues;

// The storage options every mode shares (--endpoint, --region, --provider, --signature-version, --path-style,
// --part-size,
// --concurrency, ..., --credentials-file), read from the command line or the config file, and the credentials
// (CredentialResolver: keychain, environment, credentials file). Secrets are read, never printed.
class StorageCommandLine
{
    Q_DECLARE_TR_FUNCTIONS(StorageCommandLine)

public:
    void addOptions(QCommandLineParser &parser) const;

    // Fills the members below except the credentials; an error on bad input.
    [[nodiscard]] AppResult<void> read(const OptionValues &values, const QProcessEnvironment &environment);
    // Only the limits that were given (--part-size against profile's minimum, --single-put-threshold,
    // --concurrency, --bandwidth-limit, --max-attempts) into options and transport; the others stay as they are
    // (read() calls it after its defaults; the console calls it over its saved settings).
    [[nodiscard]] AppResult<void> readLimits(const OptionValues &values);
    // The credentials and credentialSource (a separate step: it may wait for the keychain, so it comes after every
    // cheap check). accessKeyId: where the keychain looks when the environment names no id (the config's
    // access-key-id, or the console's saved settings). An error when there are none.
    [[nodiscard]] AppResult<void> readCredentials(
        const OptionValues &values, const QProcessEnvironment &environment, const QString &accessKeyId);

    EndpointProfile profile;
    AwsCredentials credentials;
    QString credentialSource; // "keychain (access key AKIA…)", for the start-up line; never the secret
    TransportOptions transport;
    UploadOptions options;

private:
    // --region, else (OSS) the endpoint host's region, else (S3) $AWS_REGION; empty: the preset's.
    [[nodiscard]] static AppResult<QString> readRegion(const OptionValues &values,
        const QProcessEnvironment &environment, EndpointProfile::Provider provider, const QString &endpoint);
    [[nodiscard]] AppResult<void> readSignatureVersion(const OptionValues &values);
    [[nodiscard]] AppResult<void> readAddressing(const OptionValues &values);
};

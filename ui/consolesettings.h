#pragma once

#include "fixedsettings.h"
#include "storage/endpointprofile.h"
#include "sync/syncconfig.h"

#include <QString>

class QSettings;

// The console's non-secret storage and sync settings as the user saved them (QSettings groups "Storage" and
// "Sync"). The secret access key is not part of it: it lives in the keychain (CredentialStore) only.
struct ConsoleSettings
{
    EndpointProfile::Provider provider = EndpointProfile::Provider::Custom;
    QString endpoint = QStringLiteral("http://127.0.0.1:9000");
    QString region = QStringLiteral("us-east-1");
    bool pathStyle = true;
    EndpointProfile::SignatureVersion signatureVersion = EndpointProfile::SignatureVersion::V4; // OSS only
    QString bucket;
    QString keyPrefix = QStringLiteral("episodes");
    QString accessKeyId;

    int partSizeMiB = 8;
    int parallelParts = 8; // requests in flight per episode (parts and small files)
    int maxConcurrentEpisodes = 2;
    int bandwidthLimitMiBps = 0; // 0: unlimited
    QString bandwidthSchedule; // BandwidthSchedule's text ("08:00,10M 20:00,off"); empty: none
    QString recordingLimit; // a rate such as "5M" ("0": hold); empty: a tenth of the measured uplink

    // Whether anything was ever saved (a bucket is the minimum a configuration needs).
    bool isConfigured() const { return !bucket.isEmpty() && !endpoint.isEmpty(); }

    // The smallest part size the provider accepts, rounded up to whole MiB (what the dialog offers): 1 on OSS,
    // 5 on S3.
    static int minPartSizeMiB(EndpointProfile::Provider provider);

    static ConsoleSettings load(QSettings &settings);
    void save(QSettings &settings) const;
    // Whether the limits (group "Sync") were ever saved: only then do they override the defaults of a start whose
    // storage comes from the command line.
    static bool hasSavedLimits(QSettings &settings);

    // What a configuration in force looks like in these terms (the dialog shows it): sizes rounded to whole MiB (a
    // limit under 1 MiB/s shows as 1, never as unlimited), counts clamped to the dialog's ranges.
    static ConsoleSettings fromConfig(const SyncConfig &config);
    // The values not fixed (see FixedSettings) applied to a configuration in force, the rest of it kept as it is
    // (CA bundle, retries, the engine's budget). Credentials: only the access key id; the secret is the caller's.
    void applyEditableTo(SyncConfig &config, const FixedSettings &fixed) const;
    // For saving: these (stored) settings with the values not fixed taken from entered. Fixed values come from the
    // command line or config file again at the next start; the user's own saved ones stay.
    void takeEditable(const ConsoleSettings &entered, const FixedSettings &fixed);

    EndpointProfile profile() const;
    BandwidthSchedule schedule() const; // empty when bandwidthSchedule is (or, saved by hand, is not valid)
    qint64 recordingLimitBytes() const; // SyncConfig::recordingLimit: -1 when empty (or not a rate)
    // Fills the storage and limit fields of config (upload.minPartSize from the profile).
    // config.credentials.accessKeyId is set; the secret is the caller's to add (read it from the keychain). dataDir and
    // the retry policies are left as they are.
    void applyTo(SyncConfig &config) const;
};

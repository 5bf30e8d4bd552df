#include "fixedsettingsreader.h"

#include "optionvalues.h"

#include <optional>

namespace {

using Field = FixedSettings::Field;
using Source = FixedSettings::Source;

// The options that choose the storage; access-key-id exists in the config file only.
constexpr const char *kStorageOptions[] = {"provider", "endpoint", "region", "path-style", "virtual-hosted",
    "signature-version", "bucket", "key-prefix", "ca-bundle", "credentials-file", "access-key-id"};
constexpr Field kStorageFields[] = {Field::Provider, Field::Endpoint, Field::Region, Field::Addressing,
    Field::SignatureVersion, Field::Bucket, Field::KeyPrefix, Field::Credentials};

struct LimitOption
{
    const char *name;
    Field field;
};
constexpr LimitOption kLimitOptions[] = {{"part-size", Field::PartSize}, {"concurrency", Field::ParallelParts},
    {"max-episodes", Field::MaxConcurrentEpisodes}, {"bandwidth-limit", Field::BandwidthLimit},
    {"bandwidth-schedule", Field::BandwidthSchedule}, {"recording-limit", Field::RecordingLimit}};

// Where an option was given, if anywhere (the command line wins, as in OptionValues).
std::optional<Source> sourceOf(const OptionValues &values, const QString &name)
{
    const bool option = name != QLatin1String("access-key-id"); // not an option of this mode: never ask the parser
    if (option && values.parser().isSet(name))
        return Source::CommandLine;
    if (!values.fileValue(name).isEmpty())
        return Source::ConfigFile;
    return std::nullopt;
}

} // namespace

FixedSettings FixedSettingsReader::read(const OptionValues &values, bool storageFromOptions)
{
    FixedSettings fixed;
    fixed.setConfigFile(values.configFile());
    if (storageFromOptions) {
        for (const char *name : kStorageOptions) {
            const QString option = QLatin1String(name);
            if (const auto source = sourceOf(values, option)) {
                for (const Field field : kStorageFields)
                    fixed.fix(field, *source, option);
            }
        }
    }
    for (const LimitOption &limit : kLimitOptions) {
        const QString option = QLatin1String(limit.name);
        if (const auto source = sourceOf(values, option))
            fixed.fix(limit.field, *source, option);
    }
    return fixed;
}

#pragma once

#include "fixedsettings.h"

class OptionValues;

// Which settings of the desktop console the command line or the --config file fixed, for the settings dialog
// (FixedSettings): it shows them read-only instead of offering changes that the next start would undo.
//   - Storage (provider, endpoint, region, addressing, signature, bucket, key prefix, credentials) is one choice:
//     when it comes from the options (storageFromOptions: --bucket was given), every storage field is fixed, named by
//     the storage options actually given. Otherwise it comes from the saved settings and nothing of it is fixed.
//   - Limits one by one: --part-size, --concurrency, --max-episodes, --bandwidth-limit.
class FixedSettingsReader
{
public:
    [[nodiscard]] static FixedSettings read(const OptionValues &values, bool storageFromOptions);
};

#pragma once

#include "sync/syncconfig.h"

#include <QString>

// The main window's title for the configuration in force, "Keystone Console — episodes @ http://127.0.0.1:9000
// (MinIO / S3)": which bucket, where and which protocol, so that two consoles side by side can be told apart.
namespace WindowTitle {

[[nodiscard]] QString forConfig(const SyncConfig &config);

} // namespace WindowTitle

#pragma once

#include "sync/syncconfig.h"

#include <QCoreApplication>
#include <QString>

// The main window's title for the configuration in force, "Keystone Console — episodes @ http://127.0.0.1:9000
// (MinIO / S3)": which bucket, where and which protocol, so that two consoles side by side can be told apart.
class WindowTitle
{
    Q_DECLARE_TR_FUNCTIONS(WindowTitle)

public:
    [[nodiscard]] static QString forConfig(const SyncConfig &config);
};

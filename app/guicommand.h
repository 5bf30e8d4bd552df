#pragma once

#include <QCoreApplication>
#include <QStringList>

// `keystone-console` with a display: the desktop console (MainWindow) over the sync engine, with the local
// HTTP API running beside it (both views read the same engine snapshots).
// Exit codes: 0 closed normally, 2 usage or configuration error, 3 the engine or API could not start.
class GuiCommand
{
    Q_DECLARE_TR_FUNCTIONS(GuiCommand)

public:
    enum ExitCode { Ok = 0, Usage = 2, StartFailed = 3 };

    int run(const QStringList &arguments);
};

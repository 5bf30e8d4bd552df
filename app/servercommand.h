#pragma once

#include <QCoreApplication>
#include <QStringList>

// `keystone-console --server`: the sync engine and the local HTTP API, no widgets (QCoreApplication only).
// Prints the API URL and the token file; SIGTERM/SIGINT stop it, keeping unfinished uploads for the next start.
// Exit codes: 0 stopped normally, 2 usage or configuration error (no credentials included), 3 the engine or API
// could not start.
class ServerCommand
{
    Q_DECLARE_TR_FUNCTIONS(ServerCommand)

public:
    enum ExitCode { Ok = 0, Usage = 2, StartFailed = 3 };

    int run(const QStringList &arguments);
};

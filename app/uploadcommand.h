#pragma once

#include "storage/transferprogress.h"
#include "storagecommandline.h"

#include <QCoreApplication>
#include <QStringList>

class QTextStream;

// `keystone-console upload [options] PATH s3://BUCKET/KEY`: one-shot upload for scripts and benchmarks.
// Exit codes: 0 every object complete and verified, 1 upload failed, 2 usage or configuration error,
// 130 interrupted (uploads aborted).
class UploadCommand
{
    Q_DECLARE_TR_FUNCTIONS(UploadCommand)

public:
    enum ExitCode { Ok = 0, Failed = 1, Usage = 2, Interrupted = 130 };

    int run(const QStringList &arguments);

private:
    void printProgress(const TransferProgress &progress);

    bool m_jsonProgress = false;
    bool m_terminal = false;
};

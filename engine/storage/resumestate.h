#pragma once

#include "core/completedpart.h"

#include <QList>
#include <QString>

// What a previous attempt left behind, as the sync engine persisted it.
struct ResumeState
{
    QString uploadId;
    QList<CompletedPart> verifiedParts;
    // The part size the upload was started with (0: unknown, plan with the options'). A resumed upload keeps it, so
    // a part size changed since (settings applied live) never drops the parts verified before.
    qint64 partSize = 0;
};

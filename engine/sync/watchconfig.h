#pragma once

#include <QString>

// The folder watch (--watch): a new sub-folder of dir becomes an episode, once, when it is stable or marked.
// Off while dir is empty.
struct WatchConfig
{
    QString dir;
    int stableSeconds = 30; // no change in the set of files, their sizes or mtimes for this long
    QString marker = QStringLiteral(".done"); // a file of this name in the folder: ready now (never uploaded)
    int scanIntervalMs = 1000;

    bool isEnabled() const { return !dir.isEmpty(); }
};

#pragma once

#include "storage/localfiles.h"

#include <QHash>
#include <QList>
#include <QString>

// One look at a candidate folder: every file below it (sorted, as LocalFiles lists them, the marker left out), or
// why they could not be listed.
struct FolderSnapshot
{
    QString path;
    QList<LocalFile> files;
    bool hasMarker = false;
    QString problem; // empty, unreadable, vanished: never ready
};

// When is a watched folder ready to become an episode? When it has files and either holds the marker, or its listing
// (paths, sizes, mtimes) has not changed for the stable period. A folder seen for the first time starts its period
// then: old mtimes prove nothing (cp -p keeps them while the folder is still filling).
// Pure: the caller brings the snapshots and a monotonic time, so it is tested without disks or clocks.
class FolderStabilityTracker
{
public:
    enum class Verdict {
        New, // first seen in this scan
        Changed, // its listing differs from the previous scan
        Waiting, // unchanged, but not yet for the stable period
        NoFiles, // nothing to upload yet, or not listable (FolderSnapshot::problem)
        Stable, // ready: unchanged for the stable period
        Marked, // ready: the marker file is there
    };
    struct Decision
    {
        QString path;
        Verdict verdict = Verdict::New;
        bool verdictChanged = true; // differs from the previous scan's verdict (log once, not every second)
    };

    explicit FolderStabilityTracker(qint64 stableMs)
        : m_stableMs(stableMs)
    { }

    // One scan of every candidate at nowMs. Folders missing from it are forgotten (gone, registered or rejected):
    // seen again, they start over.
    QList<Decision> update(const QList<FolderSnapshot> &snapshots, qint64 nowMs);

    static bool isReady(Verdict verdict) { return verdict == Verdict::Stable || verdict == Verdict::Marked; }

private:
    struct Seen
    {
        QList<LocalFile> files;
        QString problem;
        qint64 sinceMs = 0; // when this listing was first seen
        Verdict verdict = Verdict::New;
    };
    Verdict judge(const FolderSnapshot &snapshot, const Seen &seen, bool isNew, bool changed, qint64 nowMs) const;

    qint64 m_stableMs;
    QHash<QString, Seen> m_seen;
};

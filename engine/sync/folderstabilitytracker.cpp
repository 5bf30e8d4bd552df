#include "folderstabilitytracker.h"

#include <QSet>

QList<FolderStabilityTracker::Decision> FolderStabilityTracker::update(
    const QList<FolderSnapshot> &snapshots, qint64 nowMs)
{
    QList<Decision> decisions;
    QSet<QString> present;
    for (const FolderSnapshot &snapshot : snapshots) {
        present.insert(snapshot.path);
        auto it = m_seen.find(snapshot.path);
        const bool isNew = it == m_seen.end();
        const bool changed = !isNew && (it->files != snapshot.files || it->problem != snapshot.problem);
        if (isNew)
            it = m_seen.insert(snapshot.path, Seen{snapshot.files, snapshot.problem, nowMs, Verdict::New});
        else if (changed)
            *it = Seen{snapshot.files, snapshot.problem, nowMs, it->verdict};
        const Verdict verdict = judge(snapshot, *it, isNew, changed, nowMs);
        decisions.append({snapshot.path, verdict, isNew || verdict != it->verdict});
        it->verdict = verdict;
    }
    for (auto it = m_seen.begin(); it != m_seen.end();) {
        if (present.contains(it.key()))
            ++it;
        else
            it = m_seen.erase(it);
    }
    return decisions;
}

FolderStabilityTracker::Verdict FolderStabilityTracker::judge(
    const FolderSnapshot &snapshot, const Seen &seen, bool isNew, bool changed, qint64 nowMs) const
{
    if (!snapshot.problem.isEmpty() || snapshot.files.isEmpty())
        return Verdict::NoFiles;
    if (snapshot.hasMarker)
        return Verdict::Marked; // the writer says it is done: no need to wait
    if (isNew)
        return Verdict::New;
    if (changed)
        return Verdict::Changed;
    return nowMs - seen.sinceMs >= m_stableMs ? Verdict::Stable : Verdict::Waiting;
}

#pragma once

#include "folderstabilitytracker.h"
#include "syncerror.h"
#include "watchconfig.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QThreadPool>

class EpisodeStatusStore;
class QTimer;
class SyncScheduler;

// The folder watch on the engine thread: polls the watched folder, feeds its new sub-folders to a
// FolderStabilityTracker and registers each ready one through the scheduler, as POST /episodes does, so the views see
// it like any other episode. A folder is registered once, ever: the catalog's watched_folders table remembers it
// across restarts and after the user removed its episode. Only sub-folders one level below the watched folder count;
// files directly in it, hidden folders ('.' first) and symbolic links are ignored. Folders registered before are not
// listed again, so a scan costs a listing of the watched folder plus the files of folders not yet registered; that
// listing runs on a background thread of its own (lowered like the transfers), the decisions on the engine thread.
class FolderWatcher : public QObject
{
    Q_OBJECT

public:
    FolderWatcher(WatchConfig config, SyncScheduler &scheduler, const EpisodeStatusStore &store);
    ~FolderWatcher() override;

    // Loads the folders registered before and starts polling (the first scan right away). Engine thread.
    SyncResult<void> start();

Q_SIGNALS:
    void scanned(); // after every scan, once its registrations are done
    // After every scan too: did a folder not registered yet change since the previous one (files added, grown,
    // touched)? A recorder is writing there (recording mode follows it: ThrottleController::folderLooked).
    void looked(bool grew);

private:
    // What one look at the watched folder found (on the watch's background thread).
    struct Look
    {
        bool rootMissing = false;
        QList<FolderSnapshot> snapshots;
    };
    void scan();
    void onLooked(const Look &look);
    static Look lookAt(const QString &root, const QSet<QString> &known, const QString &marker);
    static FolderSnapshot snapshot(const QString &path, const QString &marker);
    void act(const FolderStabilityTracker::Decision &decision, const FolderSnapshot &snapshot);
    void registerFolder(const QString &path, const FolderSnapshot &snapshot);
    QString freeName(const QString &folderName) const;

    WatchConfig m_config;
    QString m_root; // absolute path of the watched folder
    SyncScheduler &m_scheduler;
    const EpisodeStatusStore &m_store;
    FolderStabilityTracker m_tracker;
    QSet<QString> m_known; // registered (now or before): never looked at again
    QHash<QString, QList<LocalFile>> m_rejected; // registration refused: retried only once the folder changes
    QElapsedTimer m_clock;
    QTimer *m_timer = nullptr;
    bool m_rootMissing = false;
    bool m_looking = false;
    QThreadPool m_pool; // one thread: one look at a time
};

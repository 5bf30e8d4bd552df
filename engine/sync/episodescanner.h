#pragma once

#include "storage/localfiles.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <map>
#include <memory>

// Lists an episode's files (a stat of every file below its path) on a pool of background threads, so the engine
// thread never waits for a tree: a registration of 76,579 files blocked every command for 6.8 s when this ran on
// the engine thread. Lives on the engine thread; results come back there, one call of `done` per scan.
//
//   start(id) ──► worker: LocalFiles::scan ──progress every 1,000 files──► onProgress (worker thread)
//                      │ cancel(id) / limit / error
//                      ▼
//                 done(id, files or error)   (engine thread; never after the scanner is destroyed)
class EpisodeScanner : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(qint64 id, const StorageResult<QList<LocalFile>> &result)>;
    using Progress = std::function<void(qint64 id, int files, qint64 bytes)>; // called on the worker thread

    EpisodeScanner(Done done, Progress progress, QObject *parent = nullptr);
    ~EpisodeScanner() override; // cancels every scan and waits for the workers (each stops within one entry)

    // maxFiles: more files than this end the scan with "TooManyFiles" (0: no limit).
    void start(qint64 id, const QString &path, const QString &excludedRelativePath, int maxFiles);
    void cancel(qint64 id); // the scan ends with "Cancelled"; nothing if none runs
    void cancelAll();
    bool isScanning(qint64 id) const { return m_running.count(id) != 0; }

private:
    void finish(
        qint64 id, const std::shared_ptr<std::atomic<bool>> &flag, const StorageResult<QList<LocalFile>> &result);

    Done m_done;
    Progress m_progress;
    std::map<qint64, std::shared_ptr<std::atomic<bool>>> m_running; // id → its cancel flag (engine thread only)
    QThreadPool m_pool;
};

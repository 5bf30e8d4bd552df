#include "folderwatcher.h"

#include "episodestatusstore.h"
#include "syncscheduler.h"

#include "core/backgroundpriority.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcWatch, "keystone.watch", QtWarningMsg)

FolderWatcher::FolderWatcher(WatchConfig config, SyncScheduler &scheduler, const EpisodeStatusStore &store)
    : m_config(std::move(config))
    , m_root(QDir::cleanPath(QFileInfo(m_config.dir).absoluteFilePath()))
    , m_scheduler(scheduler)
    , m_store(store)
    , m_tracker(qint64(m_config.stableSeconds) * 1000)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setObjectName(QStringLiteral("folder-watch"));
}

SyncResult<void> FolderWatcher::start()
{
    auto known = m_scheduler.watchedFolders();
    if (!known)
        return known.error();
    m_known = QSet<QString>(known.value().cbegin(), known.value().cend());
    m_clock.start();
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &FolderWatcher::scan);
    m_timer->start(m_config.scanIntervalMs);
    QTimer::singleShot(0, this, &FolderWatcher::scan);
    qCInfo(lcWatch).noquote() << "watching" << m_root << "-" << m_known.size() << "folders registered before";
    return {};
}

FolderWatcher::~FolderWatcher()
{
    m_pool.waitForDone(); // a look in progress ends within its folders; its result is dropped
}

void FolderWatcher::scan()
{
    if (m_looking)
        return; // the previous look is still running (a large folder being recorded): the next tick looks again
    m_looking = true;
    // The stat of every file of the folders not registered yet runs on a background thread: a recording of
    // thousands of frames being written must not hold the engine's commands.
    m_pool.start([this, root = m_root, known = m_known, marker = m_config.marker] {
        BackgroundPriority::lowerCurrentPoolThread();
        Look look = lookAt(root, known, marker);
        // Dropped by Qt if the watcher is deleted first (its destructor waits for this runnable).
        QMetaObject::invokeMethod(this, [this, look = std::move(look)] { onLooked(look); });
    });
}

void FolderWatcher::onLooked(const Look &look)
{
    m_looking = false;
    if (look.rootMissing && !m_rootMissing)
        qCWarning(lcWatch).noquote() << "the watched folder" << m_root << "is missing; still looking";
    m_rootMissing = look.rootMissing;
    QList<FolderSnapshot> snapshots;
    for (const FolderSnapshot &snapshot : look.snapshots) {
        if (!m_known.contains(snapshot.path)) // registered by hand while the look ran
            snapshots.append(snapshot);
    }
    const QList<FolderStabilityTracker::Decision> decisions = m_tracker.update(snapshots, m_clock.elapsed());
    bool grew = false;
    for (qsizetype i = 0; i < decisions.size(); ++i) {
        grew = grew || decisions.at(i).verdict == FolderStabilityTracker::Verdict::Changed;
        act(decisions.at(i), snapshots.at(i));
    }
    Q_EMIT looked(grew);
    Q_EMIT scanned();
}

// Sub-folders one level down that are not hidden, not links and not registered yet, each with its files.
FolderWatcher::Look FolderWatcher::lookAt(const QString &rootPath, const QSet<QString> &known, const QString &marker)
{
    Look look;
    const QDir root(rootPath);
    if (!root.exists()) {
        look.rootMissing = true;
        return look;
    }
    for (const QFileInfo &entry : root.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString path = rootPath + QLatin1Char('/') + entry.fileName();
        if (entry.fileName().startsWith(QLatin1Char('.')) || entry.isSymLink() || known.contains(path))
            continue;
        look.snapshots.append(snapshot(path, marker));
    }
    return look;
}

FolderSnapshot FolderWatcher::snapshot(const QString &path, const QString &marker)
{
    FolderSnapshot snapshot{path, {}, false, {}};
    const auto files = LocalFiles::scan(path);
    if (!files) {
        snapshot.problem = files.error().message;
        return snapshot;
    }
    for (const LocalFile &file : files.value()) {
        if (file.relativePath == marker)
            snapshot.hasMarker = true;
        else
            snapshot.files.append(file);
    }
    return snapshot;
}

void FolderWatcher::act(const FolderStabilityTracker::Decision &decision, const FolderSnapshot &snapshot)
{
    using Verdict = FolderStabilityTracker::Verdict;
    const auto rejected = m_rejected.constFind(decision.path);
    if (rejected != m_rejected.cend()) {
        if (*rejected == snapshot.files)
            return; // refused before and unchanged since: refused again
        m_rejected.erase(rejected);
    }
    switch (decision.verdict) {
    case Verdict::New:
        qCInfo(lcWatch).noquote() << "new folder" << decision.path << "- waiting until it is unchanged for"
                                  << m_config.stableSeconds << "s or holds" << m_config.marker;
        break;
    case Verdict::Changed:
        qCDebug(lcWatch).noquote() << decision.path << "is still changing";
        break;
    case Verdict::Waiting:
        break;
    case Verdict::NoFiles:
        if (decision.verdictChanged)
            qCInfo(lcWatch).noquote() << decision.path << "is not ready:" << snapshot.problem;
        break;
    case Verdict::Stable:
    case Verdict::Marked:
        qCInfo(lcWatch).noquote() << decision.path
                                  << (decision.verdict == Verdict::Marked ? "holds the marker" : "is stable");
        registerFolder(decision.path, snapshot);
        break;
    }
}

void FolderWatcher::registerFolder(const QString &path, const FolderSnapshot &snapshot)
{
    // Registered by hand already (API, CLI, console): adopt it rather than upload it twice.
    for (const EpisodeStatus &status : m_store.all()) {
        if (status.record.localPath != path)
            continue;
        if (auto recorded = m_scheduler.recordWatchedFolder(path, status.record.id); !recorded) {
            qCWarning(lcWatch).noquote() << "cannot record" << path << "as watched:" << recorded.error().message;
            return; // tried again at the next scan
        }
        m_known.insert(path);
        qCInfo(lcWatch).noquote() << path << "is episode" << status.record.id << "already";
        return;
    }
    const QString name = freeName(QFileInfo(path).fileName());
    const auto registered = m_scheduler.registerWatchedFolder(path, name, m_config.marker);
    if (!registered) {
        qCWarning(lcWatch).noquote() << "cannot register" << path << ":" << registered.error().message;
        // Refused for what the folder holds (bad name, files gone meanwhile): retried once it changes. Anything
        // else (the catalog) is retried at the next scan.
        if (registered.error().code == SyncError::Code::InvalidInput)
            m_rejected.insert(path, snapshot.files);
        return;
    }
    m_known.insert(path);
    qCInfo(lcWatch).noquote() << "registered" << path << "as episode" << registered.value().id << "named" << name;
}

// The folder's name, or name-2, name-3, ... when an episode has that name already (names are unique).
QString FolderWatcher::freeName(const QString &folderName) const
{
    QSet<QString> taken;
    for (const EpisodeStatus &status : m_store.all())
        taken.insert(status.record.name);
    QString name = folderName;
    for (int suffix = 2; taken.contains(name); ++suffix)
        name = QStringLiteral("%1-%2").arg(folderName).arg(suffix);
    return name;
}

#include "syncengine.h"

#include "folderwatcher.h"
#include "syncscheduler.h"
#include "throttlecontroller.h"

#include "core/owneronlypaths.h"
#include "storage/plaintextendpoint.h"

#include <QCoreApplication>
#include <QDir>
#include <QLockFile>
#include <QThread>
#include <QTimer>

#include <utility>

namespace {

constexpr int kFlushIntervalMs = 100; // views hear of changes at most ten times a second

} // namespace

SyncEngine::SyncEngine(const SyncConfig &config)
    : m_config(config)
{
    qRegisterMetaType<EpisodeState>();
    qRegisterMetaType<QList<qint64>>();
    qRegisterMetaType<StorageHealth>();
    qRegisterMetaType<ThrottleState>();
    qRegisterMetaType<EngineChanges>();
    // One limiter for every transfer, for the engine's whole life, so that a new limit (applyConfig) reaches the
    // uploads already running. A limiter given in the transport options says the limit when bandwidthLimit does not.
    if (m_config.bandwidthLimit <= 0 && m_config.transport.bandwidth)
        m_config.bandwidthLimit = m_config.transport.bandwidth->bytesPerSecond();
    m_config.transport.bandwidth = std::make_shared<BandwidthLimiter>(m_config.bandwidthLimit);
}

SyncResult<std::unique_ptr<SyncEngine>> SyncEngine::open(const SyncConfig &config)
{
    if (auto made = OwnerOnlyPaths::ensureDirectory(config.dataDir); !made)
        return SyncError{SyncError::Code::CatalogFailed, made.error().message};
    std::unique_ptr<SyncEngine> engine(new SyncEngine(config));
    const QString lockPath = QDir(config.dataDir).filePath(QStringLiteral("keystone.lock"));
    engine->m_lock = std::make_unique<QLockFile>(lockPath);
    if (!engine->m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, application;
        engine->m_lock->getLockInfo(&pid, &host, &application);
        return SyncError{SyncError::Code::Conflict,
            SyncEngine::tr("another Keystone Console (pid %1) is using %2").arg(pid).arg(config.dataDir)};
    }
    // QLockFile creates it 0666 less the umask (it names our pid and host): ours and new, so narrowed quietly.
    OwnerOnlyPaths::restrictFile(lockPath, OwnerOnlyPaths::Origin::JustCreated);

    engine->m_thread = new QThread;
    engine->m_thread->setObjectName(QStringLiteral("sync-engine"));
    engine->m_scheduler = new SyncScheduler(engine->m_config, engine->m_store, engine->m_counters);
    engine->m_scheduler->moveToThread(engine->m_thread);
    engine->m_thread->start();
    SyncResult<void> started;
    QMetaObject::invokeMethod(
        engine->m_scheduler,
        [&] {
            started = engine->m_scheduler->initialize();
            if (!started)
                return;
            SyncScheduler *scheduler = engine->m_scheduler;
            // A child of the scheduler: it lives on the engine thread and goes with it.
            engine->m_throttle = new ThrottleController(
                engine->m_config, engine->m_store,
                [scheduler](const ThrottleState &state) { scheduler->applyThrottle(state); }, scheduler);
            engine->m_throttle->start();
            if (!config.watch.isEnabled())
                return;
            // Created here, so that it lives on the engine thread beside the scheduler it registers through.
            engine->m_watcher = new FolderWatcher(config.watch, *engine->m_scheduler, engine->m_store);
            connect(engine->m_watcher, &FolderWatcher::looked, engine->m_throttle, &ThrottleController::folderLooked);
            started = engine->m_watcher->start();
        },
        Qt::BlockingQueuedConnection);
    if (!started)
        return started.error(); // the destructor stops the thread

    PlainTextEndpoint::logIfExposed(config.profile.endpoint);
    SyncEngine *self = engine.get();
    if (self->m_watcher)
        connect(self->m_watcher, &FolderWatcher::scanned, self, &SyncEngine::folderScanned);
    connect(self->m_scheduler, &SyncScheduler::logAppended, self, &SyncEngine::logAppended);
    self->m_flushTimer = new QTimer(self);
    connect(self->m_flushTimer, &QTimer::timeout, self, &SyncEngine::flushChanges);
    self->m_flushTimer->start(kFlushIntervalMs);
    return engine;
}

void SyncEngine::shutdown(int graceMs)
{
    if (!m_scheduler)
        return;
    stopWatching(); // nothing new is registered while stopping
    SyncScheduler *scheduler = m_scheduler;
    QMetaObject::invokeMethod(
        scheduler, [scheduler, graceMs] { scheduler->shutdown(graceMs); }, Qt::BlockingQueuedConnection);
}

void SyncEngine::stopWatching()
{
    if (!m_watcher)
        return;
    FolderWatcher *watcher = std::exchange(m_watcher, nullptr);
    // It must die on the engine thread, before the scheduler it calls.
    QMetaObject::invokeMethod(
        m_scheduler, [watcher] { delete watcher; }, Qt::BlockingQueuedConnection);
}

SyncEngine::~SyncEngine()
{
    stopWatching();
    if (m_scheduler) {
        SyncScheduler *scheduler = m_scheduler;
        // The scheduler and its catalog connection must die on the engine thread.
        QMetaObject::invokeMethod(
            scheduler,
            [scheduler] {
                scheduler->shutdown();
                delete scheduler;
            },
            Qt::BlockingQueuedConnection);
    }
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
    }
}

template <typename T, typename Work>
void SyncEngine::run(Work work, Callback<T> done)
{
    SyncScheduler *scheduler = m_scheduler;
    QMetaObject::invokeMethod(scheduler,
        [this, scheduler, work = std::move(work), done = std::move(done)] { answer<T>(done, work(scheduler)); });
}

template <typename T>
void SyncEngine::answer(Callback<T> done, SyncResult<T> result)
{
    // Back to the facade's thread; dropped if the facade is gone by then. The feed first tells what the command
    // changed, so no view (an SSE client reconnecting with the last id it saw) hears the answer before the change.
    QMetaObject::invokeMethod(this, [this, done = std::move(done), result = std::move(result)] {
        flushChanges();
        if (done)
            done(result);
    });
}

EpisodeStatus SyncEngine::withProgress(const EpisodeRecord &record) const
{
    const auto current = m_store.status(record.id);
    return current ? *current : EpisodeStatus{record, std::nullopt};
}

template <typename Command>
void SyncEngine::runForStatus(Command command, Callback<EpisodeStatus> done)
{
    run<EpisodeStatus>(
        [this, command = std::move(command)](SyncScheduler *scheduler) -> SyncResult<EpisodeStatus> {
            auto record = command(scheduler);
            if (!record)
                return record.error();
            return withProgress(record.value());
        },
        std::move(done));
}

void SyncEngine::runForStatus(
    SyncResult<EpisodeRecord> (SyncScheduler::*command)(qint64), qint64 id, Callback<EpisodeStatus> done)
{
    runForStatus([command, id](SyncScheduler *scheduler) { return (scheduler->*command)(id); }, std::move(done));
}

std::optional<EpisodeStatus> SyncEngine::status(qint64 id) const
{
    return m_store.status(id);
}

QList<EpisodeStatus> SyncEngine::statuses(const QList<qint64> &ids) const
{
    return m_store.statuses(ids);
}

QList<EpisodeStatus> SyncEngine::allStatuses() const
{
    return m_store.all();
}

template <typename Start>
void SyncEngine::runDeferred(Start start, Callback<EpisodeStatus> done)
{
    SyncScheduler *scheduler = m_scheduler;
    QMetaObject::invokeMethod(scheduler, [this, scheduler, start = std::move(start), done = std::move(done)] {
        // Once on the engine thread: when the command ends, or at once if it could not start.
        const auto reply = [this, done](const SyncResult<EpisodeRecord> &record) {
            answer<EpisodeStatus>(
                done, record ? SyncResult<EpisodeStatus>(withProgress(record.value())) : record.error());
        };
        if (auto begun = start(scheduler, reply); !begun)
            reply(begun.error());
    });
}

void SyncEngine::registerEpisode(const QString &path, const QString &name, Callback<EpisodeStatus> done)
{
    runDeferred([path, name](SyncScheduler *scheduler,
                    SyncScheduler::ScanDone ended) { return scheduler->registerEpisode(path, name, std::move(ended)); },
        std::move(done));
}

void SyncEngine::enqueue(qint64 id, Callback<EpisodeStatus> done)
{
    runForStatus(&SyncScheduler::enqueue, id, std::move(done));
}

void SyncEngine::cancel(qint64 id, Callback<EpisodeStatus> done)
{
    runForStatus(&SyncScheduler::cancel, id, std::move(done));
}

void SyncEngine::retry(qint64 id, Callback<EpisodeStatus> done)
{
    runForStatus(&SyncScheduler::retry, id, std::move(done));
}

void SyncEngine::pauseEpisode(qint64 id, Callback<EpisodeStatus> done)
{
    runDeferred([id](SyncScheduler *scheduler,
                    SyncScheduler::RecordDone stopped) { return scheduler->pauseEpisode(id, std::move(stopped)); },
        std::move(done));
}

void SyncEngine::resumeEpisode(qint64 id, Callback<EpisodeStatus> done)
{
    runForStatus(&SyncScheduler::resumeEpisode, id, std::move(done));
}

void SyncEngine::setPriority(qint64 id, int priority, Callback<EpisodeStatus> done)
{
    runForStatus(
        [id, priority](SyncScheduler *scheduler) { return scheduler->setPriority(id, priority); }, std::move(done));
}

void SyncEngine::rescan(qint64 id, Callback<EpisodeStatus> done)
{
    runDeferred([id](SyncScheduler *scheduler,
                    SyncScheduler::ScanDone ended) { return scheduler->rescan(id, std::move(ended)); },
        std::move(done));
}

void SyncEngine::remove(qint64 id, Callback<void> done)
{
    run<void>([id](SyncScheduler *scheduler) { return scheduler->remove(id); }, std::move(done));
}

void SyncEngine::pauseAll()
{
    if (m_paused)
        return;
    m_paused = true;
    QMetaObject::invokeMethod(m_scheduler, [scheduler = m_scheduler] { scheduler->setPaused(true); });
    flushSoon();
}

void SyncEngine::resumeAll()
{
    if (!m_paused)
        return;
    m_paused = false;
    QMetaObject::invokeMethod(m_scheduler, [scheduler = m_scheduler] { scheduler->setPaused(false); });
    flushSoon();
}

template <typename T>
void SyncEngine::refuse(Callback<T> done, const QString &why)
{
    QMetaObject::invokeMethod(
        this,
        [done = std::move(done), why] {
            if (done)
                done(SyncError{SyncError::Code::InvalidInput, why});
        },
        Qt::QueuedConnection);
}

void SyncEngine::applyConfig(const SyncConfig &config, Callback<void> done)
{
    QString invalid = config.profile.validationError();
    if (invalid.isEmpty() && config.bucket.trimmed().isEmpty())
        invalid = tr("no bucket");
    else if (invalid.isEmpty() && !config.credentials.isValid())
        invalid = tr("no access key id and secret key");
    else if (invalid.isEmpty() && config.upload.partSize < config.upload.minPartSize)
        invalid = tr("the part size is below the provider's minimum of %1 bytes").arg(config.upload.minPartSize);
    if (!invalid.isEmpty())
        return refuse(std::move(done), tr("settings not applied: %1").arg(invalid));
    if (config.profile.endpoint != m_config.profile.endpoint)
        PlainTextEndpoint::logIfExposed(config.profile.endpoint);
    SyncConfig next = config;
    // Fixed for the engine's life (the scheduler keeps them the same way): state, watch, and the shared objects.
    next.dataDir = m_config.dataDir;
    next.watch = m_config.watch;
    next.transport.bandwidth = m_config.transport.bandwidth;
    next.transport.share = m_config.transport.share;
    next.upload.adaptive = m_config.upload.adaptive;
    next.upload.partSlots = m_config.upload.partSlots;
    next.clock = m_config.clock;
    m_config = next;
    Q_EMIT configChanged();
    run<void>(
        [next = std::move(next), throttle = m_throttle](SyncScheduler *scheduler) {
            scheduler->applyConfig(next);
            throttle->setSettings(ThrottleController::settingsOf(next)); // the limit in force follows at once
            return SyncResult<void>{};
        },
        std::move(done));
}

void SyncEngine::setRecording(const RecordingCommand &command, Callback<ThrottleState> done)
{
    const QDateTime now = m_config.clock ? m_config.clock() : QDateTime::currentDateTimeUtc();
    QString invalid;
    if (command.recording && command.limitBytesPerSecond < -1)
        invalid = tr("the recording limit cannot be negative");
    else if (command.recording && command.until.isValid() && command.until <= now)
        invalid = tr("the recording's end is already past");
    if (!invalid.isEmpty())
        return refuse(std::move(done), invalid);
    run<ThrottleState>([command, throttle = m_throttle](
                           SyncScheduler *) { return SyncResult<ThrottleState>(throttle->command(command)); },
        std::move(done));
}

void SyncEngine::logs(qint64 episodeId, int limit, Callback<QList<SyncLogEntry>> done)
{
    run<QList<SyncLogEntry>>(
        [this, episodeId, limit](SyncScheduler *scheduler) -> SyncResult<QList<SyncLogEntry>> {
            auto entries = scheduler->logs(episodeId, limit);
            if (!entries)
                return entries;
            // A running attempt's row says 0 until it ends: show what it has verified so far instead.
            for (SyncLogEntry &entry : entries.value()) {
                if (entry.finishedAt.isValid())
                    continue;
                const auto status = m_store.status(entry.episodeId);
                if (status && status->record.state == EpisodeState::InProgress && status->progress)
                    entry.bytesCommitted = status->progress->committedBytes;
            }
            return entries;
        },
        std::move(done));
}

void SyncEngine::episodeFiles(qint64 id, Callback<QList<EpisodeFileRecord>> done)
{
    run<QList<EpisodeFileRecord>>([id](SyncScheduler *scheduler) { return scheduler->files(id); }, std::move(done));
}

void SyncEngine::flushChanges()
{
    EngineChanges changes = m_store.takeChanges();
    if (m_paused != m_lastPaused)
        changes.paused = m_lastPaused = m_paused;
    if (const StorageHealth health = m_store.storageHealth(); !(health == m_lastHealth))
        changes.storageHealth = m_lastHealth = health;
    if (const ThrottleState throttle = m_store.throttle(); !(throttle == m_lastThrottle))
        changes.throttle = m_lastThrottle = throttle;
    if (!changes.isEmpty())
        Q_EMIT changed(changes);
}

void SyncEngine::flushSoon()
{
    QMetaObject::invokeMethod(this, &SyncEngine::flushChanges, Qt::QueuedConnection);
}

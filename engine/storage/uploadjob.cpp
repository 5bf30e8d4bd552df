#include "uploadjob.h"

#include "localfiles.h"

#include "core/backgroundpriority.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QThread>

#include <algorithm>

Q_LOGGING_CATEGORY(lcUploadJob, "keystone.storage.job", QtWarningMsg)

struct UploadJob::ActiveFile
{
    int index = 0;
    std::unique_ptr<MultipartUploader> uploader;
};

UploadJob::UploadJob(UploadJobSpec spec, UploadListener *listener, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_listener(listener)
    , m_speed(m_spec.speedWindowMs)
{
    qRegisterMetaType<TransferProgress>();
    qRegisterMetaType<StorageError>();
    m_progress = verifiedProgress(m_spec.items, m_spec.options);
    for (int i = 0; i < m_spec.items.size(); ++i) {
        const UploadItem &item = m_spec.items.at(i);
        if (item.isCompleted()) {
            const auto plan = MultipartUploader::planFor(item.size, m_spec.options, item.resume);
            m_bytesOfFinishedFiles += item.size;
            m_partsOfFinishedFiles += plan ? plan.value().partCount() : 1;
        } else if (!item.resume.verifiedParts.isEmpty()) {
            // Shown from the first report: the file's own first report (after ListParts) replaces this.
            UploadProgress &file = m_openFiles[&item];
            for (const CompletedPart &part : item.resume.verifiedParts) {
                file.committedBytes += part.size;
                ++file.partsCompleted;
            }
        }
    }
}

TransferProgress UploadJob::verifiedProgress(const QList<UploadItem> &items, const UploadOptions &options)
{
    TransferProgress progress;
    for (const UploadItem &item : items) {
        progress.totalBytes += item.size;
        const auto plan = MultipartUploader::planFor(item.size, options, item.resume);
        const int parts = plan ? plan.value().partCount() : 1;
        progress.partsTotal += parts;
        if (item.isCompleted()) {
            progress.committedBytes += item.size;
            progress.partsCompleted += parts;
            ++progress.filesCompleted;
            continue;
        }
        for (const CompletedPart &part : item.resume.verifiedParts) {
            progress.committedBytes += part.size;
            ++progress.partsCompleted;
        }
    }
    progress.filesTotal = int(items.size());
    return progress;
}

UploadJob::~UploadJob()
{
    kill();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

StorageResult<QList<UploadItem>> UploadJob::itemsForPath(const QString &localPath, const QString &key)
{
    const auto files = LocalFiles::scan(localPath);
    if (!files)
        return files.error();
    QList<UploadItem> items;
    const bool single = files.value().size() == 1 && QFileInfo(localPath).isFile();
    const QString prefix = key.endsWith(QLatin1Char('/')) || key.isEmpty() ? key : key + QLatin1Char('/');
    for (const LocalFile &file : files.value()) {
        UploadItem item{file.absolutePath, single ? key : prefix + file.relativePath, file.size, {}, {},
            single ? file.absolutePath : QFileInfo(localPath).absoluteFilePath(),
            single ? QString() : file.relativePath, file.identity()};
        items.append(item);
    }
    return items;
}

void UploadJob::start()
{
    Q_ASSERT(!m_thread);
    m_thread = QThread::create([this] {
        BackgroundPriority::lowerCurrentThread(); // transfers yield to the GUI and API threads (see its header)
        run();
    });
    m_thread->setObjectName(QStringLiteral("upload-job"));
    m_thread->start();
}

void UploadJob::kill(MultipartUploader::CancelMode mode)
{
    m_killMode.store(mode);
    m_killed.store(true);
    QMutexLocker lock(&m_mutex);
    if (m_transport)
        m_transport->wakeUp();
}

void UploadJob::drain()
{
    m_draining.store(true);
    QMutexLocker lock(&m_mutex);
    if (m_transport)
        m_transport->wakeUp();
}

void UploadJob::setLimits(int concurrency, qint64 partSize)
{
    m_newConcurrency.store(std::max(1, concurrency));
    m_newPartSize.store(partSize);
    m_limitsChanged.store(true);
    QMutexLocker lock(&m_mutex);
    if (m_transport)
        m_transport->wakeUp();
}

void UploadJob::applyNewLimits(const std::deque<int> &queue, const std::vector<std::unique_ptr<ActiveFile>> &open,
    UploadOptions *fileOptions, size_t *maxOpenFiles)
{
    const int capacity = m_newConcurrency.load();
    const qint64 partSize = m_newPartSize.load();
    fileOptions->concurrency = capacity;
    fileOptions->partSlots->setCapacity(capacity); // requests above a lowered capacity finish; none starts meanwhile
    for (const auto &file : open)
        file->uploader->setConcurrency(capacity);
    *maxOpenFiles = size_t(2 * capacity);
    if (partSize <= 0 || partSize == fileOptions->partSize)
        return;
    // The files not opened yet are cut anew (those resuming keep their part size): the total follows.
    UploadOptions next = *fileOptions;
    next.partSize = partSize;
    int delta = 0;
    for (const int index : queue) {
        const UploadItem &item = m_spec.items.at(index);
        const auto before = MultipartUploader::planFor(item.size, *fileOptions, item.resume);
        const auto after = MultipartUploader::planFor(item.size, next, item.resume);
        if (before && after)
            delta += after.value().partCount() - before.value().partCount();
    }
    fileOptions->partSize = partSize;
    QMutexLocker lock(&m_mutex);
    m_progress.partsTotal += delta;
    m_unpublished = true;
}

bool UploadJob::wait(int timeoutMs)
{
    return !m_thread || m_thread->wait(QDeadlineTimer(timeoutMs));
}

TransferProgress UploadJob::progress() const
{
    QMutexLocker lock(&m_mutex);
    return m_progress;
}

void UploadJob::uploadStarted(const UploadItem &item, const QString &uploadId, const PartPlan &plan)
{
    listener().uploadStarted(item, uploadId, plan);
}

StorageResult<void> UploadJob::partVerified(const UploadItem &item, const CompletedPart &part)
{
    auto recorded = listener().partVerified(item, part);
    if (recorded) {
        QMutexLocker lock(&m_mutex);
        m_verifiedThisAttempt += part.size;
    }
    return recorded;
}

void UploadJob::partFailed(
    const UploadItem &item, int partNumber, int attempt, const StorageError &error, bool willRetry)
{
    listener().partFailed(item, partNumber, attempt, error, willRetry);
    if (willRetry)
        Q_EMIT partRetrying(item.key, partNumber, attempt, error);
}

void UploadJob::uploadProgressed(const UploadItem &item, const UploadProgress &progress)
{
    listener().uploadProgressed(item, progress);
    {
        QMutexLocker lock(&m_mutex);
        m_openFiles[&item] = progress;
        m_unpublished = true;
    }
    publish(false);
}

void UploadJob::uploadGone(const UploadItem &item, const QString &uploadId, const StorageError &error)
{
    listener().uploadGone(item, uploadId, error);
}

void UploadJob::uploadAborted(const UploadItem &item, const QString &uploadId)
{
    listener().uploadAborted(item, uploadId);
}

void UploadJob::publish(bool force)
{
    TransferProgress snapshot;
    {
        QMutexLocker lock(&m_mutex);
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        // Many files report at once: one coalesced report per interval (and the last one always) keeps the signal
        // rate at ~10 Hz per job whatever the number of files.
        // Nothing changed: still once a second, so the speed of a stalled job falls instead of freezing.
        const bool stale = nowMs - m_lastEmitMs >= kIdleReportMs;
        if ((!m_unpublished && !stale) || (!force && nowMs - m_lastEmitMs < m_spec.options.progressIntervalMs))
            return;
        m_progress.committedBytes = m_bytesOfFinishedFiles;
        m_progress.inflightBytes = 0;
        m_progress.partsCompleted = m_partsOfFinishedFiles;
        for (const auto &[item, file] : m_openFiles) {
            m_progress.committedBytes += file.committedBytes;
            m_progress.inflightBytes += file.inflightBytes;
            m_progress.partsCompleted += file.partsCompleted;
        }
        if (m_budget) {
            const auto &engine = m_spec.options.partSlots;
            m_progress.parallel = std::min(m_budget->capacity(), engine ? engine->capacity() : m_budget->capacity());
        }
        m_speed.addSample(m_verifiedThisAttempt + m_progress.inflightBytes, m_verifiedThisAttempt, nowMs);
        m_progress.bytesPerSecond = m_speed.bytesPerSecond();
        m_progress.etaSeconds
            = m_speed.etaSeconds(m_progress.totalBytes - m_progress.committedBytes - m_progress.inflightBytes);
        m_lastEmitMs = nowMs;
        m_unpublished = false;
        snapshot = m_progress;
    }
    Q_EMIT progressChanged(snapshot);
}

void UploadJob::updateStage(const std::vector<std::unique_ptr<ActiveFile>> &open)
{
    using Activity = MultipartUploader::Activity;
    const auto any = [&open](Activity activity) {
        return std::any_of(
            open.cbegin(), open.cend(), [&](const auto &f) { return f->uploader->activity() == activity; });
    };
    const TransferStage stage = any(Activity::Sending) ? TransferStage::Sending
        : any(Activity::Completing)                    ? TransferStage::Completing
        : any(Activity::Resuming)                      ? TransferStage::Resuming
                                                       : TransferStage::Starting;
    QMutexLocker lock(&m_mutex);
    if (m_progress.stage != stage) {
        m_progress.stage = stage;
        m_unpublished = true;
    }
}

void UploadJob::noteAnswers(const CurlTransport &transport)
{
    // Called on every turn of the job's loop: once noted, no lock is taken again.
    if (m_answerNoted || transport.responsesReceived() == 0)
        return;
    m_answerNoted = true;
    {
        QMutexLocker lock(&m_mutex);
        m_progress.storageAnswered = true;
        m_unpublished = true;
    }
    Q_EMIT storageAnswered();
}

void UploadJob::run()
{
    CurlTransport transport(m_spec.transport);
    {
        QMutexLocker lock(&m_mutex);
        m_transport = &transport;
        m_speed.start(QDateTime::currentMSecsSinceEpoch());
    }
    S3Client client(m_spec.profile, m_spec.credentials, transport);
    const StorageError failure = uploadAll(client);
    qCInfo(lcUploadJob) << "job ended:" << transport.requestsStarted() << "requests over"
                        << transport.connectionsOpened() << "connections";
    {
        QMutexLocker lock(&m_mutex);
        m_transport = nullptr;
    }
    listener().jobFinished();
    if (failure.kind == StorageError::Kind::Cancelled)
        qCInfo(lcUploadJob) << "job stopped as asked (pause, cancel or shutdown)"; // not a failure
    else if (failure.isError())
        qCInfo(lcUploadJob) << "job failed:" << failure.toString();
    Q_EMIT finished(failure);
}

StorageResult<std::unique_ptr<UploadJob::ActiveFile>> UploadJob::openFile(
    S3Client &client, int index, const UploadOptions &options)
{
    const UploadItem &item = m_spec.items.at(index);
    if (const auto ready = listener().beforeFile(item); !ready)
        return ready.error();
    // An item given by its path alone (no root): the path is the file, opened without following a link either.
    auto checked = item.rootPath.isEmpty() ? CheckedFile::open(item.filePath, {}, item.expected)
                                           : CheckedFile::open(item.rootPath, item.relativePath, item.expected);
    if (!checked)
        return checked.error(); // nothing of it was read, so nothing of it is sent
    listener().fileOpened(item, checked.value().identity());
    auto file = std::make_unique<ActiveFile>();
    file->index = index;
    UploadListener *const self = this; // the job hears its uploaders' events first, and passes them on
    file->uploader = std::make_unique<MultipartUploader>(client, options, self);
    if (auto began = file->uploader->begin(std::move(checked.value()), m_spec.bucket, item); !began)
        return began.error();
    return file;
}

StorageError UploadJob::reap(const ActiveFile &file)
{
    const UploadItem &item = m_spec.items.at(file.index);
    const auto &outcome = file.uploader->result();
    {
        QMutexLocker lock(&m_mutex);
        if (!outcome) {
            // What it verified stays committed (kept for a resume, or shown until the job ends); nothing is in flight.
            m_openFiles[&item].inflightBytes = 0;
        } else {
            m_openFiles.erase(&item);
            m_bytesOfFinishedFiles += item.size;
            m_partsOfFinishedFiles += outcome.value().partCount;
            ++m_progress.filesCompleted;
        }
        m_unpublished = true;
    }
    if (!outcome)
        return outcome.error();
    listener().fileUploaded(item, outcome.value().etag, outcome.value().etagChecked);
    Q_EMIT fileCompleted(item.key, outcome.value().etag, outcome.value().partCount);
    return {};
}

StorageError UploadJob::uploadAll(S3Client &client)
{
    std::deque<int> queue;
    for (int i = 0; i < m_spec.items.size(); ++i) {
        if (!m_spec.items.at(i).isCompleted())
            queue.push_back(i);
    }
    const int capacity = std::max(1, m_spec.options.concurrency);
    UploadOptions fileOptions = m_spec.options;
    fileOptions.concurrency = capacity;
    fileOptions.partSlots = std::make_shared<PartSlots>(capacity, m_spec.options.partSlots);
    {
        QMutexLocker lock(&m_mutex);
        m_budget = fileOptions.partSlots;
    }
    // Files waiting for CreateMultipartUpload or Complete hold no slot: allow some beyond the budget, not unbounded.
    size_t maxOpenFiles = size_t(2 * capacity);

    std::vector<std::unique_ptr<ActiveFile>> open;
    StorageError failure;
    bool stopping = false;
    for (;;) {
        if (m_limitsChanged.exchange(false))
            applyNewLimits(queue, open, &fileOptions, &maxOpenFiles);
        const bool draining = m_draining.load();
        if (!stopping && (m_killed.load() || failure.isError())) {
            stopping = true;
            // Siblings of a failed file are kept for a resume exactly when the failed file's upload would be.
            const bool keepSiblings = failure.retryable && m_spec.options.keepIncompleteUpload;
            const auto mode = m_killed.load() ? m_killMode.load()
                : keepSiblings                ? MultipartUploader::CancelMode::KeepForResume
                                              : MultipartUploader::CancelMode::Abort;
            for (const auto &file : open)
                file->uploader->cancel(mode);
        }
        if (draining) {
            for (const auto &file : open)
                file->uploader->drain();
        }
        const auto budgetUsable = [&] {
            return fileOptions.partSlots->available() > 0
                && std::none_of(open.cbegin(), open.cend(), [](const auto &f) { return f->uploader->wantsSlot(); });
        };
        while (!stopping && !draining && !queue.empty() && open.size() < maxOpenFiles && budgetUsable()) {
            auto file = openFile(client, queue.front(), fileOptions);
            queue.pop_front();
            if (!file) {
                failure = file.error();
                break;
            }
            // Started at once, so it takes its slot now and the next file sees what is left of the budget.
            file.value()->uploader->pump();
            open.push_back(std::move(file.value()));
        }
        for (const auto &file : open)
            file->uploader->pump();
        for (auto it = open.begin(); it != open.end();) {
            if (!(*it)->uploader->isFinished()) {
                ++it;
                continue;
            }
            const StorageError error = reap(**it);
            // The first real failure is the job's; the cancellations it caused are not.
            if (error.isError() && !failure.isError() && !(stopping && error.kind == StorageError::Kind::Cancelled))
                failure = error;
            it = open.erase(it);
        }
        updateStage(open);
        noteAnswers(client.transport());
        publish(false);
        if (open.empty() && (queue.empty() || stopping || draining || failure.isError()))
            break;
        if (failure.isError() && !stopping)
            continue; // stop the others before waiting
        int timeoutMs = MultipartUploader::kPollSliceMs;
        for (const auto &file : open)
            timeoutMs = std::min(timeoutMs, file->uploader->pollTimeoutMs());
        client.transport().poll(timeoutMs);
    }
    publish(true);
    if (failure.isError())
        return failure;
    if (m_killed.load() || m_draining.load())
        return StorageError::cancelled();
    if (m_listener) { // a job nobody listens to has nothing to finish: no Finishing stage either
        {
            QMutexLocker lock(&m_mutex);
            m_progress.stage = TransferStage::Finishing;
            m_unpublished = true;
        }
        publish(true);
        if (const auto done = m_listener->afterAllFiles(client); !done)
            return done.error();
    }
    return {};
}

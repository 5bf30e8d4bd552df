#include "multipartuploader.h"

#include "fileregionbody.h"
#include "singleputsender.h"
#include "uploaderlogging.h"
#include "uploadgone.h"
#include "uploadpartsender.h"

#include <QLoggingCategory>

#include <algorithm>
#include <fcntl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcUploader, "keystone.storage.uploader", QtWarningMsg)

MultipartUploader::MultipartUploader(S3Client &client, UploadOptions options, UploadListener *listener)
    : m_client(client)
    , m_options(std::move(options))
    , m_listener(listener ? listener : &UploadListener::none())
    , m_dialect(UploadDialect::forProfile(client.profile()))
    , m_control(client.transport(), m_options, m_cancelled)
{
    m_options.concurrency = std::max(1, m_options.concurrency);
}

MultipartUploader::~MultipartUploader()
{
    // Requests still out would call back into a dead object: stop them (their completions give slots back).
    if (!isFinished() && m_phase != Phase::Idle)
        cancelTransfers();
}

void MultipartUploader::drain()
{
    m_draining.store(true);
    m_client.transport().wakeUp();
}

void MultipartUploader::cancel(CancelMode mode)
{
    m_cancelMode.store(mode);
    m_cancelled.store(true);
    m_client.transport().wakeUp();
}

StorageResult<PartPlan> MultipartUploader::planFor(qint64 fileSize, const UploadOptions &options)
{
    if (fileSize < options.singlePutThreshold)
        return PartPlan::make(
            fileSize, std::clamp(fileSize, options.minPartSize, PartPlan::kMaxPartSize), options.minPartSize);
    return PartPlan::make(fileSize, options.partSize, options.minPartSize);
}

StorageResult<PartPlan> MultipartUploader::planFor(
    qint64 fileSize, const UploadOptions &options, const ResumeState &resume)
{
    if (resume.uploadId.isEmpty() || resume.partSize <= 0)
        return planFor(fileSize, options);
    UploadOptions resumed = options;
    resumed.partSize = resume.partSize;
    return planFor(fileSize, resumed);
}

StorageResult<UploadOutcome> MultipartUploader::upload(
    const QString &filePath, const QString &bucket, const QString &key, const ResumeState &resume)
{
    auto file = CheckedFile::open(filePath, {}, std::nullopt);
    if (!file)
        return file.error();
    const UploadItem item{filePath, key, file.value().identity().size, resume, {}}; // alive until the upload ends
    if (auto began = begin(std::move(file.value()), bucket, item); !began)
        return began.error();
    for (;;) {
        pump();
        if (isFinished())
            return result();
        m_client.transport().poll(pollTimeoutMs());
    }
}

StorageResult<void> MultipartUploader::begin(CheckedFile file, const QString &bucket, const UploadItem &item)
{
    m_item = &item;
    m_file = std::move(file);
    m_filePath = m_file.path();
    m_bucket = bucket;
    m_key = item.key;
    const ResumeState &resume = item.resume;
    m_uploadId.clear();
    m_pending.clear();
    m_inFlight.clear();
    m_verified.clear();
    m_resent.clear();
    m_control.reset();
    m_listed.clear();
    m_repairRounds = 0;
    m_uploadGone = false;
    m_fatal = {};
    m_result.reset();
    m_phase = Phase::Idle;

    const qint64 size = m_file.identity().size; // as checked on the descriptor: every read goes through it

    const bool singlePut = size < m_options.singlePutThreshold;
    auto plan = planFor(size, m_options, resume);
    if (!plan)
        return plan.error();
    m_plan = plan.value();
    m_progress = UploadProgress{0, 0, size, 0, m_plan.partCount()};
    ::posix_fadvise(m_file.descriptor(), 0, 0, POSIX_FADV_SEQUENTIAL);

    if (singlePut) {
        auto whole = digestSmallFile();
        if (!whole)
            return whole.error();
        m_sender = std::make_unique<SinglePutSender>(m_client, m_bucket, m_key, whole.value());
        enterParts();
        return {};
    }
    m_sender = std::make_unique<UploadPartSender>(m_client, m_bucket, m_key, m_dialect->hashesCrc64());
    if (!resume.uploadId.isEmpty()) {
        // Until ListParts answers, what the caller recorded verified is what is shown (not 0): the listing then
        // keeps what the server still has.
        for (const CompletedPart &part : resume.verifiedParts) {
            m_progress.committedBytes += part.size;
            ++m_progress.partsCompleted;
        }
        this->resume(resume);
    } else {
        create();
    }
    return {};
}

MultipartUploader::Activity MultipartUploader::activity() const
{
    switch (m_phase) {
    case Phase::Idle:
    case Phase::Creating:
        return Activity::Starting;
    case Phase::Resuming:
        return Activity::Resuming;
    case Phase::Parts:
        return Activity::Sending;
    case Phase::Completing:
    case Phase::Confirming:
    case Phase::Repairing:
        return Activity::Completing;
    case Phase::Aborting:
    case Phase::Done:
        break;
    }
    return Activity::Stopping;
}

void MultipartUploader::pump()
{
    if (m_phase == Phase::Done || m_phase == Phase::Idle)
        return;
    if (m_phase != Phase::Aborting) {
        if (cancelled())
            return fail(StorageError::cancelled());
        if (m_fatal.isError())
            return fail(m_fatal);
        if (m_phase == Phase::Parts)
            runDueParts();
    }
    m_control.issueIfDue();
    reportProgress(false);
}

bool MultipartUploader::wantsSlot() const
{
    if (m_phase != Phase::Parts || m_draining.load() || int(m_inFlight.size()) >= m_options.concurrency)
        return false;
    const auto now = Clock::now();
    return std::any_of(m_pending.cbegin(), m_pending.cend(), [now](const PartTask &t) { return t.notBefore <= now; });
}

int MultipartUploader::pollTimeoutMs() const
{
    // Only a backoff ending is a reason to come back early. A part that is due but waits for a slot must not be:
    // polling at once for it would spin a core; a slot comes back with an answer, which ends the poll anyway.
    const auto now = Clock::now();
    auto due = now + std::chrono::milliseconds(kPollSliceMs);
    if (const auto waiting = m_control.waitingUntil(); waiting && *waiting > now)
        due = std::min(due, *waiting);
    if (m_phase == Phase::Parts) {
        for (const PartTask &task : m_pending) {
            if (task.notBefore > now)
                due = std::min(due, task.notBefore);
        }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - now).count();
    return int(std::clamp<qint64>(left, 1, kPollSliceMs));
}

void MultipartUploader::enterParts()
{
    QSet<int> verifiedNumbers;
    for (const CompletedPart &part : std::as_const(m_verified))
        verifiedNumbers.insert(part.partNumber);
    m_pending.clear();
    for (int number = 1; number <= m_plan.partCount(); ++number) {
        if (!verifiedNumbers.contains(number))
            m_pending.push_back(PartTask{number, 0, Clock::now()}); // ascending: m_pending stays in part order
    }
    m_phase = Phase::Parts;
    m_lastReport = {};
    reportProgress(true);
}

void MultipartUploader::runDueParts()
{
    if (m_draining.load() && m_inFlight.empty()) {
        cancel(CancelMode::KeepForResume); // every part that was on the wire has ended and is recorded
        return fail(StorageError::cancelled());
    }
    const auto now = Clock::now();
    // Start due parts in part order (m_pending is kept sorted), up to the concurrency limit.
    for (auto it = m_pending.begin();
         !m_draining.load() && it != m_pending.end() && int(m_inFlight.size()) < m_options.concurrency;) {
        if (it->notBefore <= now) {
            const bool slot = m_options.partSlots != nullptr;
            if (slot && !m_options.partSlots->tryAcquire())
                break; // the budget is spent: try again at the next pump
            const PartTask task = *it;
            it = m_pending.erase(it);
            startPart(task, slot);
        } else {
            ++it;
        }
    }
    if (m_pending.empty() && m_inFlight.empty())
        partsDone();
}

void MultipartUploader::partsDone()
{
    if (auto unchanged = checkUnchanged(); !unchanged)
        return fail(unchanged.error());
    if (!m_sender->sendsMultipartParts())
        return finish(UploadOutcome{{}, m_verified.constFirst().etag, m_plan.fileSize(), 1});
    complete();
}

void MultipartUploader::releaseSlot(const InFlightPart &part)
{
    if (part.holdsSlot)
        m_options.partSlots->release();
}

void MultipartUploader::startPart(PartTask task, bool holdsSlot)
{
    ++task.attempts;
    const qint64 offset = m_plan.offsetOf(task.partNumber);
    const qint64 size = m_plan.sizeOf(task.partNumber);
    auto body = std::make_shared<FileRegionBody>(
        m_file.descriptor(), offset, size, m_filePath, FileRegionBody::Checksums::None);
    // A small file was hashed whole before its PutObject; a part is hashed on another core while it streams.
    std::future<RegionDigest> digest = m_sender->startDigest(m_file, offset, size);
    HttpRequest request = m_sender->request(m_uploadId, task.partNumber, body);
    const auto id = m_client.transport().start(
        std::move(request), [this](auto transferId, const Answer &result) { onPartDone(transferId, result); });
    m_inFlight.emplace(id, InFlightPart{task, std::move(body), std::move(digest), holdsSlot});
}

void MultipartUploader::onPartDone(CurlTransport::TransferId id, const Answer &response)
{
    auto node = m_inFlight.extract(id);
    if (node.empty())
        return;
    InFlightPart &part = node.mapped();
    releaseSlot(part);
    if (!response && response.error().kind == StorageError::Kind::Cancelled)
        return;
    StorageResult<QByteArray> etag = S3Client::etagOf(response);
    const RegionDigest sent = m_sender->sentDigest(part.digest);
    if (etag && !sent.error.isEmpty())
        etag = StorageError::localIo(sent.error);
    if (etag) {
        const QByteArray localMd5 = sent.md5.toHex();
        if (part.body->position() != part.body->size() || etag.value() != localMd5) {
            etag = StorageError::integrity(
                QObject::tr("part %1: the server's ETag %2 does not match the MD5 %3 of what was sent")
                    .arg(part.task.partNumber)
                    .arg(QString::fromLatin1(etag.value()), QString::fromLatin1(localMd5)));
        }
    }
    if (etag) {
        const QString what = QObject::tr("part %1").arg(part.task.partNumber);
        if (auto crc = m_client.verifyCrc64(response.value(), sent.crc64, what); !crc)
            etag = crc.error();
    }
    if (etag) {
        const CompletedPart completed
            = m_dialect->completedPart(part.task.partNumber, part.body->size(), etag.value(), sent.crc64);
        if (auto recorded = m_listener->partVerified(*m_item, completed); !recorded) {
            m_fatal = recorded.error();
            reportProgress(true);
            return;
        }
        m_verified.append(completed);
        if (m_options.adaptive)
            m_options.adaptive->requestSucceeded(completed.size);
        if (!m_resent.contains(completed.partNumber)) { // committed bytes never go backwards, nor count twice
            m_progress.committedBytes += completed.size;
            ++m_progress.partsCompleted;
        }
        reportProgress(true);
        return;
    }

    StorageError error = etag.error();
    // The upload is gone from the server (expired, aborted, or the server lost it): no part of it can succeed, but a
    // later attempt starts the file over with a new upload, so for the layer above it is temporary.
    const bool uploadGone = m_sender->sendsMultipartParts() && isUploadGone(error, S3Request::UploadPart);
    if (uploadGone)
        error.retryable = true;
    if (uploadGone && !m_uploadGone) {
        m_uploadGone = true;
        m_listener->uploadGone(*m_item, m_uploadId, error);
    }
    const bool willRetry = !uploadGone && m_options.retry.shouldRetry(error, part.task.attempts);
    qCInfo(lcUploader) << "part" << part.task.partNumber << "attempt" << part.task.attempts
                       << "failed:" << error.toString() << (willRetry ? "(will retry)" : "");
    m_listener->partFailed(*m_item, part.task.partNumber, part.task.attempts, error, willRetry);
    if (m_options.adaptive)
        m_options.adaptive->requestFailed(error);
    if (willRetry) {
        PartTask again = part.task;
        again.notBefore
            = Clock::now() + std::chrono::milliseconds(m_options.retry.delayMs(again.attempts, error.retryAfterMs));
        // Back in part order, so a retried part goes before later ones once its backoff has passed.
        const auto position = std::upper_bound(m_pending.begin(), m_pending.end(), again,
            [](const PartTask &a, const PartTask &b) { return a.partNumber < b.partNumber; });
        m_pending.insert(position, again);
    } else {
        m_fatal = error;
    }
    reportProgress(true); // the failed part's in-flight bytes are gone: show it now
}

void MultipartUploader::reportProgress(bool force)
{
    const auto now = Clock::now();
    if (!force && now - m_lastReport < std::chrono::milliseconds(m_options.progressIntervalMs))
        return;
    qint64 inflight = 0;
    for (const auto &[id, part] : m_inFlight)
        inflight += part.body->position();
    m_progress.inflightBytes = inflight;
    if (!force && m_progress == m_lastReported)
        return;
    m_lastReport = now;
    m_lastReported = m_progress;
    m_listener->uploadProgressed(*m_item, m_progress);
}

StorageResult<quint64> MultipartUploader::regionCrc64(int partNumber) const
{
    FileRegionBody body(m_file.descriptor(), m_plan.offsetOf(partNumber), m_plan.sizeOf(partNumber), m_filePath,
        FileRegionBody::Checksums::Md5AndCrc64);
    if (auto read = readToEnd(body); !read)
        return read.error();
    return body.crc64();
}

StorageResult<void> MultipartUploader::readToEnd(FileRegionBody &body)
{
    QByteArray buffer(256 * 1024, Qt::Uninitialized);
    while (body.position() < body.size()) {
        if (body.read(buffer.data(), buffer.size()) < 0)
            return StorageError::localIo(body.errorString());
    }
    return {};
}

StorageResult<void> MultipartUploader::checkUnchanged() const
{
    // Never assemble an object from bytes of two versions of a file (checked on the descriptor the bytes came from).
    return m_file.checkUnchanged();
}

StorageResult<RegionDigest> MultipartUploader::digestSmallFile() const
{
    // Content-MD5 needs the digest before the body: small files are read twice (from the page cache), hashed once.
    FileRegionBody body(m_file.descriptor(), 0, m_plan.fileSize(), m_filePath, m_dialect->checksums());
    if (auto read = readToEnd(body); !read)
        return read.error();
    return RegionDigest{body.md5(), body.crc64(), {}};
}

void MultipartUploader::fail(StorageError error) // by value: it may be m_fatal, cleared here
{
    m_fatal = {};
    cancelTransfers();
    m_control.reset();
    m_pending.clear();
    m_inFlight.clear();
    reportProgress(true); // in-flight bytes of the stopped parts are gone
    const bool keep = error.kind == StorageError::Kind::Cancelled ? m_cancelMode.load() == CancelMode::KeepForResume
                                                                  : m_options.keepIncompleteUpload && error.retryable;
    if (m_uploadId.isEmpty() || keep || m_uploadGone) // nothing to abort on a server that no longer has it
        return finish(error);
    // The abort must run even though the upload was cancelled: it is the cleanup.
    m_phase = Phase::Aborting;
    m_abortedFor = error;
    m_control.call([this] { return m_client.abortMultipartUploadRequest(m_bucket, m_key, m_uploadId); },
        [this](const Answer &answer) {
            const auto aborted = S3Client::checked(answer);
            if (aborted || isUploadGone(aborted.error(), S3Request::AbortMultipartUpload))
                forgetAbortedUpload();
            else // it may still be there with its parts: the id stays recorded, for a Retry to resume or clean up
                qCWarning(lcUploader) << "could not abort upload of" << m_key << ":" << aborted.error().toString();
            finish(m_abortedFor);
        },
        false);
    m_control.issueIfDue();
}

// The verified parts went with the aborted upload: nothing of this file is on the server any more, so its committed
// bytes return to zero (never more shown than is true) and the listener forgets the upload.
void MultipartUploader::forgetAbortedUpload()
{
    m_verified.clear();
    m_progress.committedBytes = 0;
    m_progress.partsCompleted = 0;
    reportProgress(true);
    m_listener->uploadAborted(*m_item, m_uploadId);
}

void MultipartUploader::cancelTransfers()
{
    // This file's requests only: other files on the same transport go on. Their completions give slots back.
    std::vector<CurlTransport::TransferId> ids;
    for (const auto &[id, part] : m_inFlight)
        ids.push_back(id);
    if (const auto control = m_control.transfer())
        ids.push_back(control);
    for (const auto id : ids)
        m_client.transport().cancel(id);
}

void MultipartUploader::finish(StorageResult<UploadOutcome> result)
{
    m_phase = Phase::Done;
    m_result.emplace(std::move(result));
}

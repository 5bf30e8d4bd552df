#include "multipartuploader.h"

#include "crc64.h"
#include "fileregionbody.h"
#include "hashing.h"
#include "localfiles.h"

#include <QFileInfo>
#include <QLoggingCategory>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcUploader, "keystone.storage.uploader", QtWarningMsg)

namespace {

constexpr int kPollSliceMs = 100; // how late a cancel or a due retry may be noticed at worst
constexpr int kMaxRepairRounds = 3; // InvalidPart at Complete: re-send lost parts at most this often

} // namespace

MultipartUploader::MultipartUploader(S3Client &client, UploadOptions options, UploadObserver *observer)
    : m_client(client)
    , m_options(std::move(options))
    , m_observer(observer)
{
    m_options.concurrency = std::max(1, m_options.concurrency);
}

MultipartUploader::~MultipartUploader()
{
    if (m_fd >= 0)
        ::close(m_fd);
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

template <typename Operation>
auto MultipartUploader::withRetries(Operation &&operation) -> decltype(operation())
{
    for (int attempt = 1;; ++attempt) {
        auto result = operation();
        if (result || cancelled() || !m_options.retry.shouldRetry(result.error(), attempt))
            return result;
        const int delay = m_options.retry.delayMs(attempt, result.error().retryAfterMs);
        qCInfo(lcUploader) << "retrying in" << delay << "ms after" << result.error().toString();
        if (!waitFor(std::chrono::milliseconds(delay)))
            return result;
    }
}

bool MultipartUploader::waitFor(std::chrono::milliseconds delay)
{
    const auto deadline = Clock::now() + delay;
    while (!cancelled()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return true;
        m_client.transport().poll(int(std::min<qint64>(left, kPollSliceMs)));
    }
    return false;
}

StorageResult<PartPlan> MultipartUploader::planFor(qint64 fileSize, const UploadOptions &options)
{
    if (fileSize < options.singlePutThreshold)
        return PartPlan::make(
            fileSize, std::clamp(fileSize, options.minPartSize, PartPlan::kMaxPartSize), options.minPartSize);
    return PartPlan::make(fileSize, options.partSize, options.minPartSize);
}

StorageResult<UploadOutcome> MultipartUploader::upload(
    const QString &filePath, const QString &bucket, const QString &key, const ResumeState &resume)
{
    m_filePath = filePath;
    m_bucket = bucket;
    m_key = key;
    m_uploadId.clear();
    m_pending.clear();
    m_inFlight.clear();
    m_verified.clear();
    m_resent.clear();
    m_fatal = {};

    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = ::open(QFile::encodeName(filePath).constData(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0)
        return StorageError::localIo(
            QObject::tr("cannot open %1: %2").arg(filePath, QString::fromLocal8Bit(std::strerror(errno))));
    const QFileInfo info(filePath);
    const qint64 size = info.size();
    m_mtimeMs = LocalFiles::modificationTimeMs(filePath);

    m_singlePut = size < m_options.singlePutThreshold;
    auto plan = planFor(size, m_options);
    if (!plan)
        return plan.error();
    m_plan = plan.value();
    m_progress = UploadProgress{0, 0, size, 0, m_plan.partCount()};
    ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);

    if (m_singlePut) {
        // Content-MD5 needs the digest before the body: small files are read twice (from the page cache).
        auto md5 = fileMd5();
        if (!md5)
            return md5.error();
        m_contentMd5 = md5.value();
    } else {
        auto uploadId = startOrResume(resume);
        if (!uploadId)
            return cancelled() ? StorageError::cancelled() : uploadId.error();
        m_uploadId = uploadId.value();
    }

    QSet<int> verifiedNumbers;
    for (const CompletedPart &part : std::as_const(m_verified))
        verifiedNumbers.insert(part.partNumber);
    for (int number = 1; number <= m_plan.partCount(); ++number) {
        if (!verifiedNumbers.contains(number))
            m_pending.push_back(PartTask{number, 0, Clock::now()}); // ascending: m_pending stays in part order
    }
    m_lastReport = {};
    reportProgress(true);

    if (auto parts = runParts(); !parts) {
        abandon(parts.error());
        return parts.error();
    }
    if (auto unchanged = checkUnchanged(); !unchanged) {
        abandon(unchanged.error());
        return unchanged.error();
    }

    if (m_singlePut)
        return UploadOutcome{{}, m_verified.constFirst().etag, size, 1};

    auto etag = completeRepairingLostParts();
    if (!etag) {
        abandon(etag.error());
        return etag.error();
    }
    return UploadOutcome{m_uploadId, etag.value(), size, m_plan.partCount()};
}

StorageResult<QString> MultipartUploader::startOrResume(const ResumeState &resume)
{
    if (!resume.uploadId.isEmpty()) {
        auto listed = withRetries([&] { return m_client.listParts(m_bucket, m_key, resume.uploadId); });
        if (listed) {
            // Trust a part only if we verified it before *and* the server still has it with the same ETag and size.
            for (const CompletedPart &part : resume.verifiedParts) {
                const bool onServer = std::any_of(listed.value().cbegin(), listed.value().cend(), [&](const auto &l) {
                    return l.partNumber == part.partNumber && l.etag == part.etag && l.size == part.size;
                });
                if (onServer && part.partNumber <= m_plan.partCount() && m_plan.sizeOf(part.partNumber) == part.size)
                    m_verified.append(part);
            }
            for (const CompletedPart &part : std::as_const(m_verified)) {
                m_progress.committedBytes += part.size;
                ++m_progress.partsCompleted;
            }
            qCInfo(lcUploader) << "resuming" << m_key << "with" << m_verified.size() << "verified parts";
            if (m_observer)
                m_observer->uploadStarted(resume.uploadId, m_plan);
            return resume.uploadId;
        }
        if (listed.error().s3Code != QLatin1String("NoSuchUpload"))
            return listed.error();
        qCInfo(lcUploader) << "upload" << resume.uploadId << "is gone; starting over";
    }
    auto created = withRetries([&] { return m_client.createMultipartUpload(m_bucket, m_key); });
    if (created && m_observer)
        m_observer->uploadStarted(created.value(), m_plan);
    return created;
}

StorageResult<void> MultipartUploader::runParts()
{
    while ((!m_pending.empty() || !m_inFlight.empty()) && !m_fatal.isError()) {
        if (cancelled())
            return StorageError::cancelled();
        if (m_draining.load() && m_inFlight.empty()) {
            cancel(CancelMode::KeepForResume); // every part that was on the wire has ended and is recorded
            return StorageError::cancelled();
        }
        const auto now = Clock::now();
        // Start due parts in part order (m_pending is kept sorted), up to the concurrency limit.
        for (auto it = m_pending.begin();
             !m_draining.load() && it != m_pending.end() && int(m_inFlight.size()) < m_options.concurrency;) {
            if (it->notBefore <= now) {
                const bool slot = m_options.partSlots != nullptr;
                if (slot && !m_options.partSlots->tryAcquire())
                    break; // the engine-wide budget is spent: try again next slice
                const PartTask task = *it;
                it = m_pending.erase(it);
                startPart(task, slot);
            } else {
                ++it;
            }
        }
        m_client.transport().poll(kPollSliceMs);
        reportProgress(false);
    }
    if (m_fatal.isError())
        return m_fatal;
    if (cancelled())
        return StorageError::cancelled();
    return {};
}

void MultipartUploader::releaseSlot(const InFlightPart &part)
{
    if (part.holdsSlot)
        m_options.partSlots->release();
}

void MultipartUploader::startPart(PartTask task, bool holdsSlot)
{
    ++task.attempts;
    auto body = std::make_shared<FileRegionBody>(
        m_fd, m_plan.offsetOf(task.partNumber), m_plan.sizeOf(task.partNumber), m_filePath, checksums());
    HttpRequest request = m_singlePut ? m_client.putObjectRequest(m_bucket, m_key, body, m_contentMd5)
                                      : m_client.uploadPartRequest(m_bucket, m_key, m_uploadId, task.partNumber, body);
    const auto id = m_client.transport().start(
        std::move(request), [this](auto transferId, auto result) { onPartDone(transferId, result); });
    m_inFlight.emplace(id, InFlightPart{task, std::move(body), holdsSlot});
}

void MultipartUploader::onPartDone(CurlTransport::TransferId id, const StorageResult<HttpResponse> &response)
{
    auto node = m_inFlight.extract(id);
    if (node.empty())
        return;
    InFlightPart &part = node.mapped();
    releaseSlot(part);
    if (!response && response.error().kind == StorageError::Kind::Cancelled)
        return;

    StorageResult<QByteArray> etag = S3Client::etagOf(response);
    if (etag) {
        const QByteArray localMd5 = part.body->md5().toHex();
        if (part.body->position() != part.body->size() || etag.value() != localMd5) {
            etag = StorageError::integrity(
                QObject::tr("part %1: the server's ETag %2 does not match the MD5 %3 of what was sent")
                    .arg(part.task.partNumber)
                    .arg(QString::fromLatin1(etag.value()), QString::fromLatin1(localMd5)));
        }
    }
    if (etag) {
        const QString what = QObject::tr("part %1").arg(part.task.partNumber);
        if (auto crc = m_client.verifyCrc64(response.value(), part.body->crc64(), what); !crc)
            etag = crc.error();
    }
    if (etag) {
        CompletedPart completed{part.task.partNumber, part.body->size(), etag.value()};
        if (m_client.profile().isOss())
            completed.crc64 = part.body->crc64();
        if (m_observer) {
            if (auto recorded = m_observer->partVerified(completed); !recorded) {
                m_fatal = recorded.error();
                reportProgress(true);
                return;
            }
        }
        m_verified.append(completed);
        if (!m_resent.contains(completed.partNumber)) { // committed bytes never go backwards, nor count twice
            m_progress.committedBytes += completed.size;
            ++m_progress.partsCompleted;
        }
        reportProgress(true);
        return;
    }

    StorageError error = etag.error();
    // The upload is gone from the server (expired, aborted, or the server lost it): no part of it can succeed, but a
    // later attempt starts the file over (its resume sees NoSuchUpload), so for the layer above it is temporary.
    const bool uploadGone = error.s3Code == QLatin1String("NoSuchUpload");
    if (uploadGone)
        error.retryable = true;
    const bool willRetry = !uploadGone && m_options.retry.shouldRetry(error, part.task.attempts);
    qCInfo(lcUploader) << "part" << part.task.partNumber << "attempt" << part.task.attempts
                       << "failed:" << error.toString() << (willRetry ? "(will retry)" : "");
    if (m_observer)
        m_observer->partFailed(part.task.partNumber, part.task.attempts, error, willRetry);
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
    if (m_observer)
        m_observer->progressChanged(m_progress);
}

QByteArray MultipartUploader::expectedMultipartEtag() const
{
    QByteArray digests;
    for (const CompletedPart &part : m_verified)
        digests += QByteArray::fromHex(part.etag);
    return Hashing::md5(digests).toHex() + '-' + QByteArray::number(m_verified.size());
}

StorageResult<QByteArray> MultipartUploader::complete()
{
    std::sort(m_verified.begin(), m_verified.end(),
        [](const CompletedPart &a, const CompletedPart &b) { return a.partNumber < b.partNumber; });
    const QByteArray expected = expectedMultipartEtag();
    std::optional<quint64> expectedCrc;
    if (m_client.profile().isOss()) {
        auto crc = wholeObjectCrc64();
        if (!crc)
            return crc.error();
        expectedCrc = crc.value();
    }
    auto completed
        = withRetries([&] { return m_client.completeMultipartUpload(m_bucket, m_key, m_uploadId, m_verified); });
    if (!completed) {
        // A Complete that went through but whose answer was lost comes back as NoSuchUpload on the retry:
        // the object is there if it carries exactly the ETag (S3) or CRC-64 (OSS) our verified parts make.
        if (completed.error().s3Code != QLatin1String("NoSuchUpload"))
            return completed.error();
        const auto head = m_client.headObject(m_bucket, m_key);
        const bool ours = head
            && (expectedCrc ? head.value().crc64 == expectedCrc && head.value().size == m_plan.fileSize()
                            : head.value().etag == expected);
        if (!ours)
            return completed.error();
        return head.value().etag;
    }
    const QByteArray etag = completed.value().etag;
    if (expectedCrc) {
        // OSS documents no formula for a multipart ETag; its CRC-64 of the whole object is the check.
        if (completed.value().crc64 && completed.value().crc64 != expectedCrc) {
            return StorageError::integrity(
                QObject::tr("the completed object's CRC-64 %1 is not the %2 our verified parts make")
                    .arg(*completed.value().crc64)
                    .arg(*expectedCrc));
        }
        return etag;
    }
    // S3 makes the ETag of a multipart object from the parts' MD5s; some servers (s3rver) use a plain MD5 instead,
    // which we cannot check without reading the object back.
    if (etag.contains('-') && etag != expected) {
        return StorageError::integrity(
            QObject::tr("the completed object's ETag %1 is not the %2 our verified parts make")
                .arg(QString::fromLatin1(etag), QString::fromLatin1(expected)));
    }
    return etag;
}

StorageResult<QByteArray> MultipartUploader::completeRepairingLostParts()
{
    for (int round = 1;; ++round) {
        auto etag = complete();
        if (etag || etag.error().s3Code != QLatin1String("InvalidPart") || round > kMaxRepairRounds || cancelled())
            return etag;
        auto requeued = requeuePartsMissingOnServer();
        if (!requeued)
            return requeued.error();
        if (requeued.value() == 0)
            return etag; // the server has every part as we sent it: InvalidPart has another cause
        qCWarning(lcUploader) << "the server lost" << requeued.value() << "parts of" << m_key << "; sending them again";
        if (auto parts = runParts(); !parts)
            return parts.error();
        if (auto unchanged = checkUnchanged(); !unchanged)
            return unchanged.error();
    }
}

StorageResult<int> MultipartUploader::requeuePartsMissingOnServer()
{
    auto listed = withRetries([&] { return m_client.listParts(m_bucket, m_key, m_uploadId); });
    if (!listed)
        return listed.error();
    QList<CompletedPart> kept;
    int requeued = 0;
    for (const CompletedPart &part : std::as_const(m_verified)) {
        const bool onServer = std::any_of(listed.value().cbegin(), listed.value().cend(), [&](const auto &l) {
            return l.partNumber == part.partNumber && l.etag == part.etag && l.size == part.size;
        });
        if (onServer) {
            kept.append(part);
        } else {
            m_resent.insert(part.partNumber);
            m_pending.push_back(PartTask{part.partNumber, 0, Clock::now()}); // m_verified is sorted: so is this
            ++requeued;
        }
    }
    m_verified = kept;
    return requeued;
}

FileRegionBody::Checksums MultipartUploader::checksums() const
{
    return m_client.profile().isOss() ? FileRegionBody::Checksums::Md5AndCrc64 : FileRegionBody::Checksums::Md5;
}

StorageResult<quint64> MultipartUploader::wholeObjectCrc64()
{
    // m_verified is sorted by part number and complete: fold the parts' CRCs in order.
    quint64 crc = 0;
    for (CompletedPart &part : m_verified) {
        if (!part.crc64) {
            // Recorded before the catalog kept CRCs: compute it from the file (unchanged, as checkUnchanged() said).
            auto computed = regionCrc64(part.partNumber);
            if (!computed)
                return computed.error();
            part.crc64 = computed.value();
        }
        crc = Crc64::combine(crc, *part.crc64, quint64(part.size));
    }
    return crc;
}

StorageResult<quint64> MultipartUploader::regionCrc64(int partNumber) const
{
    FileRegionBody body(m_fd, m_plan.offsetOf(partNumber), m_plan.sizeOf(partNumber), m_filePath,
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
    // Never assemble an object from bytes of two versions of a file.
    const QFileInfo info(m_filePath);
    if (!info.exists()) // its bytes are still readable through our descriptor, but nobody wants that object now
        return StorageError::localIo(QObject::tr("%1 was deleted during the upload").arg(m_filePath));
    if (info.size() != m_plan.fileSize() || LocalFiles::modificationTimeMs(m_filePath) != m_mtimeMs)
        return StorageError::localIo(QObject::tr("%1 changed during the upload").arg(m_filePath));
    return {};
}

StorageResult<QByteArray> MultipartUploader::fileMd5() const
{
    FileRegionBody body(m_fd, 0, m_plan.fileSize(), m_filePath);
    if (auto read = readToEnd(body); !read)
        return read.error();
    return body.md5();
}

void MultipartUploader::abandon(const StorageError &error)
{
    m_client.transport().cancelAll(); // their completions give the part slots back
    m_pending.clear();
    m_inFlight.clear();
    if (m_uploadId.isEmpty())
        return;
    const bool keep = error.kind == StorageError::Kind::Cancelled ? m_cancelMode.load() == CancelMode::KeepForResume
                                                                  : m_options.keepIncompleteUpload && error.retryable;
    if (keep || error.s3Code == QLatin1String("NoSuchUpload"))
        return;
    // The abort must run even though the upload was cancelled: it is the cleanup.
    const auto aborted = m_client.abortMultipartUpload(m_bucket, m_key, m_uploadId);
    if (!aborted)
        qCWarning(lcUploader) << "could not abort upload of" << m_key << ":" << aborted.error().toString();
}

#include "multipartuploader.h"

#include "uploaderlogging.h"
#include "uploadgone.h"

#include <QLoggingCategory>

#include <algorithm>

// The multipart upload's own life on the server, driven by control requests (ControlRequests): ListParts to resume
// it, CreateMultipartUpload, and at the end (every part verified, the file unchanged) CompleteMultipartUpload, the
// checks of what it made (the UploadDialect's proof, else HEAD's) and the repair of parts the server lost. The parts
// themselves, failing and aborting are in multipartuploader.cpp.

namespace {

constexpr int kMaxRepairRounds = 3; // InvalidPart at Complete: re-send lost parts at most this often

} // namespace

void MultipartUploader::listAllParts(const QString &uploadId, std::function<void(const ListedParts &)> done, int marker)
{
    if (marker == 0)
        m_listed.clear();
    m_control.call(
        [this, uploadId, marker] {
            return m_client.listPartsRequest(m_bucket, m_key, uploadId, marker, S3Client::kListPartsPageSize);
        },
        [this, uploadId, marker, done](const Answer &answer) {
            auto page = S3Client::parseListPartsPage(answer);
            if (!page)
                return done(page.error());
            m_listed += page.value().parts;
            const auto next = S3Client::nextListPartsMarker(page.value(), marker);
            if (!next)
                return done(next.error());
            if (!next.value())
                return done(m_listed);
            listAllParts(uploadId, done, *next.value());
        });
}

void MultipartUploader::resume(const ResumeState &state)
{
    m_phase = Phase::Resuming;
    listAllParts(state.uploadId, [this, state](const ListedParts &listed) {
        if (listed)
            return adoptResumedParts(state, listed.value());
        if (!isUploadGone(listed.error(), S3Request::ListParts))
            return fail(listed.error());
        // Removed on the server meanwhile (a lifecycle rule, an admin's cleanup, expiry): its parts are gone with
        // it, so this file starts over; the other files of the job keep what they have.
        qCInfo(lcUploader) << "upload" << state.uploadId << "of" << m_key << "is gone; starting over";
        m_listener->uploadGone(*m_item, state.uploadId, listed.error());
        create();
    });
}

void MultipartUploader::adoptResumedParts(const ResumeState &state, const QList<S3Xml::ListedPart> &listed)
{
    // Trust a part only if we verified it before *and* the server still has it with the same ETag and size.
    for (const CompletedPart &part : state.verifiedParts) {
        const bool onServer = std::any_of(listed.cbegin(), listed.cend(), [&](const auto &l) {
            return l.partNumber == part.partNumber && l.etag == part.etag && l.size == part.size;
        });
        if (onServer && part.partNumber <= m_plan.partCount() && m_plan.sizeOf(part.partNumber) == part.size)
            m_verified.append(part);
    }
    m_progress.committedBytes = 0;
    m_progress.partsCompleted = 0;
    for (const CompletedPart &part : std::as_const(m_verified)) {
        m_progress.committedBytes += part.size;
        ++m_progress.partsCompleted;
    }
    qCInfo(lcUploader) << "resuming" << m_key << "with" << m_verified.size() << "verified parts";
    m_uploadId = state.uploadId;
    m_listener->uploadStarted(*m_item, m_uploadId, m_plan);
    enterParts();
}

void MultipartUploader::create()
{
    m_phase = Phase::Creating;
    m_uploadGone = false;
    m_progress.committedBytes = 0; // a new upload: nothing of it is verified (an old one may be gone)
    m_progress.partsCompleted = 0;
    m_control.call([this] { return m_client.createMultipartUploadRequest(m_bucket, m_key); },
        [this](const Answer &answer) {
            auto created = S3Client::parseCreateMultipartUpload(answer);
            if (!created)
                return fail(created.error());
            m_uploadId = created.value();
            m_listener->uploadStarted(*m_item, m_uploadId, m_plan);
            enterParts();
        });
}

void MultipartUploader::complete()
{
    m_phase = Phase::Completing;
    std::sort(m_verified.begin(), m_verified.end(),
        [](const CompletedPart &a, const CompletedPart &b) { return a.partNumber < b.partNumber; });
    const auto expected = m_dialect->expectObjectOf(m_verified, [this](int number) { return regionCrc64(number); });
    if (!expected)
        return fail(expected.error());
    m_control.call([this] { return m_client.completeMultipartUploadRequest(m_bucket, m_key, m_uploadId, m_verified); },
        [this](const Answer &answer) { onCompleted(answer); }, true, ControlRequests::completeVerdict);
}

void MultipartUploader::onCompleted(const Answer &answer)
{
    const auto completed = S3Client::parseCompleteMultipartUpload(answer);
    if (!completed) {
        const StorageError &error = completed.error();
        if (error.s3Code == QLatin1String("InvalidPart") && m_repairRounds < kMaxRepairRounds && !cancelled())
            return repair(error);
        // A Complete that went through but whose answer was lost comes back as "gone" on the retry (NoSuchUpload, or
        // radosgw's NoSuchKey): HEAD tells that from an upload removed before it was completed.
        if (isUploadGone(error, S3Request::CompleteMultipartUpload))
            return confirmAfterLostAnswer(error);
        return fail(error);
    }
    const QByteArray etag = completed.value().etag;
    const auto matches = m_dialect->matches(etag, completed.value().crc64);
    if (!matches)
        return fail(matches.error());
    if (!matches.value())
        return checkByHead(etag);
    finish(UploadOutcome{m_uploadId, etag, m_plan.fileSize(), m_plan.partCount()});
}

void MultipartUploader::checkByHead(const QByteArray &completeEtag)
{
    m_phase = Phase::Confirming;
    m_control.call([this] { return m_client.headObjectRequest(m_bucket, m_key); },
        [this, completeEtag](const Answer &answer) {
            const auto head = S3Client::parseHeadObject(answer);
            if (!head) {
                // The server said the object is complete; only our check of it is missing.
                return finishUnchecked(
                    completeEtag, QObject::tr("HEAD of the completed object failed: %1").arg(head.error().toString()));
            }
            if (head.value().size != m_plan.fileSize()) {
                return fail(StorageError::integrity(QObject::tr("the completed object has %1 bytes, the file %2")
                                                        .arg(head.value().size)
                                                        .arg(m_plan.fileSize())));
            }
            const auto matches = m_dialect->matches(head.value().etag, head.value().crc64);
            if (!matches)
                return fail(matches.error());
            const QByteArray etag = head.value().etag.isEmpty() ? completeEtag : head.value().etag;
            if (!matches.value()) {
                return finishUnchecked(etag,
                    QObject::tr("neither CompleteMultipartUpload nor HEAD gave a checkable ETag (HEAD's: \"%1\")")
                        .arg(QString::fromLatin1(head.value().etag)));
            }
            qCInfo(lcUploader) << "Complete gave no checkable ETag for" << m_key << "; HEAD's matches";
            finish(UploadOutcome{m_uploadId, etag, m_plan.fileSize(), m_plan.partCount()});
        });
}

void MultipartUploader::finishUnchecked(const QByteArray &etag, const QString &why)
{
    qCInfo(lcUploader) << "completed" << m_key << "without the whole-object check:" << why;
    UploadOutcome outcome{m_uploadId, etag, m_plan.fileSize(), m_plan.partCount()};
    outcome.etagChecked = false;
    finish(outcome);
}

void MultipartUploader::confirmAfterLostAnswer(const StorageError &gone)
{
    // The object is there if it is exactly the one our verified parts make (the dialect's ETag or CRC-64).
    m_phase = Phase::Confirming;
    m_control.call([this] { return m_client.headObjectRequest(m_bucket, m_key); },
        [this, gone](const Answer &answer) {
            const auto head = S3Client::parseHeadObject(answer);
            const bool ours = head && m_dialect->isExpectedObject(head.value(), m_plan.fileSize());
            if (!ours) {
                // Removed before it was completed: the next attempt starts the file over with a new upload.
                StorageError error = gone;
                error.retryable = true;
                m_uploadGone = true;
                m_listener->uploadGone(*m_item, m_uploadId, error);
                return fail(error);
            }
            finish(UploadOutcome{m_uploadId, head.value().etag, m_plan.fileSize(), m_plan.partCount()});
        },
        false);
}

void MultipartUploader::repair(const StorageError &invalidPart)
{
    ++m_repairRounds;
    m_phase = Phase::Repairing;
    listAllParts(m_uploadId, [this, invalidPart](const ListedParts &listed) {
        if (!listed)
            return fail(listed.error());
        const int requeued = requeuePartsMissingOnServer(listed.value());
        if (requeued == 0)
            return fail(invalidPart); // the server has every part as we sent it: InvalidPart has another cause
        qCWarning(lcUploader) << "the server lost" << requeued << "parts of" << m_key << "; sending them again";
        m_phase = Phase::Parts;
    });
}

int MultipartUploader::requeuePartsMissingOnServer(const QList<S3Xml::ListedPart> &listed)
{
    QList<CompletedPart> kept;
    int requeued = 0;
    for (const CompletedPart &part : std::as_const(m_verified)) {
        const bool onServer = std::any_of(listed.cbegin(), listed.cend(), [&](const auto &l) {
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

#include "controlrequests.h"

#include "s3client.h"
#include "uploaderlogging.h"

#include <QLoggingCategory>

ControlRequests::ControlRequests(
    CurlTransport &transport, const UploadOptions &options, const std::atomic<bool> &cancelled)
    : m_transport(transport)
    , m_options(options)
    , m_cancelled(cancelled)
{ }

void ControlRequests::call(
    std::function<HttpRequest()> build, std::function<void(const Answer &)> onAnswer, bool retries, Verdict verdict)
{
    m_call = Call{std::move(build), std::move(onAnswer), std::move(verdict), retries, 0, Clock::now(), 0};
}

StorageError ControlRequests::statusVerdict(const Answer &answer)
{
    const auto checked = S3Client::checked(answer);
    return checked ? StorageError{} : checked.error();
}

StorageError ControlRequests::completeVerdict(const Answer &answer)
{
    // A 200 can carry an <Error> (InternalError, SlowDown: retried) or come back empty or garbled (a protocol error,
    // retried): only a parsed CompleteMultipartUploadResult is a success.
    const auto completed = S3Client::parseCompleteMultipartUpload(answer);
    return completed ? StorageError{} : completed.error();
}

std::optional<ControlRequests::Clock::time_point> ControlRequests::waitingUntil() const
{
    if (!m_call || m_call->transfer)
        return std::nullopt;
    return m_call->notBefore;
}

void ControlRequests::issueIfDue()
{
    if (!m_call || m_call->transfer != 0 || m_call->notBefore > Clock::now())
        return;
    ++m_call->attempts;
    m_call->transfer = m_transport.start(
        m_call->build(), [this](CurlTransport::TransferId, const Answer &answer) { onAnswered(answer); });
}

void ControlRequests::onAnswered(const Answer &answer)
{
    if (!m_call)
        return;
    if (!answer && answer.error().kind == StorageError::Kind::Cancelled) {
        m_call.reset(); // stopped by us (fail, cancel): nobody waits for it any more
        return;
    }
    const StorageError failure = m_call->verdict(answer);
    if (failure.isError() && m_options.adaptive)
        m_options.adaptive->requestFailed(failure);
    if (failure.isError() && m_call->retries && !m_cancelled.load(std::memory_order_relaxed)
        && m_options.retry.shouldRetry(failure, m_call->attempts)) {
        const int delay = m_options.retry.delayMs(m_call->attempts, failure.retryAfterMs);
        qCInfo(lcUploader) << "retrying in" << delay << "ms after" << failure.toString();
        m_call->transfer = 0;
        m_call->notBefore = Clock::now() + std::chrono::milliseconds(delay);
        return;
    }
    const auto onAnswer = std::move(m_call->onAnswer);
    m_call.reset(); // the handler may queue the next call
    onAnswer(answer);
}

#pragma once

#include "curltransport.h"
#include "httprequest.h"
#include "storageerror.h"
#include "storageresult.h"
#include "uploadoptions.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

// An upload's control requests (ListParts, Create, Complete, HEAD, Abort): one at a time, each retried with backoff
// (the upload's RetryPolicy) unless told not, and never blocking on the network: issueIfDue() starts the request when
// it is due, the transport's poll() delivers its answer.
class ControlRequests
{
public:
    using Clock = std::chrono::steady_clock;
    using Answer = StorageResult<HttpResponse>;
    // What the retry decision looks at: the status line (S3Client::checked), or for Complete also the body.
    using Verdict = std::function<StorageError(const Answer &)>;

    // options and cancelled are the uploader's: they outlive this object.
    ControlRequests(CurlTransport &transport, const UploadOptions &options, const std::atomic<bool> &cancelled);

    // Queues the next request (replacing any finished one). build signs it anew for every attempt; onAnswer gets the
    // final answer, after retries, and may queue the next request.
    void call(std::function<HttpRequest()> build, std::function<void(const Answer &)> onAnswer, bool retries = true,
        Verdict verdict = statusVerdict);
    [[nodiscard]] static StorageError statusVerdict(const Answer &answer);
    // A 200 can carry an <Error> or come back empty or garbled: only a parsed CompleteMultipartUploadResult succeeds.
    [[nodiscard]] static StorageError completeVerdict(const Answer &answer);

    void issueIfDue();
    // Forgets the queued request; one in flight still answers, but nobody waits for it (stop it with its transfer()).
    void reset() { m_call.reset(); }
    // The request on the wire, 0 when none is.
    [[nodiscard]] CurlTransport::TransferId transfer() const { return m_call ? m_call->transfer : 0; }
    // When a request waiting out its backoff is due; nullopt when none waits.
    [[nodiscard]] std::optional<Clock::time_point> waitingUntil() const;

private:
    struct Call
    {
        std::function<HttpRequest()> build;
        std::function<void(const Answer &)> onAnswer;
        Verdict verdict;
        bool retries = true;
        int attempts = 0;
        Clock::time_point notBefore;
        CurlTransport::TransferId transfer = 0; // 0: not in flight
    };

    void onAnswered(const Answer &answer);

    CurlTransport &m_transport;
    const UploadOptions &m_options;
    const std::atomic<bool> &m_cancelled;
    std::optional<Call> m_call;
};

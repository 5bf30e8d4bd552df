#pragma once

#include "bandwidthlimiter.h"
#include "httprequest.h"
#include "storageresult.h"

#include <QString>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

struct TransportOptions
{
    QString caBundle; // CA file for https; empty: libcurl's default
    int connectTimeoutMs = 10000;
    int stallTimeoutSeconds = 30; // abort a transfer that moved no byte for this long
    long uploadBufferSize = 256 * 1024; // libcurl's read chunk: the only per-part buffer
    std::shared_ptr<BandwidthLimiter> bandwidth; // shared by every transfer of an engine; null: unlimited
    BandwidthLimiter::Class bandwidthClass = BandwidthLimiter::Class::Normal; // First: served before Normal ones
    // DNS answers and TLS sessions shared by every transport of an engine (a new connection of another episode
    // resumes its TLS session instead of a full handshake); null: each transport keeps its own.
    std::shared_ptr<class CurlShare> share;
};

// libcurl multi interface on the calling thread: many transfers on one thread, one connection pool
// (kept-alive connections are reused across parts and requests). Not thread-safe except wakeUp();
// create, use and destroy it on one worker thread.
//
// Non-2xx responses are *not* errors here: the S3 layer interprets them. Errors are transport failures
// (connect, reset, timeout), local read errors of a body, and cancellation.
class CurlTransport
{
public:
    using TransferId = quint64;
    using Completion = std::function<void(TransferId, StorageResult<HttpResponse>)>;

    explicit CurlTransport(TransportOptions options = {});
    ~CurlTransport();
    CurlTransport(const CurlTransport &) = delete;
    CurlTransport &operator=(const CurlTransport &) = delete;

    // Queues a transfer; onDone runs later, from poll(), on this thread.
    TransferId start(HttpRequest request, Completion onDone);
    // Drives transfers for up to timeoutMs (less when woken or something finished); runs completions.
    void poll(int timeoutMs);
    // Stops every active transfer at once; their completions report StorageError::cancelled().
    void cancelAll();
    // Stops one transfer (its completion reports StorageError::cancelled()); an unknown id is ignored.
    void cancel(TransferId id);
    // Thread-safe: interrupts a poll() in progress.
    void wakeUp();
    // Connections libcurl opened so far (kept-alive ones reused by later requests are not counted again).
    qint64 connectionsOpened() const { return m_connectionsOpened; }
    qint64 requestsStarted() const { return qint64(m_nextId - 1); }
    // Requests the server answered with an HTTP status (any status): the storage is there.
    qint64 responsesReceived() const { return m_responsesReceived; }

    // Blocking convenience for small requests: start() and poll() until this one finished.
    StorageResult<HttpResponse> perform(HttpRequest request);

    struct Transfer; // per-transfer state; public only for libcurl's C callbacks

private:
    void finish(Transfer *transfer, StorageResult<HttpResponse> result);
    // Moves libcurl's finished transfers into done; true if there were any.
    bool collectFinished(std::vector<std::pair<void *, int>> &done);
    void complete(void *easy, int code);
    void unpauseThrottled();

    TransportOptions m_options;
    void *m_multi = nullptr; // CURLM*
    TransferId m_nextId = 1;
    qint64 m_connectionsOpened = 0;
    qint64 m_responsesReceived = 0;
    std::unordered_map<void *, std::unique_ptr<Transfer>> m_transfers; // keyed by CURL*
};

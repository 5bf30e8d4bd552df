#include "curltransport.h"

#include "bodysource.h"
#include "curlshare.h"
#include "memorybody.h"

#include <curl/curl.h>

#include <algorithm>
#include <limits>
#include <optional>

struct CurlTransport::Transfer
{
    TransferId id = 0;
    CURL *easy = nullptr;
    curl_slist *headerList = nullptr;
    HttpRequest request;
    HttpResponse response;
    Completion onDone;
    BandwidthLimiter *bandwidth = nullptr;
    BandwidthLimiter::Class bandwidthClass = BandwidthLimiter::Class::Normal;
    bool bodyFailed = false;
    bool throttled = false; // paused by the bandwidth limit
    char errorBuffer[CURL_ERROR_SIZE] = {};

    ~Transfer()
    {
        curl_slist_free_all(headerList);
        curl_easy_cleanup(easy);
    }
};

namespace {

size_t readBody(char *buffer, size_t size, size_t count, void *userData)
{
    auto *transfer = static_cast<CurlTransport::Transfer *>(userData);
    qint64 wanted = qint64(size * count);
    if (transfer->bandwidth && transfer->request.body->position() < transfer->request.body->size()) {
        wanted = transfer->bandwidth->take(wanted, transfer->bandwidthClass);
        if (wanted == 0) {
            transfer->throttled = true; // poll() resumes it when the bucket has refilled
            return CURL_READFUNC_PAUSE;
        }
    }
    const qint64 n = transfer->request.body->read(buffer, wanted);
    if (n < 0) {
        transfer->bodyFailed = true;
        return CURL_READFUNC_ABORT;
    }
    return size_t(n);
}

int seekBody(void *userData, curl_off_t offset, int origin)
{
    auto *transfer = static_cast<CurlTransport::Transfer *>(userData);
    // Only a full rewind is ever needed (a resend on a fresh connection); anything else is refused.
    if (offset == 0 && origin == SEEK_SET && transfer->request.body->rewind())
        return CURL_SEEKFUNC_OK;
    return CURL_SEEKFUNC_CANTSEEK;
}

size_t collectHeader(char *buffer, size_t size, size_t count, void *userData)
{
    auto *transfer = static_cast<CurlTransport::Transfer *>(userData);
    const size_t length = size * count;
    const QByteArray line = QByteArray(buffer, qsizetype(length)).trimmed();
    if (line.startsWith("HTTP/")) {
        // A new status line (after "100 Continue", or a resend) starts a new header block.
        transfer->response.headers.clear();
        transfer->response.body.clear();
    } else if (const qsizetype colon = line.indexOf(':'); colon > 0) {
        transfer->response.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    return length;
}

size_t collectBody(char *buffer, size_t size, size_t count, void *userData)
{
    auto *transfer = static_cast<CurlTransport::Transfer *>(userData);
    transfer->response.body.append(buffer, qsizetype(size * count));
    return size * count;
}

} // namespace

CurlTransport::CurlTransport(TransportOptions options)
    : m_options(std::move(options))
    , m_multi(curl_multi_init())
{ }

CurlTransport::~CurlTransport()
{
    cancelAll();
    curl_multi_cleanup(static_cast<CURLM *>(m_multi));
}

CurlTransport::TransferId CurlTransport::start(HttpRequest request, Completion onDone)
{
    auto transfer = std::make_unique<Transfer>();
    transfer->id = m_nextId++;
    transfer->request = std::move(request);
    transfer->onDone = std::move(onDone);
    transfer->bandwidth = m_options.bandwidth.get();
    transfer->bandwidthClass = m_options.bandwidthClass;
    CURL *easy = curl_easy_init();
    transfer->easy = easy;

    const QByteArray &method = transfer->request.method;
    curl_easy_setopt(easy, CURLOPT_URL, transfer->request.url.constData());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->errorBuffer);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, long(m_options.connectTimeoutMs));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, long(m_options.stallTimeoutSeconds));
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, collectHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collectBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
    if (m_options.share)
        curl_easy_setopt(easy, CURLOPT_SHARE, static_cast<CURLSH *>(m_options.share->handle()));
    if (!m_options.caBundle.isEmpty())
        curl_easy_setopt(easy, CURLOPT_CAINFO, m_options.caBundle.toLocal8Bit().constData());

    if (method == "HEAD") {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (method == "PUT" || method == "POST") {
        // Both go through the upload path so every body streams and Content-Length is always sent (also 0).
        if (!transfer->request.body)
            transfer->request.body = std::make_shared<MemoryBody>(QByteArray());
        curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(easy, CURLOPT_UPLOAD_BUFFERSIZE, m_options.uploadBufferSize);
        curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(transfer->request.body->size()));
        curl_easy_setopt(easy, CURLOPT_READFUNCTION, readBody);
        curl_easy_setopt(easy, CURLOPT_READDATA, transfer.get());
        curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, seekBody);
        curl_easy_setopt(easy, CURLOPT_SEEKDATA, transfer.get());
        if (method == "POST")
            curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "POST");
    } else {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.constData());
    }

    for (const auto &[name, value] : std::as_const(transfer->request.headers))
        transfer->headerList = curl_slist_append(transfer->headerList, (name + ": " + value).constData());
    // No "Expect: 100-continue" round trip per part; no Accept header nobody signed.
    transfer->headerList = curl_slist_append(transfer->headerList, "Expect:");
    transfer->headerList = curl_slist_append(transfer->headerList, "Accept:");
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headerList);

    const TransferId id = transfer->id;
    curl_multi_add_handle(static_cast<CURLM *>(m_multi), easy);
    m_transfers.emplace(easy, std::move(transfer));
    return id;
}

void CurlTransport::poll(int timeoutMs)
{
    auto *multi = static_cast<CURLM *>(m_multi);
    int running = 0;
    unpauseThrottled();
    curl_multi_perform(multi, &running);
    // Collect first, complete after: a completion may start new transfers.
    std::vector<std::pair<void *, int>> done;
    // A transfer that has just finished is handed over now, not after the others' next activity: waiting here
    // would add up to timeoutMs to every answer while other requests are still out.
    if (!collectFinished(done) && (running > 0 || m_transfers.empty())) {
        // Throttled transfers need another look once the bucket holds a write's worth again.
        curl_multi_poll(multi, nullptr, 0, int(std::min<qint64>(timeoutMs, throttledWaitMs())), nullptr);
        curl_multi_perform(multi, &running);
        collectFinished(done);
    }
    for (const auto &[easy, code] : done)
        complete(easy, code);
}

bool CurlTransport::collectFinished(std::vector<std::pair<void *, int>> &done)
{
    const size_t before = done.size();
    int queued = 0;
    while (CURLMsg *message = curl_multi_info_read(static_cast<CURLM *>(m_multi), &queued)) {
        if (message->msg == CURLMSG_DONE)
            done.push_back({message->easy_handle, int(message->data.result)});
    }
    return done.size() > before;
}

void CurlTransport::complete(void *easy, int result)
{
    // An earlier completion may have cancelled this transfer already.
    const auto it = m_transfers.find(easy);
    if (it == m_transfers.end())
        return;
    Transfer *transfer = it->second.get();
    long connects = 0;
    if (curl_easy_getinfo(transfer->easy, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK)
        m_connectionsOpened += connects;
    const auto code = CURLcode(result);
    if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
        transfer->response.status = int(status);
        ++m_responsesReceived;
        finish(transfer, std::move(transfer->response));
    } else if (transfer->bodyFailed) {
        finish(transfer, StorageError::localIo(transfer->request.body->errorString()));
    } else {
        const QString detail = transfer->errorBuffer[0] ? QString::fromUtf8(transfer->errorBuffer)
                                                        : QString::fromUtf8(curl_easy_strerror(code));
        const bool noConnection = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST
            || code == CURLE_COULDNT_RESOLVE_PROXY;
        finish(transfer,
            noConnection ? StorageError::unreachable(detail)
                         : StorageError::network(detail, code == CURLE_OPERATION_TIMEDOUT));
    }
}

void CurlTransport::finish(Transfer *transfer, StorageResult<HttpResponse> result)
{
    curl_multi_remove_handle(static_cast<CURLM *>(m_multi), transfer->easy);
    auto node = m_transfers.extract(transfer->easy);
    const Completion onDone = std::move(node.mapped()->onDone);
    const TransferId id = node.mapped()->id;
    node.mapped().reset();
    if (onDone)
        onDone(id, std::move(result));
}

void CurlTransport::cancelAll()
{
    while (!m_transfers.empty())
        finish(m_transfers.begin()->second.get(), StorageError::cancelled());
}

void CurlTransport::cancel(TransferId id)
{
    const auto it = std::find_if(
        m_transfers.begin(), m_transfers.end(), [id](const auto &entry) { return entry.second->id == id; });
    if (it != m_transfers.end())
        finish(it->second.get(), StorageError::cancelled());
}

qint64 CurlTransport::throttledWaitMs() const
{
    qint64 wait = std::numeric_limits<qint64>::max();
    for (const auto &[easy, transfer] : m_transfers) {
        if (transfer->throttled)
            wait = std::min<qint64>(wait, transfer->bandwidth->waitFor(BandwidthLimiter::kMinGrant).count());
    }
    return std::max<qint64>(1, wait);
}

void CurlTransport::unpauseThrottled()
{
    for (const auto &[easy, transfer] : m_transfers) {
        // Resumed only when the bucket can grant a write: resuming sooner only pauses it again at once.
        if (transfer->throttled && transfer->bandwidth->waitFor(BandwidthLimiter::kMinGrant).count() == 0) {
            transfer->throttled = false;
            curl_easy_pause(static_cast<CURL *>(easy), CURLPAUSE_CONT); // may pause again at once
        }
    }
}

void CurlTransport::wakeUp()
{
    curl_multi_wakeup(static_cast<CURLM *>(m_multi));
}

StorageResult<HttpResponse> CurlTransport::perform(HttpRequest request)
{
    std::optional<StorageResult<HttpResponse>> outcome;
    start(std::move(request),
        [&outcome](TransferId, StorageResult<HttpResponse> result) { outcome.emplace(std::move(result)); });
    while (!outcome)
        poll(1000);
    return std::move(*outcome);
}

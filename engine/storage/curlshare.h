#pragma once

#include <QMutex>

#include <array>

// A libcurl share handle for the DNS cache and TLS session ids, safe to use from many transports on many threads
// (one mutex per kind of data, as libcurl asks). Connections themselves are not shared: libcurl does not support
// sharing its connection cache between threads, so each CurlTransport keeps its own pool.
class CurlShare
{
public:
    CurlShare();
    ~CurlShare();
    CurlShare(const CurlShare &) = delete;
    CurlShare &operator=(const CurlShare &) = delete;

    void *handle() const { return m_share; } // CURLSH*

    // libcurl's lock callbacks; public only for them.
    void lock(int data);
    void unlock(int data);

private:
    void *m_share = nullptr;
    std::array<QMutex, 8> m_locks; // indexed by curl_lock_data (CURL_LOCK_DATA_LAST is 8 in 7.88)
};

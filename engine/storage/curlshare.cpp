#include "curlshare.h"

#include <curl/curl.h>

static_assert(CURL_LOCK_DATA_LAST <= 8, "CurlShare::m_locks needs one mutex per curl_lock_data");

namespace {

void lockShare(CURL *, curl_lock_data data, curl_lock_access, void *userData)
{
    static_cast<CurlShare *>(userData)->lock(int(data));
}

void unlockShare(CURL *, curl_lock_data data, void *userData)
{
    static_cast<CurlShare *>(userData)->unlock(int(data));
}

} // namespace

CurlShare::CurlShare()
    : m_share(curl_share_init())
{
    auto *share = static_cast<CURLSH *>(m_share);
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, lockShare);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, unlockShare);
    curl_share_setopt(share, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

CurlShare::~CurlShare()
{
    curl_share_cleanup(static_cast<CURLSH *>(m_share));
}

void CurlShare::lock(int data)
{
    m_locks[size_t(data)].lock();
}

void CurlShare::unlock(int data)
{
    m_locks[size_t(data)].unlock();
}

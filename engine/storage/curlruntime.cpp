#include "curlruntime.h"

#include <curl/curl.h>

CurlRuntime::CurlRuntime()
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

CurlRuntime::~CurlRuntime()
{
    curl_global_cleanup();
}

#pragma once

// libcurl's process-wide set-up and tear-down (curl_global_init / curl_global_cleanup). They are not thread-safe,
// so a program makes one of these in main() before any thread starts and keeps it until every transfer has ended;
// that keeps libcurl inside the storage layer instead of in every program's main().
class CurlRuntime
{
public:
    CurlRuntime();
    ~CurlRuntime();

    CurlRuntime(const CurlRuntime &) = delete;
    CurlRuntime &operator=(const CurlRuntime &) = delete;
};

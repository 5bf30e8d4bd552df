#pragma once

#include <QString>

#include <memory>

struct ssl_ctx_st;
struct ssl_st;

namespace StrictS3 {

// TLS for --tls: a test CA and a server certificate made at start-up, in memory (EC P-256, valid one day), for the
// names a test or a bench uses: localhost, *.localhost (OSS's virtual-hosted buckets) and 127.0.0.1. The CA
// certificate goes to a PEM file for the client's --ca-bundle; no private key ever touches the disk.
class TlsContext
{
public:
    ~TlsContext();
    // Null and *error set when OpenSSL refuses something or caPath cannot be written.
    static std::unique_ptr<TlsContext> create(const QString &caPath, QString *error);

    // A server-side TLS session over fd, handshake done (blocking, at most timeoutMs); null when it failed.
    ssl_st *accept(int fd, int timeoutMs) const;

private:
    TlsContext() = default;
    ssl_ctx_st *m_context = nullptr;
};

} // namespace StrictS3

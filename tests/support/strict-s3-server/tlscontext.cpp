#include "tlscontext.h"

#include <QFile>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <sys/socket.h>
#include <sys/time.h>

namespace StrictS3 {

namespace {

struct KeyDeleter
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct CertDeleter
{
    void operator()(X509 *cert) const { X509_free(cert); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using Cert = std::unique_ptr<X509, CertDeleter>;

Key newKey()
{
    return Key(EVP_EC_gen("P-256"));
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    if (!extension)
        return false;
    const bool added = X509_add_ext(cert, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

// A certificate for key, named commonName, signed by issuerKey (itself when issuer is null).
Cert makeCertificate(EVP_PKEY *key, const char *commonName, X509 *issuer, EVP_PKEY *issuerKey, long serial)
{
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(commonName), -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
    X509 *signer = issuer ? issuer : cert.get();
    const bool ca = issuer == nullptr;
    const bool ok = ca ? addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE")
            && addExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign")
            && addExtension(cert.get(), signer, NID_subject_key_identifier, "hash")
                       : addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(cert.get(), signer, NID_subject_alt_name, "DNS:localhost,DNS:*.localhost,IP:127.0.0.1")
            && addExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    if (!ok || X509_sign(cert.get(), issuerKey, EVP_sha256()) == 0)
        return nullptr;
    return cert;
}

bool writePem(const QString &path, X509 *cert)
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    QFile file(path);
    const bool ok = file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data, size) == size;
    BIO_free(bio);
    return ok;
}

} // namespace

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_context);
}

std::unique_ptr<TlsContext> TlsContext::create(const QString &caPath, QString *error)
{
    const Key caKey = newKey();
    const Key serverKey = newKey();
    if (!caKey || !serverKey) {
        *error = QStringLiteral("cannot generate TLS keys");
        return nullptr;
    }
    const Cert ca = makeCertificate(caKey.get(), "strict-s3-server test CA", nullptr, caKey.get(), 1);
    const Cert leaf = ca ? makeCertificate(serverKey.get(), "localhost", ca.get(), caKey.get(), 2) : nullptr;
    if (!leaf) {
        *error = QStringLiteral("cannot make the TLS certificates");
        return nullptr;
    }
    if (!writePem(caPath, ca.get())) {
        *error = QStringLiteral("cannot write the CA certificate to %1").arg(caPath);
        return nullptr;
    }
    std::unique_ptr<TlsContext> tls(new TlsContext);
    tls->m_context = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(tls->m_context, TLS1_2_VERSION);
    // Session resumption (tickets) on, as real endpoints do: a client that reconnects skips the full handshake.
    if (SSL_CTX_use_certificate(tls->m_context, leaf.get()) != 1
        || SSL_CTX_use_PrivateKey(tls->m_context, serverKey.get()) != 1) {
        *error = QStringLiteral("cannot load the TLS certificate");
        return nullptr;
    }
    return tls;
}

ssl_st *TlsContext::accept(int fd, int timeoutMs) const
{
    // The handshake is blocking: bound it, so a client that connects and says nothing cannot hold a thread.
    timeval limit{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    SSL *ssl = SSL_new(m_context);
    SSL_set_fd(ssl, fd);
    const bool ok = SSL_accept(ssl) == 1;
    timeval none{0, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
    if (!ok) {
        SSL_free(ssl);
        return nullptr;
    }
    return ssl;
}

} // namespace StrictS3

#include "hashing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace Hashing {

namespace {

QByteArray digest(const EVP_MD *md, QByteArrayView data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), size_t(data.size()), out, &length, md, nullptr);
    return QByteArray(reinterpret_cast<const char *>(out), int(length));
}

} // namespace

QByteArray sha256(QByteArrayView data)
{
    return digest(EVP_sha256(), data);
}

QByteArray sha256Hex(QByteArrayView data)
{
    return sha256(data).toHex();
}

QByteArray md5(QByteArrayView data)
{
    return digest(EVP_md5(), data);
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char *>(data.data()),
        size_t(data.size()), out, &length);
    return QByteArray(reinterpret_cast<const char *>(out), int(length));
}

struct StreamingDigest::Private
{
    const EVP_MD *md = nullptr;
    EVP_MD_CTX *ctx = nullptr;
};

StreamingDigest::StreamingDigest(Algorithm algorithm)
    : d(std::make_unique<Private>())
{
    d->md = algorithm == Algorithm::Md5 ? EVP_md5() : EVP_sha256();
    d->ctx = EVP_MD_CTX_new();
    reset();
}

StreamingDigest::~StreamingDigest()
{
    EVP_MD_CTX_free(d->ctx);
}

void StreamingDigest::reset()
{
    EVP_DigestInit_ex(d->ctx, d->md, nullptr);
}

void StreamingDigest::update(const void *data, size_t size)
{
    EVP_DigestUpdate(d->ctx, data, size);
}

QByteArray StreamingDigest::finish()
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(d->ctx, out, &length);
    return QByteArray(reinterpret_cast<const char *>(out), int(length));
}

} // namespace Hashing

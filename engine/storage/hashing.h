#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

// Hashing on OpenSSL EVP. Bulk data (part bodies) must go through these, never QCryptographicHash,
// which runs ~10x slower for SHA-256 on the machines we target.
namespace Hashing {

QByteArray sha256(QByteArrayView data); // raw 32 bytes
QByteArray sha256Hex(QByteArrayView data); // lower-case hex
QByteArray md5(QByteArrayView data); // raw 16 bytes
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data); // raw 32 bytes

// Incremental digest for streaming bodies. Not copyable; reset() starts over (curl may rewind a body).
class StreamingDigest
{
public:
    enum class Algorithm { Md5, Sha256 };
    explicit StreamingDigest(Algorithm algorithm);
    ~StreamingDigest();
    StreamingDigest(const StreamingDigest &) = delete;
    StreamingDigest &operator=(const StreamingDigest &) = delete;

    void reset();
    void update(const void *data, size_t size);
    QByteArray finish(); // raw digest; the object must be reset() before reuse

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Hashing

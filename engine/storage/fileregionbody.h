#pragma once

#include "bodysource.h"
#include "hashing.h"

#include <QByteArray>
#include <QString>

// Streams one region of a file (a part) straight from disk into libcurl's buffer, computing the MD5 (and, for OSS,
// the CRC-64/ECMA) on the way: memory stays at libcurl's upload buffer whatever the part size. The file descriptor
// is borrowed.
class FileRegionBody final : public BodySource
{
public:
    // None: the bytes are hashed elsewhere (RegionDigester, or before a single PutObject for its Content-MD5).
    enum class Checksums { None, Md5, Md5AndCrc64 };

    FileRegionBody(
        int fileDescriptor, qint64 offset, qint64 length, QString fileName, Checksums checksums = Checksums::Md5);

    qint64 size() const override { return m_length; }
    qint64 read(char *buffer, qint64 maxBytes) override;
    bool rewind() override;
    qint64 position() const override { return m_position; }
    QString errorString() const override { return m_error; }

    // Raw MD5 of the region; valid once every byte was read (position() == size()).
    QByteArray md5();
    // CRC-64/ECMA of the bytes read so far (of the region once position() == size()); 0 with Checksums::Md5.
    quint64 crc64() const { return m_crc64; }

private:
    int m_fd;
    qint64 m_offset;
    qint64 m_length;
    QString m_fileName;
    bool m_withMd5;
    bool m_withCrc64;
    quint64 m_crc64 = 0;
    qint64 m_position = 0;
    Hashing::StreamingDigest m_md5{Hashing::StreamingDigest::Algorithm::Md5};
    QByteArray m_digest;
    QString m_error;
};

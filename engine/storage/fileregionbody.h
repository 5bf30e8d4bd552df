#pragma once

#include "bodysource.h"
#include "hashing.h"

#include <QByteArray>
#include <QString>

// Streams one region of a file (a part) straight from disk into libcurl's buffer, computing the MD5 on the
// way: memory stays at libcurl's upload buffer whatever the part size. The file descriptor is borrowed.
class FileRegionBody final : public BodySource
{
public:
    FileRegionBody(int fileDescriptor, qint64 offset, qint64 length, QString fileName);

    qint64 size() const override { return m_length; }
    qint64 read(char *buffer, qint64 maxBytes) override;
    bool rewind() override;
    qint64 position() const override { return m_position; }
    QString errorString() const override { return m_error; }

    // Raw MD5 of the region; valid once every byte was read (position() == size()).
    QByteArray md5();

private:
    int m_fd;
    qint64 m_offset;
    qint64 m_length;
    QString m_fileName;
    qint64 m_position = 0;
    Hashing::StreamingDigest m_md5{Hashing::StreamingDigest::Algorithm::Md5};
    QByteArray m_digest;
    QString m_error;
};

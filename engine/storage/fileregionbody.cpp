#include "fileregionbody.h"

#include "crc64.h"

#include <QObject>

#include <cerrno>
#include <cstring>
#include <unistd.h>

FileRegionBody::FileRegionBody(int fileDescriptor, qint64 offset, qint64 length, QString fileName, Checksums checksums)
    : m_fd(fileDescriptor)
    , m_offset(offset)
    , m_length(length)
    , m_fileName(std::move(fileName))
    , m_withMd5(checksums != Checksums::None)
    , m_withCrc64(checksums == Checksums::Md5AndCrc64)
{ }

qint64 FileRegionBody::read(char *buffer, qint64 maxBytes)
{
    const qint64 wanted = qMin(maxBytes, m_length - m_position);
    qint64 done = 0;
    while (done < wanted) {
        const ssize_t n = ::pread(m_fd, buffer + done, size_t(wanted - done), off_t(m_offset + m_position + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            // A short read means the file shrank under us: never send a part that mixes old and new bytes.
            m_error = n < 0
                ? QObject::tr("cannot read %1: %2").arg(m_fileName, QString::fromLocal8Bit(std::strerror(errno)))
                : QObject::tr("%1 became shorter during the upload").arg(m_fileName);
            return -1;
        }
        done += n;
    }
    if (m_withMd5)
        m_md5.update(buffer, size_t(done));
    if (m_withCrc64)
        m_crc64 = Crc64::update(m_crc64, buffer, size_t(done));
    m_position += done;
    if (m_withMd5 && m_position == m_length && m_digest.isEmpty())
        m_digest = m_md5.finish();
    return done;
}

bool FileRegionBody::rewind()
{
    m_position = 0;
    m_digest.clear();
    m_md5.reset();
    m_crc64 = 0;
    return true;
}

QByteArray FileRegionBody::md5()
{
    if (m_length == 0 && m_digest.isEmpty())
        m_digest = m_md5.finish();
    return m_digest;
}

#pragma once

#include <QByteArray>
#include <QString>

#include <future>

// What a part's bytes on disk hash to.
struct RegionDigest
{
    QByteArray md5; // raw
    quint64 crc64 = 0; // CRC-64/ECMA, when asked for
    QString error; // non-empty: the region could not be read (the file shrank, an I/O error)
};

// Hashes regions of files on a small pool of threads (one per core), beside the transport thread that streams the
// same bytes to the network: one upload is then bounded by all cores' MD5, not one. The job reads the region a
// second time (from the page cache). It stays sound: a part counts only when the server's ETag equals this MD5, so
// the server holds exactly the bytes hashed here; a file that changes in between fails that check or the
// unchanged-file check before Complete.
class RegionDigester
{
public:
    // Starts hashing [offset, offset + length) of the file open as fd (duplicated: the caller may close fd at once).
    static std::future<RegionDigest> start(int fd, qint64 offset, qint64 length, const QString &fileName, bool crc64);
};

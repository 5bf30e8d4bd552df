#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>

#include <optional>

namespace StrictS3 {

// Where a named real server differs from AWS S3 in a way a client can trip over. `--quirk NAME` (repeatable, or
// comma-separated) turns one on; each is documented in README.md with the server it comes from and the test that
// drives the engine through it.
enum class Quirk {
    EmptyErrorMessage, // error documents carry an empty <Message></Message> (Ceph radosgw 16.2)
    EtagUnquoted, // ETag headers and <ETag> elements without the double quotes (NetApp ONTAP, some Ceph gateways)
    EtagUppercase, // ETags in upper-case hex (Alibaba OSS, also on its S3-compatible endpoint)
    ChecksumHeaders, // x-amz-checksum-crc32 / -type answers and <ChecksumCRC32> elements (AWS since 2025, MinIO)
    ErrorNoContentLength, // error answers without Content-Length, ended by closing the connection (some proxies)
    // ListParts, UploadPart and AbortMultipartUpload naming an upload the server does not have answer 404 NoSuchKey,
    // not NoSuchUpload (Ceph radosgw 16.2 after a lifecycle rule or an admin removed the upload)
    RgwNoSuchKeyListParts,
    EmptyCompleteEtag, // CompleteMultipartUpload answers <ETag></ETag>; HEAD gives the right ETag (radosgw 16.2)
    OpaqueMultipartEtag, // a multipart object's ETag is 32 random hex digits, not md5-of-md5s-N (SSE-KMS, SSE-C)
    CompleteErrorIn200, // the first Complete of each upload: 200, whitespace, then an <Error> (AWS documents it)
};

// The quirks turned on for one server run. A small bit set: quirks are few and read on every request.
class QuirkSet
{
public:
    [[nodiscard]] bool has(Quirk quirk) const { return (m_bits & bit(quirk)) != 0; }
    void add(Quirk quirk) { m_bits |= bit(quirk); }

    // The quirk a command-line name stands for, or nothing for an unknown name.
    [[nodiscard]] static std::optional<Quirk> fromName(QByteArrayView name);
    // Every name with its one-line description, for --help.
    [[nodiscard]] static QByteArray usage();

private:
    static unsigned bit(Quirk quirk) { return 1u << unsigned(quirk); }
    unsigned m_bits = 0;
};

} // namespace StrictS3

#include "quirks.h"

#include <array>

namespace StrictS3 {

namespace {

struct QuirkName
{
    Quirk quirk;
    const char *name;
    const char *description;
};

// One row per quirk: the name on the command line and what it does, for --help.
constexpr std::array kQuirkNames{
    QuirkName{Quirk::EmptyErrorMessage, "empty-error-message",
        "error documents carry an empty <Message> (Ceph radosgw 16.2)"},
    QuirkName{Quirk::EtagUnquoted, "etag-unquoted",
        "ETag headers and <ETag> elements without the double quotes (NetApp ONTAP listings, some Ceph gateways)"},
    QuirkName{Quirk::EtagUppercase, "etag-uppercase", "ETags in upper-case hex (Alibaba OSS, also its S3 endpoint)"},
    QuirkName{Quirk::ChecksumHeaders, "checksum-headers",
        "x-amz-checksum-crc32 and x-amz-checksum-type: FULL_OBJECT on PutObject/UploadPart/Complete answers, "
        "<ChecksumCRC32> in ListParts and Complete (AWS S3 since 2025, MinIO)"},
    QuirkName{Quirk::ErrorNoContentLength, "error-no-content-length",
        "error answers carry no Content-Length; the body ends when the server closes the connection (proxies)"},
    QuirkName{Quirk::RgwNoSuchKeyListParts, "rgw-nosuchkey-listparts",
        "ListParts, UploadPart and Abort on an upload id the server does not have answer 404 NoSuchKey, not "
        "NoSuchUpload (Ceph radosgw 16.2)"},
    QuirkName{Quirk::EmptyCompleteEtag, "empty-complete-etag",
        "CompleteMultipartUpload answers <ETag></ETag>; HEAD gives the right ETag (Ceph radosgw 16.2)"},
    QuirkName{Quirk::OpaqueMultipartEtag, "opaque-multipart-etag",
        "a multipart object's ETag (Complete, HEAD, listings) is 32 random hex digits, not md5-of-md5s-N "
        "(AWS with SSE-KMS or SSE-C, servers with their own scheme)"},
    QuirkName{Quirk::CompleteErrorIn200, "complete-error-in-200",
        "the first CompleteMultipartUpload of each upload answers 200 with whitespace then an InternalError "
        "<Error> and completes nothing (AWS documents this)"},
};

} // namespace

std::optional<Quirk> QuirkSet::fromName(QByteArrayView name)
{
    for (const QuirkName &row : kQuirkNames) {
        if (name == QByteArrayView(row.name))
            return row.quirk;
    }
    return std::nullopt;
}

QByteArray QuirkSet::usage()
{
    QByteArray text;
    for (const QuirkName &row : kQuirkNames)
        text += QByteArray("      ") + row.name + ": " + row.description + '\n';
    return text;
}

} // namespace StrictS3

#pragma once

#include "core/awscredentials.h"
#include "curltransport.h"
#include "endpointprofile.h"
#include "requestauthorizer.h"
#include "s3xml.h"

#include <QString>

#include <memory>
#include <optional>

struct ObjectInfo
{
    qint64 size = 0;
    QByteArray etag; // quotes stripped
    std::optional<quint64> crc64; // OSS: x-oss-hash-crc64ecma of the object
};

// The S3 protocol, or Alibaba OSS's native one (same operations and XML, x-oss-* headers, OSS signatures), over a
// CurlTransport: builds and signs requests (RequestAuthorizer), and turns responses into typed results. Blocking calls
// run the transport on the caller's thread; part uploads are built here and driven by MultipartUploader. Knows nothing
// of episodes.
class S3Client
{
public:
    S3Client(EndpointProfile profile, const AwsCredentials &credentials, CurlTransport &transport);

    const EndpointProfile &profile() const { return m_profile; }
    CurlTransport &transport() { return m_transport; }

    StorageResult<void> headBucket(const QString &bucket);
    StorageResult<ObjectInfo> headObject(const QString &bucket, const QString &key);
    StorageResult<QByteArray> getObject(const QString &bucket, const QString &key); // small objects and tests
    StorageResult<QString> createMultipartUpload(const QString &bucket, const QString &key);
    StorageResult<S3Xml::ListPartsPage> listPartsPage(
        const QString &bucket, const QString &key, const QString &uploadId, int partNumberMarker, int maxParts);
    // Every page, in order.
    StorageResult<QList<S3Xml::ListedPart>> listParts(
        const QString &bucket, const QString &key, const QString &uploadId);
    StorageResult<QList<S3Xml::MultipartUploadEntry>> listMultipartUploads(
        const QString &bucket, const QString &prefix);
    // The result's crc64 is the server's x-oss-hash-crc64ecma of the whole object (OSS), or nullopt.
    StorageResult<S3Xml::CompleteResult> completeMultipartUpload(
        const QString &bucket, const QString &key, const QString &uploadId, const QList<CompletedPart> &parts);
    // One PutObject of a small in-memory body with Content-MD5; returns the verified ETag.
    StorageResult<QByteArray> putSmallObject(
        const QString &bucket, const QString &key, const QByteArray &data, const QByteArray &contentType);
    StorageResult<void> deleteObject(const QString &bucket, const QString &key);
    StorageResult<void> abortMultipartUpload(const QString &bucket, const QString &key, const QString &uploadId);

    // The same operations split in two for callers that drive many requests at once (MultipartUploader): the signed
    // request to run with transport().start(), and the parser of its answer (a transport error or non-2xx answer
    // comes back as its StorageError).
    static constexpr int kListPartsPageSize = 1000;
    HttpRequest headObjectRequest(const QString &bucket, const QString &key);
    static StorageResult<ObjectInfo> parseHeadObject(const StorageResult<HttpResponse> &answer);
    HttpRequest createMultipartUploadRequest(const QString &bucket, const QString &key);
    static StorageResult<QString> parseCreateMultipartUpload(const StorageResult<HttpResponse> &answer);
    HttpRequest listPartsRequest(
        const QString &bucket, const QString &key, const QString &uploadId, int partNumberMarker, int maxParts);
    static StorageResult<S3Xml::ListPartsPage> parseListPartsPage(const StorageResult<HttpResponse> &answer);
    // The part-number marker of the page after this one (asked for with marker), nullopt after the last page, or a
    // protocol error when the server's paging does not advance.
    static StorageResult<std::optional<int>> nextListPartsMarker(const S3Xml::ListPartsPage &page, int marker);
    HttpRequest completeMultipartUploadRequest(
        const QString &bucket, const QString &key, const QString &uploadId, const QList<CompletedPart> &parts);
    static StorageResult<S3Xml::CompleteResult> parseCompleteMultipartUpload(const StorageResult<HttpResponse> &answer);
    HttpRequest abortMultipartUploadRequest(const QString &bucket, const QString &key, const QString &uploadId);

    // Requests whose body streams from disk; the caller runs them with transport().start().
    // Part bodies are UNSIGNED-PAYLOAD: their integrity is the MD5 compared with the returned ETag.
    HttpRequest uploadPartRequest(const QString &bucket, const QString &key, const QString &uploadId, int partNumber,
        std::shared_ptr<BodySource> body);
    HttpRequest putObjectRequest(
        const QString &bucket, const QString &key, std::shared_ptr<BodySource> body, const QByteArray &md5);

    // OSS: the CRC-64/ECMA the server computed over what it stored (x-oss-hash-crc64ecma); nullopt when the response
    // has none or it does not parse.
    static std::optional<quint64> serverCrc64(const HttpResponse &response);

    // OSS: an integrity error when the server's CRC-64 of what it stored differs from the CRC-64 of what was sent
    // (what names the part or object in the message). A response without the header passes: the MD5/ETag check
    // still applies. S3 endpoints always pass. The x-amz-checksum-* headers AWS (since 2025) and MinIO add unasked are
    // deliberately not checked: the ETag is already the MD5 of every byte the server stored and is compared with the
    // MD5 of what was sent, so a CRC-32 of the same bytes would catch nothing more and cost another pass per part.
    StorageResult<void> verifyCrc64(const HttpResponse &response, quint64 sent, const QString &what) const;

    // The ETag of a successful PUT (part or object), or the StorageError the response stands for.
    static StorageResult<QByteArray> etagOf(const StorageResult<HttpResponse> &response);
    // Turns a non-2xx response into its StorageError; 2xx into success.
    static StorageResult<HttpResponse> checked(StorageResult<HttpResponse> response);

private:
    HttpRequest makeRequest(const QByteArray &method, const QString &bucket, const QString &key, HeaderList query,
        HeaderList headers, std::shared_ptr<BodySource> body, const QByteArray &payloadHash);
    HttpRequest makeXmlRequest(const QByteArray &method, const QString &bucket, const QString &key, HeaderList query,
        const QByteArray &xml = {});

    EndpointProfile m_profile;
    std::unique_ptr<RequestAuthorizer> m_authorizer;
    CurlTransport &m_transport;
};

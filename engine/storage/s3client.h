#pragma once

#include "awscredentials.h"
#include "curltransport.h"
#include "endpointprofile.h"
#include "s3xml.h"
#include "sigv4signer.h"

#include <QString>

struct ObjectInfo
{
    qint64 size = 0;
    QByteArray etag; // quotes stripped
};

// The S3 protocol over a CurlTransport: builds and signs requests (SigV4 header auth), and turns responses into
// typed results. Blocking calls run the transport on the caller's thread; part uploads are built here and
// driven by MultipartUploader. Knows nothing of episodes.
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
    StorageResult<S3Xml::CompleteResult> completeMultipartUpload(
        const QString &bucket, const QString &key, const QString &uploadId, const QList<CompletedPart> &parts);
    // One PutObject of a small in-memory body with Content-MD5; returns the verified ETag.
    StorageResult<QByteArray> putSmallObject(
        const QString &bucket, const QString &key, const QByteArray &data, const QByteArray &contentType);
    StorageResult<void> deleteObject(const QString &bucket, const QString &key);
    StorageResult<void> abortMultipartUpload(const QString &bucket, const QString &key, const QString &uploadId);

    // Requests whose body streams from disk; the caller runs them with transport().start().
    // Part bodies are UNSIGNED-PAYLOAD: their integrity is the MD5 compared with the returned ETag.
    HttpRequest uploadPartRequest(const QString &bucket, const QString &key, const QString &uploadId, int partNumber,
        std::shared_ptr<BodySource> body);
    HttpRequest putObjectRequest(
        const QString &bucket, const QString &key, std::shared_ptr<BodySource> body, const QByteArray &md5);

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
    SigV4Signer m_signer;
    CurlTransport &m_transport;
};

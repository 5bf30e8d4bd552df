#include "s3client.h"

#include "crc64.h"
#include "hashing.h"
#include "memorybody.h"

namespace {

const QByteArray kUnsignedPayload = "UNSIGNED-PAYLOAD";

QByteArray encodedQuery(const HeaderList &query)
{
    QByteArrayList items;
    for (const auto &[name, value] : query) {
        const QByteArray encodedName = SigV4Signer::uriEncode(name, false);
        // A bare name ("?uploads") is what S3 documents; it signs as "uploads=".
        items.append(value.isEmpty() ? encodedName : encodedName + '=' + SigV4Signer::uriEncode(value, false));
    }
    return items.isEmpty() ? QByteArray() : '?' + items.join('&');
}

} // namespace

S3Client::S3Client(EndpointProfile profile, const AwsCredentials &credentials, CurlTransport &transport)
    : m_profile(std::move(profile))
    , m_authorizer(RequestAuthorizer::create(m_profile, credentials))
    , m_transport(transport)
{ }

HttpRequest S3Client::makeRequest(const QByteArray &method, const QString &bucket, const QString &key, HeaderList query,
    HeaderList headers, std::shared_ptr<BodySource> body, const QByteArray &payloadHash)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    headers.emplaceBack("host", m_profile.hostFor(bucket));
    const RequestAuthorizer::Request signing{method, bucket, key, m_profile.pathFor(bucket, key), query, payloadHash};
    m_authorizer->authorize(signing, headers, now);

    HttpRequest request;
    request.method = method;
    request.url = m_profile.endpoint.scheme().toLatin1() + "://" + m_profile.hostFor(bucket)
        + SigV4Signer::uriEncode(signing.path, true) + encodedQuery(query);
    request.headers = std::move(headers);
    request.body = std::move(body);
    return request;
}

HttpRequest S3Client::makeXmlRequest(
    const QByteArray &method, const QString &bucket, const QString &key, HeaderList query, const QByteArray &xml)
{
    HeaderList headers;
    std::shared_ptr<BodySource> body;
    if (!xml.isEmpty()) {
        headers.emplaceBack("content-type", "application/xml");
        headers.emplaceBack("content-md5", Hashing::md5(xml).toBase64());
        body = std::make_shared<MemoryBody>(xml);
    }
    return makeRequest(
        method, bucket, key, std::move(query), std::move(headers), std::move(body), Hashing::sha256Hex(xml));
}

StorageResult<HttpResponse> S3Client::checked(StorageResult<HttpResponse> response)
{
    if (!response)
        return response;
    const HttpResponse &http = response.value();
    if (http.status >= 200 && http.status < 300)
        return response;
    QByteArray requestId = http.header("x-amz-request-id");
    if (requestId.isEmpty())
        requestId = http.header("x-oss-request-id");
    return StorageError::fromHttpResponse(
        http.status, http.body, requestId, http.header("retry-after"), http.header("x-oss-ec"));
}

std::optional<quint64> S3Client::serverCrc64(const HttpResponse &response)
{
    const QByteArray value = response.header("x-oss-hash-crc64ecma").trimmed();
    bool ok = false;
    const quint64 crc = value.toULongLong(&ok, 10); // OSS sends the CRC as an unsigned decimal
    return ok ? std::optional<quint64>(crc) : std::nullopt;
}

StorageResult<void> S3Client::verifyCrc64(const HttpResponse &response, quint64 sent, const QString &what) const
{
    if (!m_profile.isOss())
        return {};
    const std::optional<quint64> stored = serverCrc64(response);
    if (stored && *stored != sent) {
        return StorageError::integrity(
            QObject::tr("%1: the server's CRC-64 %2 does not match the CRC-64 %3 of what was sent")
                .arg(what)
                .arg(*stored)
                .arg(sent));
    }
    return {};
}

StorageResult<QByteArray> S3Client::etagOf(const StorageResult<HttpResponse> &response)
{
    StorageResult<HttpResponse> result = checked(response);
    if (!result)
        return result.error();
    const QByteArray etag = S3Xml::normalizeEtag(result.value().header("etag"));
    if (etag.isEmpty())
        return StorageError::protocol(QObject::tr("the server acknowledged the upload without an ETag"));
    return etag;
}

StorageResult<void> S3Client::headBucket(const QString &bucket)
{
    const auto response = checked(m_transport.perform(makeXmlRequest("HEAD", bucket, {}, {})));
    if (!response)
        return response.error();
    return {};
}

HttpRequest S3Client::headObjectRequest(const QString &bucket, const QString &key)
{
    return makeXmlRequest("HEAD", bucket, key, {});
}

StorageResult<ObjectInfo> S3Client::parseHeadObject(const StorageResult<HttpResponse> &answer)
{
    const auto response = checked(answer);
    if (!response)
        return response.error();
    return ObjectInfo{response.value().header("content-length").toLongLong(),
        S3Xml::normalizeEtag(response.value().header("etag")), serverCrc64(response.value())};
}

StorageResult<ObjectInfo> S3Client::headObject(const QString &bucket, const QString &key)
{
    return parseHeadObject(m_transport.perform(headObjectRequest(bucket, key)));
}

StorageResult<QByteArray> S3Client::getObject(const QString &bucket, const QString &key)
{
    const auto response = checked(m_transport.perform(makeXmlRequest("GET", bucket, key, {})));
    if (!response)
        return response.error();
    return response.value().body;
}

HttpRequest S3Client::createMultipartUploadRequest(const QString &bucket, const QString &key)
{
    return makeXmlRequest("POST", bucket, key, {{"uploads", {}}});
}

StorageResult<QString> S3Client::parseCreateMultipartUpload(const StorageResult<HttpResponse> &answer)
{
    const auto response = checked(answer);
    if (!response)
        return response.error();
    return S3Xml::parseInitiateMultipartUpload(response.value().body);
}

StorageResult<QString> S3Client::createMultipartUpload(const QString &bucket, const QString &key)
{
    return parseCreateMultipartUpload(m_transport.perform(createMultipartUploadRequest(bucket, key)));
}

HttpRequest S3Client::listPartsRequest(
    const QString &bucket, const QString &key, const QString &uploadId, int partNumberMarker, int maxParts)
{
    HeaderList query{{"uploadId", uploadId.toUtf8()}, {"max-parts", QByteArray::number(maxParts)}};
    if (partNumberMarker > 0)
        query.emplaceBack("part-number-marker", QByteArray::number(partNumberMarker));
    return makeXmlRequest("GET", bucket, key, query);
}

StorageResult<S3Xml::ListPartsPage> S3Client::parseListPartsPage(const StorageResult<HttpResponse> &answer)
{
    const auto response = checked(answer);
    if (!response)
        return response.error();
    return S3Xml::parseListParts(response.value().body);
}

StorageResult<S3Xml::ListPartsPage> S3Client::listPartsPage(
    const QString &bucket, const QString &key, const QString &uploadId, int partNumberMarker, int maxParts)
{
    return parseListPartsPage(m_transport.perform(listPartsRequest(bucket, key, uploadId, partNumberMarker, maxParts)));
}

StorageResult<QList<S3Xml::ListedPart>> S3Client::listParts(
    const QString &bucket, const QString &key, const QString &uploadId)
{
    QList<S3Xml::ListedPart> parts;
    int marker = 0;
    for (;;) {
        auto page = listPartsPage(bucket, key, uploadId, marker, kListPartsPageSize);
        if (!page)
            return page.error();
        parts += page.value().parts;
        const auto next = nextListPartsMarker(page.value(), marker);
        if (!next)
            return next.error();
        if (!next.value())
            return parts;
        marker = *next.value();
    }
}

StorageResult<std::optional<int>> S3Client::nextListPartsMarker(const S3Xml::ListPartsPage &page, int marker)
{
    if (!page.isTruncated)
        return std::optional<int>();
    if (page.nextPartNumberMarker <= marker)
        return StorageError::protocol(QObject::tr("ListParts paging does not advance"));
    return std::optional<int>(page.nextPartNumberMarker);
}

StorageResult<QList<S3Xml::MultipartUploadEntry>> S3Client::listMultipartUploads(
    const QString &bucket, const QString &prefix)
{
    HeaderList query{{"uploads", {}}};
    if (!prefix.isEmpty())
        query.emplaceBack("prefix", prefix.toUtf8());
    const auto response = checked(m_transport.perform(makeXmlRequest("GET", bucket, {}, query)));
    if (!response)
        return response.error();
    return S3Xml::parseListMultipartUploads(response.value().body);
}

HttpRequest S3Client::completeMultipartUploadRequest(
    const QString &bucket, const QString &key, const QString &uploadId, const QList<CompletedPart> &parts)
{
    return makeXmlRequest(
        "POST", bucket, key, {{"uploadId", uploadId.toUtf8()}}, S3Xml::buildCompleteMultipartUpload(parts));
}

StorageResult<S3Xml::CompleteResult> S3Client::parseCompleteMultipartUpload(const StorageResult<HttpResponse> &answer)
{
    const auto response = checked(answer);
    if (!response)
        return response.error();
    auto result = S3Xml::parseCompleteMultipartUpload(response.value().body);
    if (result)
        result.value().crc64 = serverCrc64(response.value());
    return result;
}

StorageResult<S3Xml::CompleteResult> S3Client::completeMultipartUpload(
    const QString &bucket, const QString &key, const QString &uploadId, const QList<CompletedPart> &parts)
{
    return parseCompleteMultipartUpload(
        m_transport.perform(completeMultipartUploadRequest(bucket, key, uploadId, parts)));
}

StorageResult<QByteArray> S3Client::putSmallObject(
    const QString &bucket, const QString &key, const QByteArray &data, const QByteArray &contentType)
{
    const QByteArray md5 = Hashing::md5(data);
    HeaderList headers{{"content-md5", md5.toBase64()}, {"content-type", contentType}};
    const auto response = m_transport.perform(makeRequest(
        "PUT", bucket, key, {}, std::move(headers), std::make_shared<MemoryBody>(data), Hashing::sha256Hex(data)));
    auto etag = etagOf(response);
    if (etag && etag.value() != md5.toHex())
        return StorageError::integrity(QObject::tr("%1: the server's ETag does not match what was sent").arg(key));
    if (etag) {
        if (auto crc = verifyCrc64(response.value(), Crc64::compute(data), key); !crc)
            return crc.error();
    }
    return etag;
}

StorageResult<void> S3Client::deleteObject(const QString &bucket, const QString &key)
{
    const auto response = checked(m_transport.perform(makeXmlRequest("DELETE", bucket, key, {})));
    if (!response)
        return response.error();
    return {};
}

HttpRequest S3Client::abortMultipartUploadRequest(const QString &bucket, const QString &key, const QString &uploadId)
{
    return makeXmlRequest("DELETE", bucket, key, {{"uploadId", uploadId.toUtf8()}});
}

StorageResult<void> S3Client::abortMultipartUpload(const QString &bucket, const QString &key, const QString &uploadId)
{
    const auto response = checked(m_transport.perform(abortMultipartUploadRequest(bucket, key, uploadId)));
    if (!response)
        return response.error();
    return {};
}

HttpRequest S3Client::uploadPartRequest(const QString &bucket, const QString &key, const QString &uploadId,
    int partNumber, std::shared_ptr<BodySource> body)
{
    const HeaderList query{{"partNumber", QByteArray::number(partNumber)}, {"uploadId", uploadId.toUtf8()}};
    return makeRequest("PUT", bucket, key, query, {}, std::move(body), kUnsignedPayload);
}

HttpRequest S3Client::putObjectRequest(
    const QString &bucket, const QString &key, std::shared_ptr<BodySource> body, const QByteArray &md5)
{
    return makeRequest("PUT", bucket, key, {}, {{"content-md5", md5.toBase64()}}, std::move(body), kUnsignedPayload);
}

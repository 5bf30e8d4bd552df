#include "s3requesthandler.h"

#include "s3util.h"

#include <storage/crc64.h>
#include <storage/hashing.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <zlib.h>

namespace StrictS3 {

namespace {

constexpr auto kNamespace = "http://s3.amazonaws.com/doc/2006-03-01/";
constexpr qint64 kMaxObjectSize = 5LL * 1024 * 1024 * 1024; // S3's single PUT / part limit
constexpr qint64 kMaxSmallBody = 16 * 1024 * 1024; // XML / JSON request bodies
const QByteArray kOwnerId = "6b657973746f6e652d7374726963742d6f776e6572";

std::atomic<quint64> g_requestCounter{0};

QByteArray newRequestId()
{
    static const QByteArray prefix = S3Util::randomHex(4).toUpper();
    return prefix + QByteArray::number(++g_requestCounter, 16).toUpper().rightJustified(8, '0');
}

// x-amz-checksum-crc32 / <ChecksumCRC32>: the base64 of the CRC-32's four bytes, most significant first, as AWS sends.
QByteArray crc32Base64(quint32 crc)
{
    const char bytes[4] = {char(crc >> 24), char(crc >> 16), char(crc >> 8), char(crc)};
    return QByteArray(bytes, 4).toBase64();
}

// Sub-resources S3 has but this server does not implement: refused instead of being mistaken for a
// plain object/bucket operation.
const QByteArrayList kUnsupportedSubresources = {"acl", "tagging", "versioning", "versions", "versionId", "policy",
    "cors", "lifecycle", "logging", "notification", "replication", "website", "encryption", "object-lock", "retention",
    "legal-hold", "restore", "select", "torrent", "attributes", "accelerate", "analytics", "inventory", "metrics",
    "ownershipControls", "publicAccessBlock", "requestPayment", "intelligent-tiering", "policyStatus", "delete"};

bool validBucketName(const QByteArray &name)
{
    if (name.size() < 3 || name.size() > 63)
        return false;
    for (const char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
            return false;
    }
    const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    return alnum(name.front()) && alnum(name.back()) && !name.contains("..");
}

bool parseNonNegative(const QByteArray &text, qint64 *value)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    *value = text.toLongLong();
    return true;
}

class XmlDoc
{
public:
    explicit XmlDoc(const char *root)
        : m_writer(&m_xml)
    {
        m_writer.writeStartDocument();
        m_writer.writeStartElement(QString::fromLatin1(root));
        m_writer.writeDefaultNamespace(QString::fromLatin1(kNamespace));
    }
    void element(const char *name, const QByteArray &value)
    {
        m_writer.writeTextElement(QString::fromLatin1(name), QString::fromUtf8(value));
    }
    void start(const char *name) { m_writer.writeStartElement(QString::fromLatin1(name)); }
    void end() { m_writer.writeEndElement(); }
    void owner(const char *name)
    {
        start(name);
        element("ID", kOwnerId);
        element("DisplayName", "keystone");
        end();
    }
    QByteArray finish()
    {
        m_writer.writeEndDocument();
        return m_xml;
    }

private:
    QByteArray m_xml;
    QXmlStreamWriter m_writer;
};

} // namespace

bool S3RequestHandler::Context::hasQuery(QByteArrayView name) const
{
    for (const auto &q : query) {
        if (q.first == name)
            return true;
    }
    return false;
}

QByteArray S3RequestHandler::Context::queryValue(QByteArrayView name) const
{
    for (const auto &q : query) {
        if (q.first == name)
            return q.second;
    }
    return {};
}

S3RequestHandler::S3RequestHandler(int fd, const TlsContext *tls, const ServerConfig &config, ObjectStore &store,
    FaultInjector &faults, const Dialect &dialect, const std::atomic<bool> &stopping)
    : m_connection(fd, stopping, tls)
    , m_config(config)
    , m_store(store)
    , m_faults(faults)
    , m_dialect(dialect)
    , m_stopping(stopping)
    , m_buffer(1 << 20)
{ }

void S3RequestHandler::run()
{
    if (!m_connection.handshake())
        return;
    while (!m_stopping.load()) {
        Context c;
        const HttpConnection::HeadResult result = m_connection.readRequestHead(c.request);
        if (result == HttpConnection::HeadResult::Closed)
            return;
        c.requestId = newRequestId();
        if (result != HttpConnection::HeadResult::Ok) {
            const bool tooLarge = result == HttpConnection::HeadResult::TooLarge;
            respondError(c,
                tooLarge ? S3Error::make(400, "RequestHeaderSectionTooLarge",
                    "Your request header section exceeds the maximum allowed size.")
                         : S3Error::make(400, "BadRequest", "Malformed HTTP request head."),
                true);
            return;
        }
        if (!handle(c))
            return;
    }
}

void S3RequestHandler::route(Context &c) const
{
    const QByteArray &m = c.request.method;
    for (const auto &q : c.query) {
        if (kUnsupportedSubresources.contains(q.first)) {
            c.op = "Unsupported";
            return;
        }
    }
    if (c.bucket.isEmpty()) {
        c.op = m == "GET" ? "ListBuckets" : "Unsupported";
    } else if (c.key.isEmpty()) {
        if (m == "PUT")
            c.op = "CreateBucket";
        else if (m == "HEAD")
            c.op = "HeadBucket";
        else if (m == "DELETE")
            c.op = "DeleteBucket";
        else if (m == "GET" && c.hasQuery("uploads"))
            c.op = "ListMultipartUploads";
        else if (m == "GET" && c.hasQuery("location"))
            c.op = "GetBucketLocation";
        else if (m == "GET")
            c.op = c.queryValue("list-type") == "2" ? "ListObjectsV2" : "ListObjects";
        else
            c.op = "Unsupported";
    } else {
        const bool copy = c.request.hasHeader("x-amz-copy-source");
        if (m == "PUT" && c.hasQuery("uploadId"))
            c.op = copy ? "Unsupported" : "UploadPart";
        else if (m == "PUT")
            c.op = copy ? "Unsupported" : "PutObject";
        else if (m == "GET" && c.hasQuery("uploadId"))
            c.op = "ListParts";
        else if ((m == "GET" || m == "HEAD") && c.hasQuery("partNumber"))
            c.op = "Unsupported";
        else if (m == "GET")
            c.op = "GetObject";
        else if (m == "HEAD")
            c.op = "HeadObject";
        else if (m == "DELETE" && c.hasQuery("uploadId"))
            c.op = "AbortMultipartUpload";
        else if (m == "DELETE")
            c.op = "DeleteObject";
        else if (m == "POST" && c.hasQuery("uploads"))
            c.op = "CreateMultipartUpload";
        else if (m == "POST" && c.hasQuery("uploadId"))
            c.op = "CompleteMultipartUpload";
        else
            c.op = "Unsupported";
    }
}

bool S3RequestHandler::handle(Context &c)
{
    HttpRequest &r = c.request;
    c.head = r.method == "HEAD";
    c.expectContinue = r.header("Expect").compare("100-continue", Qt::CaseInsensitive) == 0;
    m_connection.setBodyLength(0);

    // Framing first: without a usable Content-Length the connection cannot be kept in sync.
    if (r.hasHeader("Transfer-Encoding")) {
        return respondError(c,
            S3Error::make(501, "NotImplemented",
                "Transfer-Encoding request bodies (chunked) are not supported by "
                "strict-s3-server; send a Content-Length body."),
            true);
    }
    qint64 contentLength = 0;
    const bool hasLength = r.hasHeader("Content-Length");
    if (hasLength && !parseNonNegative(r.header("Content-Length"), &contentLength))
        return respondError(c, S3Error::make(400, "BadRequest", "Invalid Content-Length."), true);
    m_connection.setBodyLength(contentLength);

    const qsizetype question = r.target.indexOf('?');
    const QByteArray rawPath = question < 0 ? r.target : r.target.left(question);
    const QByteArray rawQuery = question < 0 ? QByteArray() : r.target.mid(question + 1);
    if (!rawPath.startsWith('/') || !S3Util::percentDecode(rawPath, &c.path))
        return respondError(c, S3Error::make(400, "InvalidURI", "Couldn't parse the specified URI."));
    for (const QByteArray &item : rawQuery.split('&')) {
        if (item.isEmpty())
            continue;
        const qsizetype eq = item.indexOf('=');
        QByteArray name, value;
        if (!S3Util::percentDecode(eq < 0 ? item : item.left(eq), &name)
            || !S3Util::percentDecode(eq < 0 ? QByteArray() : item.mid(eq + 1), &value))
            return respondError(c, S3Error::make(400, "InvalidURI", "Couldn't parse the specified URI."));
        c.query.append({name, value});
    }

    if (c.path.startsWith("/__keystone/"))
        return handleControl(c);

    if (const S3Error addressError = m_dialect.address(r, c.path, &c.bucket, &c.key); addressError.isError()) {
        m_faults.countRequest("Unsupported");
        return respondError(c, addressError);
    }
    route(c);
    if (c.op == "UploadPart") {
        qint64 n = -1;
        c.partNumber = parseNonNegative(c.queryValue("partNumber"), &n) && n <= 100000 ? int(n) : -1;
    }
    m_faults.countRequest(c.op);

    const S3Error authError
        = m_dialect.authenticate(r, c.path, c.bucket, c.key, c.query, QDateTime::currentDateTimeUtc());
    if (authError.isError())
        return respondError(c, authError);
    m_faults.countAuthenticated(S3Util::accessKeyIdOf(r.header("Authorization")), c.op);
    if (FaultInjector::isUploadOp(c.op)) {
        c.inFlight = m_faults.beginUpload(c.op, c.key);
        if (c.op == "UploadPart")
            m_faults.countPartAttempt(c.bucket + '/' + c.key, c.partNumber);
    }
    if (c.op == "Unsupported") {
        if (r.method != "GET" && r.method != "PUT" && r.method != "HEAD" && r.method != "DELETE" && r.method != "POST")
            return respondError(c,
                S3Error::make(405, "MethodNotAllowed", "The specified method is not allowed against this resource."));
        return respondError(c,
            S3Error::make(501, "NotImplemented",
                "A header or query you provided implies functionality that "
                "strict-s3-server does not implement."));
    }
    if (!checkPayloadHeaders(c))
        return false;
    if (!c.bucket.isEmpty() && !validBucketName(c.bucket))
        return respondError(c, S3Error::make(400, "InvalidBucketName", "The specified bucket is not valid."));
    if (c.key.size() > 1024)
        return respondError(c, S3Error::make(400, "KeyTooLongError", "Your key is too long"));

    if (const auto fault = m_faults.take(c.op, c.partNumber)) {
        switch (fault->action) {
        case FaultInjector::Action::Status: {
            S3Error e = S3Error::make(fault->status, fault->code, fault->message);
            if (fault->retryAfter >= 0)
                c.extraHeaders.append({"Retry-After", QByteArray::number(fault->retryAfter)});
            if (fault->process) {
                c.lostAnswer = e; // carried out below; only the answer is lost
                break;
            }
            // The body is consumed (after 100-continue) so the connection stays usable, as S3 does.
            if (c.expectContinue && m_connection.bodyRemaining() > 0) {
                if (!m_connection.sendContinue())
                    return false;
                c.continueSent = true;
            }
            return respondError(c, e);
        }
        case FaultInjector::Action::Reset: {
            if (c.expectContinue && m_connection.bodyRemaining() > 0 && !m_connection.sendContinue())
                return false;
            qint64 remaining = std::min(fault->afterBytes, m_connection.bodyRemaining());
            while (remaining > 0) {
                const qint64 n = m_connection.readBody(m_buffer.data(), std::min<qint64>(remaining, 65536));
                if (n < 0)
                    break;
                remaining -= n;
            }
            m_connection.reset();
            return false;
        }
        case FaultInjector::Action::Stall:
            c.stallMs = fault->stallMs;
            break;
        case FaultInjector::Action::WrongEtag:
            c.wrongEtag = true;
            break;
        case FaultInjector::Action::CrcMismatch:
            c.wrongCrc = true;
            break;
        case FaultInjector::Action::Garbled: {
            if (fault->process) {
                c.garbledAnswer = fault->body; // carried out below; the answer is a 200 that says nothing usable
                break;
            }
            if (c.expectContinue && m_connection.bodyRemaining() > 0) {
                if (!m_connection.sendContinue())
                    return false;
                c.continueSent = true;
            }
            HttpResponse garbled;
            garbled.body = fault->body;
            return sendHead(c, garbled) && !garbled.close;
        }
        case FaultInjector::Action::DropPart:
            // The server "loses" a stored part: ListParts no longer shows it and Complete answers InvalidPart.
            m_store.dropPart(c.bucket, c.key, c.queryValue("uploadId"), fault->partNumber);
            break;
        }
    }

    const QByteArray &op = c.op;
    if (op == "ListBuckets")
        return listBuckets(c);
    if (op == "CreateBucket")
        return createBucket(c);
    if (op == "HeadBucket")
        return headBucket(c);
    if (op == "DeleteBucket")
        return deleteBucket(c);
    if (op == "GetBucketLocation") {
        QByteArray body;
        S3Error e;
        if (!receiveSmallBody(c, &body, &e))
            return false;
        if (!e.isError() && !m_store.bucketExists(c.bucket))
            e = ObjectStore::noSuchBucket();
        if (e.isError())
            return respondError(c, e);
        // us-east-1 is reported as an empty LocationConstraint, as S3 does.
        return respondXml(c, 200,
            QByteArray("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"") + kNamespace + "\">"
                + (m_config.region == "us-east-1" ? QByteArray() : m_config.region) + "</LocationConstraint>");
    }
    if (op == "ListObjectsV2" || op == "ListObjects")
        return listObjects(c, op == "ListObjectsV2");
    if (op == "ListMultipartUploads")
        return listMultipartUploads(c);
    if (op == "PutObject" || op == "UploadPart")
        return putObjectOrPart(c);
    if (op == "GetObject" || op == "HeadObject")
        return getObject(c);
    if (op == "DeleteObject")
        return deleteObject(c);
    if (op == "CreateMultipartUpload")
        return createMultipartUpload(c);
    if (op == "CompleteMultipartUpload")
        return completeMultipartUpload(c);
    if (op == "AbortMultipartUpload")
        return abortMultipartUpload(c);
    if (op == "ListParts")
        return listParts(c);
    return respondError(c, S3Error::make(501, "NotImplemented", "Not implemented."));
}

bool S3RequestHandler::checkPayloadHeaders(Context &c)
{
    const QByteArray hash = m_dialect.payloadHash(c.request);
    if (hash.startsWith("STREAMING-") || c.request.header("Content-Encoding").contains("aws-chunked")
        || c.request.hasHeader("x-amz-decoded-content-length")) {
        respondError(c,
            S3Error::make(501, "NotImplemented",
                "aws-chunked uploads (x-amz-content-sha256: " + hash
                    + ") are not supported by strict-s3-server; sign the whole payload "
                      "(hex SHA-256) or send UNSIGNED-PAYLOAD."),
            true);
        return false;
    }
    bool hex = hash.size() == 64;
    for (const char ch : hash)
        hex = hex && ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
    if (hash != "UNSIGNED-PAYLOAD" && !hex) {
        S3Error e = S3Error::make(
            400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, or a valid sha256 value.");
        e.extra = {{"ArgumentName", "x-amz-content-sha256"}, {"ArgumentValue", hash}};
        return respondError(c, e);
    }
    if (c.request.hasHeader("Content-MD5")) {
        const QByteArray md5 = QByteArray::fromBase64(c.request.header("Content-MD5"));
        if (md5.size() != 16)
            return respondError(c, S3Error::make(400, "InvalidDigest", "The Content-MD5 you specified was invalid."));
    }
    return true;
}

void S3RequestHandler::stall(int ms) const
{
    // Sliced so that a shutdown does not wait for a long stall.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!m_stopping.load() && std::chrono::steady_clock::now() < deadline && !m_connection.peerClosed())
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 50)));
}

bool S3RequestHandler::respond(Context &c, HttpResponse response)
{
    if (c.lostAnswer) {
        const S3Error error = *std::exchange(c.lostAnswer, std::nullopt);
        return respondError(c, error);
    }
    if (c.garbledAnswer) {
        HttpResponse garbled;
        garbled.body = *std::exchange(c.garbledAnswer, std::nullopt);
        return sendHead(c, garbled) && !garbled.close;
    }
    return sendHead(c, response) && !response.close;
}

bool S3RequestHandler::sendHead(Context &c, HttpResponse &response)
{
    if (m_connection.bodyRemaining() > 0) {
        // A body we did not read: with 100-continue the client has not sent it, so close; otherwise
        // read it away so the connection stays in sync.
        if (c.expectContinue && !c.continueSent)
            response.close = true;
        else if (!m_connection.drainBody())
            return false;
    }
    if (c.stallMs > 0)
        stall(c.stallMs);
    m_dialect.addIdHeaders(response, c.requestId);
    response.headers.append(c.extraHeaders);
    const QByteArray connection = c.request.header("Connection").toLower();
    if (connection == "close" || (c.request.version == "HTTP/1.0" && connection != "keep-alive"))
        response.close = true;
    if (c.head && response.contentLength < 0)
        response.contentLength = response.body.size();
    if (c.head)
        response.body.clear();
    // Released just before the (small, single-write) response goes out, so that a client holding its
    // answer never sees its own request still in flight in GET /__keystone/stats.
    c.inFlight.release();
    return m_connection.sendResponse(response);
}

bool S3RequestHandler::respondError(Context &c, const S3Error &error, bool close)
{
    HttpResponse response;
    response.status = error.status;
    response.close = close;
    if (m_config.quirks.has(Quirk::ErrorNoContentLength) && !c.head) {
        // The client learns where the error document ends only from the connection closing.
        response.withoutContentLength = true;
        response.close = true;
    }
    m_dialect.setError(response, error, c.request, c.requestId, c.path, !c.head);
    return respond(c, response);
}

bool S3RequestHandler::respondBody(Context &c, int status, const QByteArray &body, const QByteArray &contentType)
{
    HttpResponse response;
    response.status = status;
    response.body = body;
    response.addHeader("Content-Type", contentType);
    return respond(c, response);
}

bool S3RequestHandler::respondXml(Context &c, int status, const QByteArray &xml)
{
    return respondBody(c, status, xml, "application/xml");
}

bool S3RequestHandler::respondJson(Context &c, int status, const QByteArray &json)
{
    return respondBody(c, status, json, "application/json");
}

bool S3RequestHandler::receiveBody(
    Context &c, int fd, QByteArray *memory, QByteArray *md5, S3Error *error, quint64 *crc64)
{
    if (c.expectContinue && !c.continueSent && m_connection.bodyRemaining() > 0) {
        if (!m_connection.sendContinue())
            return false;
        c.continueSent = true;
    }
    const QByteArray expectedSha = m_dialect.payloadHash(c.request);
    const bool checkSha = expectedSha != "UNSIGNED-PAYLOAD";
    const bool withCrc = crc64 && m_dialect.usesCrc64();
    quint64 crc = 0;
    const bool withCrc32 = m_config.quirks.has(Quirk::ChecksumHeaders);
    uLong crc32Value = ::crc32(0L, Z_NULL, 0);
    Hashing::StreamingDigest md5Digest(Hashing::StreamingDigest::Algorithm::Md5);
    Hashing::StreamingDigest shaDigest(Hashing::StreamingDigest::Algorithm::Sha256);
    bool writeFailed = false;
    while (m_connection.bodyRemaining() > 0) {
        const qint64 n = m_connection.readBody(m_buffer.data(), qint64(m_buffer.size()));
        if (n < 0)
            return false;
        md5Digest.update(m_buffer.data(), size_t(n));
        if (withCrc)
            crc = Crc64::update(crc, m_buffer.data(), size_t(n));
        if (withCrc32)
            crc32Value = ::crc32(crc32Value, reinterpret_cast<const Bytef *>(m_buffer.data()), uInt(n));
        if (checkSha)
            shaDigest.update(m_buffer.data(), size_t(n));
        if (memory) {
            memory->append(m_buffer.data(), n);
            continue;
        }
        if (fd < 0)
            continue; // --discard: hashed above, stored nowhere
        const char *p = m_buffer.data();
        qint64 left = n;
        while (left > 0 && !writeFailed) {
            const ssize_t w = ::write(fd, p, size_t(left));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                writeFailed = true; // keep reading so the connection stays in sync
                break;
            }
            p += w;
            left -= w;
        }
    }
    *md5 = md5Digest.finish();
    if (crc64)
        *crc64 = crc;
    c.bodyCrc32 = quint32(crc32Value);
    if (writeFailed) {
        *error = S3Error::make(500, "InternalError", "strict-s3-server could not write the body to disk.");
        return true;
    }
    if (checkSha) {
        const QByteArray actual = shaDigest.finish().toHex();
        if (actual != expectedSha) {
            *error = S3Error::make(400, "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
            error->extra = {{"ClientComputedContentSHA256", expectedSha}, {"S3ComputedContentSHA256", actual}};
            return true;
        }
    }
    if (c.request.hasHeader("Content-MD5")) {
        const QByteArray expected = QByteArray::fromBase64(c.request.header("Content-MD5"));
        if (expected != *md5) {
            *error = S3Error::make(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
            error->extra = {{"ExpectedDigest", expected.toHex()}, {"CalculatedDigest", md5->toBase64()}};
        }
    }
    return true;
}

bool S3RequestHandler::receiveSmallBody(Context &c, QByteArray *body, S3Error *error)
{
    if (m_connection.bodyRemaining() > kMaxSmallBody) {
        *error = S3Error::make(400, "MaxMessageLengthExceeded", "Your request was too big.");
        return true; // respond() closes or drains
    }
    QByteArray md5;
    return receiveBody(c, -1, body, &md5, error);
}

bool S3RequestHandler::handleControl(Context &c)
{
    const QByteArray &m = c.request.method;
    QByteArray body;
    S3Error e;
    if (m_connection.bodyRemaining() > kMaxSmallBody)
        return respondJson(c, 413, R"({"error":"body too large"})");
    c.request.headers.append(
        {QByteArray("x-amz-content-sha256"), QByteArray("UNSIGNED-PAYLOAD")}); // no auth, no digests here
    if (!receiveSmallBody(c, &body, &e))
        return false;
    const auto json = [](const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); };

    if (c.path == "/__keystone/faults" && m == "POST") {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
        if (!doc.isObject())
            return respondJson(c, 400, json({{"error", QStringLiteral("body must be a JSON object")}}));
        QString error;
        const int id = m_faults.add(doc.object(), &error);
        if (id == 0)
            return respondJson(c, 400, json({{"error", error}}));
        return respondJson(c, 201, json({{"id", id}}));
    }
    if (c.path == "/__keystone/faults/seed" && m == "POST") {
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        if (!o.value(u"seed").isDouble())
            return respondJson(c, 400, json({{"error", QStringLiteral("body must be {\"seed\": n}")}}));
        m_faults.seed(quint32(o.value(u"seed").toInteger()));
        return respondJson(c, 200, json({{"seeded", true}}));
    }
    if (c.path == "/__keystone/faults" && m == "DELETE") {
        m_faults.clear();
        return respondJson(c, 200, json({{"cleared", true}}));
    }
    if (c.path == "/__keystone/faults" && m == "GET")
        return respondJson(c, 200, json(m_faults.faultsJson()));
    if (c.path == "/__keystone/uploads/abort" && m == "POST") {
        QJsonObject o;
        if (!body.trimmed().isEmpty()) {
            const QJsonDocument doc = QJsonDocument::fromJson(body);
            if (!doc.isObject() || (doc.object().contains(u"prefix") && !doc.object().value(u"prefix").isString()))
                return respondJson(c, 400, json({{"error", QStringLiteral("body must be {\"prefix\": \"...\"}")}}));
            o = doc.object();
        }
        const int aborted = m_store.abortUploads(o.value(u"prefix").toString().toUtf8());
        return respondJson(c, 200, json({{"aborted", aborted}}));
    }
    if (c.path == "/__keystone/stats" && m == "GET") {
        QJsonObject stats = m_faults.statsJson(m_store.uploadsInProgress());
        stats.insert(QStringLiteral("bytes_received"), double(HttpConnection::totalBytesReceived()));
        return respondJson(c, 200, json(stats));
    }
    if (c.path == "/__keystone/stats" && m == "DELETE") {
        m_faults.resetStats();
        return respondJson(c, 200, json({{"reset", true}}));
    }
    return respondJson(c, 404, json({{"error", QStringLiteral("unknown control endpoint")}}));
}

bool S3RequestHandler::listBuckets(Context &c)
{
    QByteArray body;
    S3Error e;
    if (!receiveSmallBody(c, &body, &e))
        return false;
    if (e.isError())
        return respondError(c, e);
    XmlDoc xml("ListAllMyBucketsResult");
    xml.owner("Owner");
    xml.start("Buckets");
    for (const auto &b : m_store.buckets()) {
        xml.start("Bucket");
        xml.element("Name", b.name);
        xml.element("CreationDate", S3Util::isoTime(b.created));
        xml.end();
    }
    xml.end();
    return respondXml(c, 200, xml.finish());
}

bool S3RequestHandler::createBucket(Context &c)
{
    QByteArray body;
    S3Error e;
    if (!receiveSmallBody(c, &body, &e))
        return false;
    if (e.isError())
        return respondError(c, e);
    if (!m_store.createBucket(c.bucket) && m_config.region != "us-east-1") {
        // us-east-1 answers 200 to the owner re-creating a bucket (legacy S3 behaviour); others 409.
        return respondError(c,
            S3Error::make(409, "BucketAlreadyOwnedByYou",
                "Your previous request to create the named bucket succeeded and you "
                "already own it."));
    }
    HttpResponse response;
    response.addHeader("Location", "/" + c.bucket);
    return respond(c, response);
}

bool S3RequestHandler::headBucket(Context &c)
{
    if (!m_store.bucketExists(c.bucket))
        return respondError(c, ObjectStore::noSuchBucket());
    HttpResponse response;
    response.addHeader("x-amz-bucket-region", m_config.region);
    return respond(c, response);
}

bool S3RequestHandler::deleteBucket(Context &c)
{
    QByteArray body;
    S3Error e;
    if (!receiveSmallBody(c, &body, &e))
        return false;
    if (!e.isError())
        e = m_store.deleteBucket(c.bucket);
    if (e.isError())
        return respondError(c, e);
    HttpResponse response;
    response.status = 204;
    return respond(c, response);
}

bool S3RequestHandler::listObjects(Context &c, bool v2)
{
    QByteArray body;
    S3Error e;
    if (!receiveSmallBody(c, &body, &e))
        return false;
    if (!e.isError() && !m_store.bucketExists(c.bucket))
        e = ObjectStore::noSuchBucket();
    qint64 maxKeys = 1000;
    if (!e.isError() && c.hasQuery("max-keys") && !parseNonNegative(c.queryValue("max-keys"), &maxKeys))
        e = S3Error::make(400, "InvalidArgument", "Provided max-keys not an integer or within integer range");
    const bool urlEncode = c.queryValue("encoding-type") == "url";
    if (!e.isError() && c.hasQuery("encoding-type") && !urlEncode)
        e = S3Error::make(400, "InvalidArgument", "Invalid Encoding Method specified in Request");
    QByteArray token;
    if (!e.isError() && c.hasQuery("continuation-token")) {
        token = QByteArray::fromHex(c.queryValue("continuation-token"));
        if (token.isEmpty())
            e = S3Error::make(400, "InvalidArgument", "The continuation token provided is incorrect");
    }
    if (e.isError())
        return respondError(c, e);
    maxKeys = std::min<qint64>(maxKeys, 1000);

    const QByteArray prefix = c.queryValue("prefix");
    const QByteArray delimiter = c.queryValue("delimiter");
    const QByteArray startAfter = v2 ? c.queryValue("start-after") : c.queryValue("marker");
    const QByteArray resumeAfter = token.isEmpty() ? startAfter : token;
    const auto enc = [urlEncode](const QByteArray &v) { return urlEncode ? SigV4Signer::uriEncode(v, true) : v; };

    // Walk the sorted keys; a common prefix counts as one entry. The resume point after a common
    // prefix is the prefix + 0xFF, which sorts after every UTF-8 key below it.
    QList<ObjectStore::ObjectInfo> contents;
    QByteArrayList commonPrefixes;
    bool truncated = false;
    QByteArray last;
    for (const auto &obj : m_store.listObjects(c.bucket, prefix)) {
        if (!resumeAfter.isEmpty() && obj.key <= resumeAfter)
            continue;
        QByteArray commonPrefix;
        if (!delimiter.isEmpty()) {
            const qsizetype at = obj.key.indexOf(delimiter, prefix.size());
            if (at >= 0)
                commonPrefix = obj.key.left(at + delimiter.size());
        }
        if (!commonPrefix.isEmpty() && !commonPrefixes.isEmpty() && commonPrefixes.last() == commonPrefix)
            continue;
        if (contents.size() + commonPrefixes.size() >= maxKeys) {
            truncated = true;
            break;
        }
        if (commonPrefix.isEmpty()) {
            contents.append(obj);
            last = obj.key;
        } else {
            commonPrefixes.append(commonPrefix);
            last = commonPrefix + char(0xFF);
        }
    }

    XmlDoc xml("ListBucketResult");
    xml.element("Name", c.bucket);
    xml.element("Prefix", enc(prefix));
    if (v2) {
        if (c.hasQuery("continuation-token"))
            xml.element("ContinuationToken", c.queryValue("continuation-token"));
        if (truncated)
            xml.element("NextContinuationToken", last.toHex());
        if (c.hasQuery("start-after"))
            xml.element("StartAfter", enc(startAfter));
        xml.element("KeyCount", QByteArray::number(contents.size() + commonPrefixes.size()));
    } else {
        xml.element("Marker", enc(startAfter));
        if (truncated) // clients use the last key when NextMarker is absent; it is always sent here
            xml.element("NextMarker", enc(last));
    }
    xml.element("MaxKeys", QByteArray::number(maxKeys));
    if (!delimiter.isEmpty())
        xml.element("Delimiter", enc(delimiter));
    if (urlEncode)
        xml.element("EncodingType", "url");
    xml.element("IsTruncated", truncated ? "true" : "false");
    for (const auto &obj : contents) {
        xml.start("Contents");
        xml.element("Key", enc(obj.key));
        xml.element("LastModified", S3Util::isoTime(obj.lastModified));
        xml.element("ETag", m_dialect.etag(obj.etag));
        xml.element("Size", QByteArray::number(obj.size));
        xml.element("StorageClass", "STANDARD");
        xml.end();
    }
    for (const auto &p : commonPrefixes) {
        xml.start("CommonPrefixes");
        xml.element("Prefix", enc(p));
        xml.end();
    }
    return respondXml(c, 200, xml.finish());
}

bool S3RequestHandler::listMultipartUploads(Context &c)
{
    QByteArray body;
    S3Error e;
    if (!receiveSmallBody(c, &body, &e))
        return false;
    if (!e.isError() && !m_store.bucketExists(c.bucket))
        e = ObjectStore::noSuchBucket();
    qint64 maxUploads = 1000;
    if (!e.isError() && c.hasQuery("max-uploads") && !parseNonNegative(c.queryValue("max-uploads"), &maxUploads))
        e = S3Error::make(400, "InvalidArgument", "Provided max-uploads not an integer or within integer range");
    if (e.isError())
        return respondError(c, e);
    maxUploads = std::min<qint64>(maxUploads, 1000);
    const QByteArray prefix = c.queryValue("prefix");
    // No pagination: at most max-uploads entries, IsTruncated always false (documented limitation).
    const QList<ObjectStore::UploadInfo> uploads = m_store.listUploads(c.bucket, prefix);
    XmlDoc xml("ListMultipartUploadsResult");
    xml.element("Bucket", c.bucket);
    xml.element("KeyMarker", c.queryValue("key-marker"));
    xml.element("UploadIdMarker", c.queryValue("upload-id-marker"));
    xml.element("NextKeyMarker", "");
    xml.element("NextUploadIdMarker", "");
    if (!prefix.isEmpty())
        xml.element("Prefix", prefix);
    xml.element("MaxUploads", QByteArray::number(maxUploads));
    xml.element("IsTruncated", "false");
    for (qsizetype i = 0; i < uploads.size() && i < maxUploads; ++i) {
        const auto &u = uploads[i];
        xml.start("Upload");
        xml.element("Key", u.key);
        xml.element("UploadId", u.uploadId);
        xml.owner("Initiator");
        xml.owner("Owner");
        xml.element("StorageClass", "STANDARD");
        xml.element("Initiated", S3Util::isoTime(u.initiated));
        xml.end();
    }
    return respondXml(c, 200, xml.finish());
}

bool S3RequestHandler::putObjectOrPart(Context &c)
{
    const bool part = c.op == "UploadPart";
    const QByteArray uploadId = c.queryValue("uploadId");
    if (!c.request.hasHeader("Content-Length"))
        return respondError(c,
            S3Error::make(411, "MissingContentLength",
                "You must provide the Content-Length HTTP "
                "header."),
            true);
    if (m_connection.bodyRemaining() > kMaxObjectSize)
        return respondError(
            c, S3Error::make(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"));
    if (part && (c.partNumber < 1 || c.partNumber > 10000)) {
        S3Error e
            = S3Error::make(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
        e.extra = {{"ArgumentName", "partNumber"}, {"ArgumentValue", c.queryValue("partNumber")}};
        return respondError(c, e);
    }
    // Checked before the body is read, so a doomed 64 MiB part is refused without transferring it.
    if (!m_store.bucketExists(c.bucket))
        return respondError(c, ObjectStore::noSuchBucket());
    if (part && !m_store.upload(c.bucket, c.key, uploadId))
        return respondError(c, unknownUpload("UploadPart"));

    // Discard mode: the body is verified and hashed, but no temporary file exists (fd -1 drops the bytes).
    const QString temp = m_store.discardsBodies() ? QString() : m_store.newTempPath();
    const int fd = temp.isEmpty()
        ? -1
        : ::open(QFile::encodeName(temp).constData(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
    if (!temp.isEmpty() && fd < 0)
        return respondError(c, S3Error::make(500, "InternalError", "cannot create a temporary file"));
    const qint64 size = m_connection.bodyRemaining();
    QByteArray md5;
    quint64 crc64 = 0;
    S3Error e;
    const bool connected = receiveBody(c, fd, nullptr, &md5, &e, &crc64);
    if (fd >= 0)
        ::close(fd);
    if (!connected || e.isError()) {
        if (fd >= 0)
            ::unlink(QFile::encodeName(temp).constData());
        return connected && respondError(c, e);
    }
    const QByteArray etag = c.wrongEtag ? Hashing::md5(md5).toHex() : md5.toHex();
    if (part) {
        e = unknownUploadIfGone(
            m_store.putPart(c.bucket, c.key, uploadId, c.partNumber, temp, size, md5, crc64, c.bodyCrc32),
            "UploadPart");
        if (!e.isError())
            m_faults.countPartUpload(c.bucket + '/' + c.key, c.partNumber);
        if (!e.isError() && c.wrongEtag)
            m_faults.recordWrongEtag(c.bucket + '/' + c.key, uploadId, c.partNumber, etag);
    } else {
        ObjectStore::ObjectInfo stored;
        e = m_store.putObject(c.bucket, c.key, temp, size, md5, crc64, c.request.header("Content-Type"), &stored);
    }
    if (e.isError()) {
        if (fd >= 0)
            ::unlink(QFile::encodeName(temp).constData());
        return respondError(c, e);
    }
    HttpResponse response;
    // wrong_etag fault: the data is stored, but the client is told the MD5 of the MD5 instead.
    response.addHeader("ETag", m_dialect.etag(etag));
    // crc_mismatch fault: stored and ETag right, only the CRC-64 answered is wrong (one bit flipped).
    m_dialect.addCrc64(response, c.wrongCrc ? crc64 ^ 1 : crc64);
    if (c.wrongCrc)
        m_faults.recordWrongCrc(c.bucket + '/' + c.key, part ? c.partNumber : -1);
    if (m_config.quirks.has(Quirk::ChecksumHeaders)) {
        // What AWS adds to every upload since its 2025 default data-integrity change, unasked.
        response.addHeader("x-amz-checksum-crc32", crc32Base64(c.bodyCrc32));
        response.addHeader("x-amz-checksum-type", "FULL_OBJECT");
    }
    return respond(c, response);
}

bool S3RequestHandler::getObject(Context &c)
{
    QByteArray body;
    S3Error e;
    if (!receiveSmallBody(c, &body, &e))
        return false;
    if (!e.isError() && !m_store.bucketExists(c.bucket))
        e = ObjectStore::noSuchBucket();
    const std::optional<ObjectStore::ObjectInfo> obj = e.isError() ? std::nullopt : m_store.object(c.bucket, c.key);
    if (!e.isError() && !obj) {
        e = S3Error::make(404, "NoSuchKey", "The specified key does not exist.");
        e.extra = {{"Key", c.key}};
    }
    if (e.isError())
        return respondError(c, e);
    // --discard kept size and ETag only: HEAD works, a GET of the bytes is refused rather than invented.
    if (obj->bodyDiscarded && !c.head && obj->size > 0)
        return respondError(c,
            S3Error::make(501, "NotImplemented",
                "strict-s3-server runs with --discard: object bodies are not stored, so GET cannot return "
                "them (HEAD works)."));

    // Single byte range only ("bytes=a-b", "bytes=a-", "bytes=-n"); anything else is ignored (full
    // object), as S3 does for multiple ranges.
    qint64 first = 0, last = obj->size - 1;
    bool partial = false;
    const QByteArray range = c.request.header("Range").trimmed();
    if (range.startsWith("bytes=") && !range.contains(',')) {
        const QByteArray spec = range.mid(6);
        const qsizetype dash = spec.indexOf('-');
        qint64 a = -1, b = -1;
        const bool hasA = dash > 0 && parseNonNegative(spec.left(dash), &a);
        const bool hasB = dash >= 0 && dash + 1 < spec.size() && parseNonNegative(spec.mid(dash + 1), &b);
        if (dash >= 0 && (hasA || hasB) && (!hasA || !hasB || a <= b)) {
            if (hasA) {
                if (a >= obj->size) {
                    S3Error r = S3Error::make(416, "InvalidRange", "The requested range is not satisfiable");
                    r.extra = {{"RangeRequested", range}, {"ActualObjectSize", QByteArray::number(obj->size)}};
                    c.extraHeaders.append({"Content-Range", "bytes */" + QByteArray::number(obj->size)});
                    return respondError(c, r);
                }
                first = a;
                last = hasB ? std::min(b, obj->size - 1) : obj->size - 1;
            } else {
                first = std::max<qint64>(0, obj->size - b);
                last = obj->size - 1;
                if (b == 0 || obj->size == 0) {
                    S3Error r = S3Error::make(416, "InvalidRange", "The requested range is not satisfiable");
                    return respondError(c, r);
                }
            }
            partial = true;
        }
    }

    HttpResponse response;
    response.status = partial ? 206 : 200;
    response.contentLength = obj->size == 0 ? 0 : last - first + 1;
    response.addHeader("Content-Type", obj->contentType.isEmpty() ? "binary/octet-stream" : obj->contentType);
    response.addHeader("ETag", m_dialect.etag(obj->etag));
    response.addHeader("Last-Modified", S3Util::httpDate(obj->lastModified));
    m_dialect.addCrc64(response, obj->crc64); // of the whole object, also for a range
    response.addHeader("Accept-Ranges", "bytes");
    if (partial)
        response.addHeader("Content-Range",
            "bytes " + QByteArray::number(first) + '-' + QByteArray::number(last) + '/'
                + QByteArray::number(obj->size));
    if (!sendHead(c, response))
        return false;
    if (c.head || response.contentLength == 0)
        return !response.close;

    // Stream the range out of the segments.
    qint64 segmentStart = 0;
    for (const ObjectStore::Segment &segment : obj->segments) {
        const qint64 segmentEnd = segmentStart + segment.size - 1;
        if (segmentEnd >= first && segmentStart <= last) {
            const qint64 from = std::max(first, segmentStart) - segmentStart;
            const qint64 to = std::min(last, segmentEnd) - segmentStart;
            const int fd = ::open(QFile::encodeName(segment.path).constData(), O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                return false; // replaced concurrently: drop the connection mid-body
            const bool ok = m_connection.sendFile(fd, from, to - from + 1);
            ::close(fd);
            if (!ok)
                return false;
        }
        segmentStart += segment.size;
    }
    return !response.close;
}

bool S3RequestHandler::respondNoContentAfter(Context &c, const std::function<S3Error()> &operation)
{
    QByteArray body;
    S3Error e;
    if (!receiveSmallBody(c, &body, &e))
        return false;
    if (!e.isError())
        e = operation();
    if (e.isError())
        return respondError(c, e);
    HttpResponse response;
    response.status = 204;
    return respond(c, response);
}

bool S3RequestHandler::deleteObject(Context &c)
{
    return respondNoContentAfter(c, [&] { return m_store.deleteObject(c.bucket, c.key); });
}

bool S3RequestHandler::createMultipartUpload(Context &c)
{
    QByteArray body;
    S3Error e;
    if (!receiveSmallBody(c, &body, &e))
        return false;
    ObjectStore::UploadInfo upload;
    if (!e.isError())
        e = m_store.createUpload(c.bucket, c.key, c.request.header("Content-Type"), &upload);
    if (e.isError())
        return respondError(c, e);
    XmlDoc xml("InitiateMultipartUploadResult");
    xml.element("Bucket", c.bucket);
    xml.element("Key", c.key);
    xml.element("UploadId", upload.uploadId);
    return respondXml(c, 200, xml.finish());
}

bool S3RequestHandler::completeMultipartUpload(Context &c)
{
    const QByteArray uploadId = c.queryValue("uploadId");
    if (!m_store.bucketExists(c.bucket))
        return respondError(c, ObjectStore::noSuchBucket());
    if (!m_store.upload(c.bucket, c.key, uploadId))
        return respondError(c, unknownUpload("CompleteMultipartUpload"));
    QByteArray body;
    S3Error e;
    if (!receiveSmallBody(c, &body, &e))
        return false;
    if (e.isError())
        return respondError(c, e);

    // <CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"…"</ETag></Part>…
    const S3Error malformed = S3Error::make(400, "MalformedXML",
        "The XML you provided was not well-formed or did not validate against "
        "our published schema");
    QList<ObjectStore::CompletedPart> parts;
    QXmlStreamReader xml(body);
    if (!xml.readNextStartElement() || xml.name() != u"CompleteMultipartUpload")
        return respondError(c, malformed);
    while (xml.readNextStartElement()) {
        if (xml.name() != u"Part") {
            xml.skipCurrentElement();
            continue;
        }
        ObjectStore::CompletedPart part;
        bool hasNumber = false, hasEtag = false;
        while (xml.readNextStartElement()) {
            if (xml.name() == u"PartNumber") {
                qint64 n = 0;
                hasNumber = parseNonNegative(xml.readElementText().trimmed().toLatin1(), &n) && n <= 100000;
                part.number = int(n);
            } else if (xml.name() == u"ETag") {
                part.etag = xml.readElementText().toUtf8();
                hasEtag = true;
            } else {
                xml.skipCurrentElement();
            }
        }
        if (!hasNumber || !hasEtag)
            return respondError(c, malformed);
        parts.append(part);
    }
    if (xml.hasError() || parts.isEmpty())
        return respondError(c, malformed);
    QList<std::pair<int, QByteArray>> listed;
    for (const auto &part : std::as_const(parts))
        listed.append({part.number, part.etag});
    m_faults.checkCompletedParts(uploadId, listed);
    const QByteArray wholeCrc32
        = m_config.quirks.has(Quirk::ChecksumHeaders) ? completedCrc32(c, uploadId, parts) : QByteArray();

    if (m_config.quirks.has(Quirk::CompleteErrorIn200)
        && m_store.countCompleteRequest(c.bucket, c.key, uploadId) == 1) {
        // AWS: "a 200 OK response can contain either a success or an error". It sends the status and whitespace
        // at once, keeps the connection alive with more while it works, and may end with an <Error>. Nothing is done.
        HttpResponse response;
        response.body = "\n  \n    \n";
        S3Error e = S3Error::make(500, "InternalError", "We encountered an internal error. Please try again.");
        HttpResponse error;
        m_dialect.setError(error, e, c.request, c.requestId, c.path, true);
        response.body += error.body;
        response.addHeader("Content-Type", "application/xml");
        return respond(c, response);
    }

    ObjectStore::ObjectInfo stored;
    e = m_store.completeUpload(c.bucket, c.key, uploadId, parts, &stored);
    if (e.isError())
        return respondError(c, e);
    XmlDoc result("CompleteMultipartUploadResult");
    result.element("Location", m_dialect.objectUrl(c.request, c.bucket, c.key));
    result.element("Bucket", c.bucket);
    result.element("Key", c.key);
    // --quirk empty-complete-etag: radosgw 16.2 answers an empty <ETag></ETag> (HEAD and listings have the right one).
    result.element("ETag", m_config.quirks.has(Quirk::EmptyCompleteEtag) ? QByteArray() : m_dialect.etag(stored.etag));
    if (!wholeCrc32.isEmpty()) {
        result.element("ChecksumCRC32", wholeCrc32);
        result.element("ChecksumType", "FULL_OBJECT");
    }
    HttpResponse response;
    response.body = result.finish();
    response.addHeader("Content-Type", "application/xml");
    m_dialect.addCompleteHeaders(response, stored.etag, stored.crc64);
    if (!wholeCrc32.isEmpty()) {
        response.addHeader("x-amz-checksum-crc32", wholeCrc32);
        response.addHeader("x-amz-checksum-type", "FULL_OBJECT");
    }
    return respond(c, response);
}

QByteArray S3RequestHandler::completedCrc32(
    const Context &c, const QByteArray &uploadId, const QList<ObjectStore::CompletedPart> &parts) const
{
    // FULL_OBJECT: the CRC-32 of the whole object, folded from the listed parts' CRCs in their order.
    const auto upload = m_store.upload(c.bucket, c.key, uploadId);
    if (!upload)
        return {};
    uLong crc = ::crc32(0L, Z_NULL, 0);
    for (const ObjectStore::CompletedPart &listed : parts) {
        const auto part = upload->parts.find(listed.number);
        if (part == upload->parts.end())
            return {}; // Complete will refuse it (InvalidPart)
        crc = ::crc32_combine(crc, part->second.crc32, z_off_t(part->second.size));
    }
    return crc32Base64(quint32(crc));
}

bool S3RequestHandler::abortMultipartUpload(Context &c)
{
    return respondNoContentAfter(c, [&] {
        return unknownUploadIfGone(
            m_store.abortUpload(c.bucket, c.key, c.queryValue("uploadId")), "AbortMultipartUpload");
    });
}

S3Error S3RequestHandler::unknownUpload(const QByteArray &op)
{
    m_faults.countUnknownUpload(op);
    // radosgw 16.2 looks the upload's meta object up as a key: a missing one is NoSuchKey (Complete keeps
    // NoSuchUpload).
    if (m_config.quirks.has(Quirk::RgwNoSuchKeyListParts) && op != "CompleteMultipartUpload")
        return S3Error::make(404, "NoSuchKey", "The specified key does not exist.");
    return ObjectStore::noSuchUpload();
}

S3Error S3RequestHandler::unknownUploadIfGone(const S3Error &error, const QByteArray &op)
{
    return error.code == "NoSuchUpload" ? unknownUpload(op) : error;
}

bool S3RequestHandler::listParts(Context &c)
{
    QByteArray body;
    S3Error e;
    if (!receiveSmallBody(c, &body, &e))
        return false;
    if (!e.isError() && !m_store.bucketExists(c.bucket))
        e = ObjectStore::noSuchBucket();
    qint64 maxParts = 1000, marker = 0;
    if (!e.isError() && c.hasQuery("max-parts") && !parseNonNegative(c.queryValue("max-parts"), &maxParts))
        e = S3Error::make(400, "InvalidArgument", "Provided max-parts not an integer or within integer range");
    if (!e.isError() && c.hasQuery("part-number-marker")
        && !parseNonNegative(c.queryValue("part-number-marker"), &marker))
        e = S3Error::make(400, "InvalidArgument", "Provided part-number-marker not an integer or within integer range");
    const QByteArray uploadId = c.queryValue("uploadId");
    const auto upload = e.isError() ? std::nullopt : m_store.upload(c.bucket, c.key, uploadId);
    if (!e.isError() && !upload)
        e = unknownUpload("ListParts");
    if (e.isError())
        return respondError(c, e);
    maxParts = std::min<qint64>(maxParts, 1000);
    // --list-parts-page-size: a server may return fewer parts than max-parts asked for (MaxParts still echoes it).
    const qint64 pageSize
        = m_config.listPartsPageSize > 0 ? std::min<qint64>(maxParts, m_config.listPartsPageSize) : maxParts;

    QList<ObjectStore::PartInfo> page;
    bool truncated = false;
    for (auto it = upload->parts.upper_bound(int(marker)); it != upload->parts.end(); ++it) {
        if (page.size() >= pageSize) {
            truncated = true;
            break;
        }
        page.append(it->second);
    }
    XmlDoc xml("ListPartsResult");
    xml.element("Bucket", c.bucket);
    xml.element("Key", c.key);
    xml.element("UploadId", uploadId);
    xml.owner("Initiator");
    xml.owner("Owner");
    xml.element("StorageClass", "STANDARD");
    xml.element("PartNumberMarker", QByteArray::number(marker));
    xml.element("NextPartNumberMarker", QByteArray::number(page.isEmpty() ? 0 : page.last().number));
    xml.element("MaxParts", QByteArray::number(maxParts));
    xml.element("IsTruncated", truncated ? "true" : "false");
    for (const auto &p : page) {
        xml.start("Part");
        xml.element("PartNumber", QByteArray::number(p.number));
        xml.element("LastModified", S3Util::isoTime(p.lastModified));
        xml.element("ETag", m_dialect.etag(p.md5.toHex()));
        xml.element("Size", QByteArray::number(p.size));
        if (m_config.quirks.has(Quirk::ChecksumHeaders))
            xml.element("ChecksumCRC32", crc32Base64(p.crc32));
        if (m_dialect.usesCrc64())
            xml.element("HashCrc64ecma", QByteArray::number(p.crc64));
        xml.end();
    }
    return respondXml(c, 200, xml.finish());
}

} // namespace StrictS3

#pragma once

#include "dialect.h"
#include "faultinjector.h"
#include "httpconnection.h"
#include "objectstore.h"
#include "serverconfig.h"

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace StrictS3 {

// Serves the requests of one connection, one after another (keep-alive), on the calling thread.
class S3RequestHandler
{
public:
    // tls: speak TLS on fd (null: plain HTTP).
    S3RequestHandler(int fd, const TlsContext *tls, const ServerConfig &config, ObjectStore &store,
        FaultInjector &faults, const Dialect &dialect, const std::atomic<bool> &stopping);

    void run();

private:
    // Per-request state.
    struct Context
    {
        HttpRequest request;
        QByteArray requestId;
        QByteArray path; // decoded
        HeaderList query; // decoded
        QByteArray op;
        QByteArray bucket;
        QByteArray key;
        int partNumber = -1;
        bool head = false;
        bool expectContinue = false;
        bool continueSent = false;
        int stallMs = 0;
        bool wrongEtag = false;
        bool wrongCrc = false; // fault crc_mismatch: the x-oss-hash-crc64ecma answered is off by one bit
        quint32 bodyCrc32 = 0; // --quirk checksum-headers: CRC-32 of the body receiveBody() read
        std::optional<S3Error> lostAnswer; // fault "process": answered instead of the real (carried out) result
        std::optional<QByteArray> garbledAnswer; // fault garbled + "process": a 200 with this body instead
        QList<std::pair<QByteArray, QByteArray>> extraHeaders; // added to the response (Retry-After, …)
        // Upload ops: counted in flight from authentication until the response is written (or the
        // request is dropped: the guard releases when the context goes away).
        FaultInjector::InFlightGuard inFlight;

        bool hasQuery(QByteArrayView name) const;
        QByteArray queryValue(QByteArrayView name) const;
    };

    bool handle(Context &c);
    bool handleControl(Context &c);
    void route(Context &c) const;
    bool checkPayloadHeaders(Context &c);

    bool respond(Context &c, HttpResponse response); // true: keep the connection
    bool sendHead(Context &c, HttpResponse &response); // false: send failed; sets response.close
    bool respondError(Context &c, const S3Error &error, bool close = false);
    bool respondBody(Context &c, int status, const QByteArray &body, const QByteArray &contentType);
    bool respondXml(Context &c, int status, const QByteArray &xml);
    bool respondJson(Context &c, int status, const QByteArray &json);
    // Waits ms before answering; ends early when the client gave up (its timeout fired) or on shutdown.
    void stall(int ms) const;

    // Streams the body into fd (or into *memory when given; with fd < 0 and no memory the bytes are only
    // hashed: --discard), hashing as it goes (MD5; CRC-64 too when crc64 is given and the dialect uses it).
    // Returns false when the connection broke; *error is set when the body arrived but failed a digest check.
    bool receiveBody(Context &c, int fd, QByteArray *memory, QByteArray *md5, S3Error *error, quint64 *crc64 = nullptr);
    bool receiveSmallBody(Context &c, QByteArray *body, S3Error *error);

    // --quirk checksum-headers: the whole object's CRC-32 (base64) from the stored parts Complete lists, taken before
    // it runs; empty when a listed part is missing (Complete then refuses it).
    QByteArray completedCrc32(
        const Context &c, const QByteArray &uploadId, const QList<ObjectStore::CompletedPart> &parts) const;

    bool listBuckets(Context &c);
    bool createBucket(Context &c);
    bool headBucket(Context &c);
    bool deleteBucket(Context &c);
    bool listObjects(Context &c, bool v2);
    bool listMultipartUploads(Context &c);
    bool putObjectOrPart(Context &c);
    bool getObject(Context &c);
    // Reads the (small) body, runs the operation, answers 204 or its S3 error.
    bool respondNoContentAfter(Context &c, const std::function<S3Error()> &operation);
    bool deleteObject(Context &c);
    bool createMultipartUpload(Context &c);
    bool completeMultipartUpload(Context &c);
    bool abortMultipartUpload(Context &c);
    // The answer to a request (op) naming an upload id the server does not have: NoSuchUpload, or NoSuchKey as
    // radosgw 16.2 answers it (--quirk rgw-nosuchkey-listparts). Counted in unknown_upload_requests.
    S3Error unknownUpload(const QByteArray &op);
    // error, with a NoSuchUpload from the store replaced by unknownUpload(op) (the upload went away meanwhile).
    S3Error unknownUploadIfGone(const S3Error &error, const QByteArray &op);
    bool listParts(Context &c);

    HttpConnection m_connection;
    const ServerConfig &m_config;
    ObjectStore &m_store;
    FaultInjector &m_faults;
    const Dialect &m_dialect;
    const std::atomic<bool> &m_stopping;
    std::vector<char> m_buffer;
};

} // namespace StrictS3

#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>

// The one error type of the storage layer: what went wrong, whether trying again can help, and the
// identifiers S3 support asks for. Cheap to copy; travels in queued signals.
struct StorageError
{
    enum class Kind { None, Network, Timeout, Http, Integrity, LocalIo, Protocol, Cancelled, Config };

    // Retry-After values beyond this are clamped: a server asking for an hour should not stall an upload silently.
    static constexpr int kMaxRetryAfterMs = 5 * 60 * 1000;

    Kind kind = Kind::None;
    int httpStatus = 0; // 0 when no HTTP response
    // The S3 code (e.g. "SlowDown", "NoSuchUpload"); for non-HTTP kinds a stable code: "NetworkError", "Unreachable",
    // "Timeout", "BadDigest" (integrity), "LocalIoError", "InvalidResponse" (protocol), "Cancelled", "ConfigError".
    QString s3Code;
    QString requestId; // x-amz-request-id / x-oss-request-id, or the <RequestId> of the body
    QString hostId; // <HostId> of the body, when the server sent one
    QString ec; // Alibaba OSS's detailed error code (<EC>, or the x-oss-ec header), quoted to its support
    QString message; // human text; never contains secrets
    bool retryable = false;
    int retryAfterMs = -1; // from a Retry-After header, -1 when absent
    QStringList paths = {}; // UnsupportedFiles: the entries it is about (the first few), relative to the scanned folder

    bool isError() const { return kind != Kind::None; }
    // One line: "SignatureDoesNotMatch (HTTP 403): The request signature ... [request id 4442587FB7D0A2F9]"
    // (OSS adds " [EC 0002-00000040]").
    QString toString() const;
    // toString() without the code in front: what a view shows beside the code it shows on its own.
    QString detail() const;

    // Classifies a failed HTTP exchange. The S3 code of an <Error> body wins over the status; an empty or
    // non-XML body (HEAD, proxies) gets a code derived from the status ("AccessDenied", "NotFound", ...).
    // The request-id header wins over the body's <RequestId>; an x-oss-ec header fills in a missing <EC>.
    static StorageError fromHttpResponse(int httpStatus, const QByteArray &body, const QByteArray &requestIdHeader,
        const QByteArray &retryAfterHeader, const QByteArray &ecHeader = {});
    static StorageError network(const QString &message, bool timedOut); // retryable
    // No connection could be made at all (refused, name not resolved): code "Unreachable", retryable. The sync
    // engine waits for the storage to come back instead of spending an episode's attempts on it.
    static StorageError unreachable(const QString &message);
    static StorageError integrity(const QString &message); // e.g. ETag/MD5 mismatch: retryable
    static StorageError localIo(const QString &message); // not retryable
    // A file to upload is gone ("FileMissing") or is not the one registered ("FileChanged"): LocalIo, not retryable.
    static StorageError fileMissing(const QString &message);
    static StorageError fileChanged(const QString &message);
    static StorageError protocol(const QString &message); // unparsable response: retryable
    static StorageError cancelled(); // not retryable
    static StorageError tooManyFiles(const QString &message); // a tree over the file limit: Config, "TooManyFiles"
    // A folder holds entries that are not regular files (symbolic links, FIFOs, sockets, devices): Config,
    // "UnsupportedFiles", with the first few of them in paths.
    static StorageError unsupportedFiles(const QString &message, const QStringList &paths);
    static StorageError config(const QString &message); // not retryable

    // The classification table. A code it knows decides retryability on its own; for an unknown code
    // fromHttpResponse falls back to isRetryableHttpStatus (so a vendor's "ServerBusy" on 503 is still retried).
    static bool isKnownS3Code(const QString &code);
    static bool isRetryableS3Code(const QString &code); // false for unknown codes
    static bool isRetryableHttpStatus(int httpStatus); // 408, 429, 500, 502, 503, 504

    // Retry-After as delta-seconds or an HTTP-date (IMF-fixdate, RFC 850, asctime), relative to nowUtc.
    // Returns milliseconds clamped to [0, kMaxRetryAfterMs], or -1 when the header is absent or unparsable.
    static int parseRetryAfterMs(QByteArrayView header, const QDateTime &nowUtc);

    friend bool operator==(const StorageError &, const StorageError &) = default;
};

Q_DECLARE_METATYPE(StorageError)

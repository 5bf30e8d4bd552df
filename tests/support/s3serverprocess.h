#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <QList>

#include <memory>
#include <optional>
#include <utility>

#include "storage/curltransport.h"
#include "storage/endpointprofile.h"

class QProcess;
class QTemporaryDir;

// Test fixture: runs one S3-compatible server as a child process on 127.0.0.1, with a fresh data
// directory and the bucket "keystone-test" created, and stops it again (by PID) when destroyed.
//
//   Strict  our strict-s3-server (tests/support/strict-s3-server): verifies SigV4, payload hashes,
//           part rules; offers fault injection and request statistics on /__keystone/*.
//   S3rver  the third-party s3rver 3.7.1 (tests/s3rver, run with node). Lenient: it does not check
//           signatures at all, so it proves interoperability, not correctness.
//
// Readiness: both servers are started on port 0 and print the port they bound once they listen
// ("listening on http://127.0.0.1:PORT" / "S3rver listening on 127.0.0.1:PORT"); start() waits for
// that line (stdout goes to a log file in the temporary directory, so a chatty server never blocks
// on a full pipe) and then confirms with a TCP connect. No port is guessed, so there is no race.
//
// External mode (scripts/realserver/radosgw.sh; never set in CI): when KEYSTONE_TEST_S3_ENDPOINT is set (with
// KEYSTONE_TEST_S3_ACCESS_KEY, _SECRET_KEY, _BUCKET and _REGION), a Strict server of the S3 dialect over http
// starts no process: it reports that endpoint, keys, bucket and region, so the suites run against a real server
// (Ceph radosgw). What only our server has (faults, statistics, quirks, /__keystone/*) is unavailable then: the
// control calls fail, and tests that need them skip with KEYSTONE_SKIP_ON_EXTERNAL_SERVER (below).
class S3ServerProcess
{
public:
    enum class Kind { Strict, S3rver };
    // The protocol the strict server speaks: S3 (SigV4, path style at 127.0.0.1) or Alibaba OSS's native one
    // (--dialect oss: OSS V4/V1 signatures, CRC-64 headers, OSS error bodies; virtual-hosted at localhost, which
    // libcurl resolves to 127.0.0.1 for any bucket.localhost).
    enum class Dialect { S3, Oss };

    explicit S3ServerProcess(Kind kind);
    ~S3ServerProcess(); // stop(), then the temporary directory is removed
    S3ServerProcess(const S3ServerProcess &) = delete;
    S3ServerProcess &operator=(const S3ServerProcess &) = delete;

    // Strict server only: the port start() binds, e.g. one a test found closed before (default 0: any free port).
    void setPort(quint16 port) { m_requestedPort = port; }
    // Strict server only: more command-line options (e.g. {"--discard"}), used from the next start().
    void setExtraArguments(const QStringList &arguments) { m_extraArguments = arguments; }
    // Strict server only: the dialect, from the next start() (default S3).
    void setDialect(Dialect dialect) { m_dialect = dialect; }
    Dialect dialect() const { return m_dialect; }
    // Strict OSS server only: every request must carry this STS token (--security-token), from the next start();
    // getObject()/putObject() send it.
    void setSecurityToken(const QByteArray &token) { m_securityToken = token; }
    QByteArray securityToken() const { return m_securityToken; }
    // Strict server only: serve https (--tls-ca-out) from the next start(), with a test CA made by the server.
    void setTls(bool tls) { m_tls = tls; }
    bool tls() const { return m_tls; }
    // The test CA's certificate (PEM) while a TLS server runs; empty otherwise.
    QString caBundle() const;
    // What a client's transport needs to reach this server (the CA bundle under TLS).
    TransportOptions transportOptions() const;
    // Starts the server and waits until it accepts connections (at most ~20 s).
    // On failure returns false and describes why (including the tail of the server's output).
    bool start(QString *error);
    // Terminates the server (SIGTERM, wait; SIGKILL if needed) and reaps it. Idempotent.
    void stop();
    bool isRunning() const;

    Kind kind() const { return m_kind; }
    QString kindName() const;
    QUrl endpoint() const; // http://127.0.0.1:PORT, or http://localhost:PORT for OSS (empty before start)
    // What a client needs to reach this server: endpoint, region, addressing, provider (Custom or AlibabaOss).
    EndpointProfile clientProfile() const;
    quint16 port() const { return m_port; }
    QString bucket() const;
    QString dataDirectory() const; // where the server keeps its objects
    QByteArray accessKeyId() const;
    QByteArray secretAccessKey() const;
    QByteArray region() const;
    qint64 pid() const; // 0 when not running

    // Strict server only (control endpoints, no auth). Return false / an empty object on error.
    bool injectFault(const QJsonObject &fault, QString *error = nullptr); // POST /__keystone/faults
    bool clearFaults(QString *error = nullptr); // DELETE /__keystone/faults
    QJsonObject stats(QString *error = nullptr); // GET /__keystone/stats
    int requestCount(const QString &op); // stats()["requests"][op]: requests of that operation so far (0: none)
    int inFlight(const QString &op); // stats()["in_flight"][op]: requests of that operation being answered now
    // DELETE /__keystone/stats: zeroes the request/fault/part counters; the in-flight maxima restart from
    // what is in flight now ("connections" stays cumulative).
    bool resetStats(QString *error = nullptr);
    // POST /__keystone/uploads/abort: aborts every multipart upload in progress whose key starts with keyPrefix (all
    // when empty), as a lifecycle rule or an admin's cleanup would. Returns how many, or -1 on error. On an external
    // server: the same through ListMultipartUploads and AbortMultipartUpload.
    int abortUploads(const QString &keyPrefix = {}, QString *error = nullptr);
    // stats()["unknown_upload_requests"][op]: requests of that operation that named an upload id the server did not
    // have (0: none).
    int unknownUploadRequests(const QString &op);
    // snapshot[counter][bucket()/key] of a stats() answer: per part number, how often that part of key's upload was
    // tried ("part_attempts") or stored ("part_uploads").
    QJsonObject partCounts(const QJsonObject &snapshot, const QString &counter, const QString &key) const;
    QJsonObject partCounts(const QString &counter, const QString &key); // of stats() now

    // Reads an object of bucket() with a signed GET (S3Client with clientProfile(): works on every server and dialect)
    // to compare bytes. (s3rver would also serve an unsigned GET; the strict server would not.)
    bool getObject(const QString &key, QByteArray *data, QString *error = nullptr);
    // Stores a small object with a signed PutObject (test set-up: an object that already exists).
    bool putObject(const QString &key, const QByteArray &data, QString *error = nullptr);

    // True when KEYSTONE_TEST_S3_ENDPOINT names an external server (see the class comment).
    static bool externalMode();
    // True when this instance is that external server (Strict, S3 dialect, http).
    bool isExternal() const;

    // Path of the server program (the strict server binary, or s3rver.js); empty when not built.
    static QString programPath(Kind kind);
    // True while a process with this PID exists and is not a zombie (reads /proc/PID/stat).
    static bool processAlive(qint64 pid);

private:
    struct HttpResult
    {
        int status = 0; // 0: no HTTP response at all
        QByteArray body;
        QString error;
    };

    HttpResult request(const QByteArray &method, const QUrl &url,
        const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &body = {});
    bool requireStrict(const char *what, QString *error) const;
    // A call to the strict server's control endpoints; the body of a 2xx answer, or nullopt with *error set.
    std::optional<QByteArray> controlCall(
        const char *what, const QByteArray &method, const QString &path, const QByteArray &jsonBody, QString *error);
    QString logTail() const;
    bool startExternal(QString *error);
    int abortUploadsByS3(const QString &keyPrefix, QString *error);

    Kind m_kind;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    quint16 m_requestedPort = 0;
    QStringList m_extraArguments;
    Dialect m_dialect = Dialect::S3;
    QByteArray m_securityToken;
    bool m_tls = false;
    bool m_externalStarted = false; // external mode: start() succeeded and stop() was not called since
};

// In a test function (or its init()): skips the test when an external server runs (S3ServerProcess::externalMode()),
// saying what the test needs that only our server has, e.g. KEYSTONE_SKIP_ON_EXTERNAL_SERVER("fault injection").
// Without KEYSTONE_TEST_S3_ENDPOINT (CI) it does nothing.
#define KEYSTONE_SKIP_ON_EXTERNAL_SERVER(needs)                                                                        \
    do {                                                                                                               \
        if (S3ServerProcess::externalMode())                                                                           \
            QSKIP("external S3 server: needs " needs ", which only strict-s3-server offers");                          \
    } while (false)

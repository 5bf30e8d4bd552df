#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QRandomGenerator>

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace StrictS3 {

// Faults registered through POST /__keystone/faults, and the counters behind GET /__keystone/stats.
// Shared by all connection threads, hence the mutex.
class FaultInjector
{
public:
    enum class Action { Status, Reset, Stall, WrongEtag, DropPart, CrcMismatch, Garbled };

    struct Fault
    {
        int id = 0;
        QByteArray op; // S3 operation name or "*"
        int partNumber = -1; // UploadPart: the part it fires on (-1 = any); DropPart: the part it removes
        int times = 1; // remaining firings; -1 = forever
        Action action = Action::Status;
        int status = 503;
        QByteArray code = "SlowDown";
        QByteArray message = "Please reduce your request rate.";
        int retryAfter = -1; // seconds; -1 = no Retry-After header
        qint64 afterBytes = 0;
        int stallMs = 0;
        double probability = 1.0; // < 1: fires on that share of matching requests (one seeded draw)
        bool process = false; // Status, Garbled: the request is carried out, then its answer replaced
        QByteArray body; // Garbled: the body of the 200 answered instead (empty, HTML, cut-off XML…)
    };

    // Parses and registers a fault; returns its id, or an error text in *error.
    int add(const QJsonObject &json, QString *error);
    void clear();
    QJsonObject faultsJson() const;
    // Takes one firing of the first fault matching op (and part number), if any. Probabilistic faults that
    // match the same request share one draw: their probabilities add up, so each fires on its own slice.
    std::optional<Fault> take(const QByteArray &op, int partNumber);
    // The generator behind probabilistic faults (POST /__keystone/faults/seed, or "seed" in a fault).
    void seed(quint32 seed);

    void countRequest(const QByteArray &op);
    // An authenticated request, by the access key id that signed it (requests_by_access_key).
    void countAuthenticated(const QByteArray &accessKeyId, const QByteArray &op);
    void countConnection();
    // A request naming an upload id the server does not have (unknown_upload_requests, by operation).
    void countUnknownUpload(const QByteArray &op);
    QJsonObject statsJson(int uploadsInProgress) const;
    // DELETE /__keystone/stats: zeroes requests, faults_fired, part_uploads and part_attempts; the
    // in-flight maxima restart from what is in flight now. connections stays cumulative.
    void resetStats();

    // Upload requests (UploadPart, PutObject, CreateMultipartUpload, CompleteMultipartUpload) in flight:
    // registered once authenticated, released by the guard (on every exit path).
    static bool isUploadOp(const QByteArray &op);
    class InFlightGuard
    {
    public:
        InFlightGuard() = default;
        InFlightGuard(FaultInjector *owner, quint64 id)
            : m_owner(owner)
            , m_id(id)
        { }
        ~InFlightGuard() { release(); }
        InFlightGuard(InFlightGuard &&other) noexcept
            : m_owner(std::exchange(other.m_owner, nullptr))
            , m_id(other.m_id)
        { }
        InFlightGuard &operator=(InFlightGuard &&other) noexcept
        {
            if (this != &other) {
                release();
                m_owner = std::exchange(other.m_owner, nullptr);
                m_id = other.m_id;
            }
            return *this;
        }
        InFlightGuard(const InFlightGuard &) = delete;
        InFlightGuard &operator=(const InFlightGuard &) = delete;
        // Idempotent: the request no longer counts as in flight.
        void release();

    private:
        FaultInjector *m_owner = nullptr;
        quint64 m_id = 0;
    };
    // op must satisfy isUploadOp(); key is the object key (prefixes are taken from it, not the bucket).
    [[nodiscard]] InFlightGuard beginUpload(const QByteArray &op, const QByteArray &key);

    // UploadPart accounting per "<bucket>/<key>" and part number: an attempt when an authenticated
    // UploadPart starts, an upload once its body was received and the part stored.
    void countPartAttempt(const QByteArray &bucketKey, int partNumber);
    void countPartUpload(const QByteArray &bucketKey, int partNumber);
    // wrong_etag accounting: the ETag a part was wrongly answered with, per upload and part; a Complete that
    // lists one of them means the client committed a part it should have rejected.
    void recordWrongEtag(
        const QByteArray &bucketKey, const QByteArray &uploadId, int partNumber, const QByteArray &etag);
    void checkCompletedParts(const QByteArray &uploadId, const QList<std::pair<int, QByteArray>> &parts);
    // crc_mismatch accounting: UploadPart (part number) or PutObject (-1) answered with a wrong CRC-64.
    void recordWrongCrc(const QByteArray &bucketKey, int partNumber);

    static constexpr int kPrefixDepths = 3;

private:
    struct InFlightEntry
    {
        QByteArray op;
        std::array<QByteArray, kPrefixDepths> prefixes; // depth 1..3
    };
    void endUpload(quint64 id);
    void updateMaxima(); // m_mutex held

    mutable std::mutex m_mutex;
    QList<Fault> m_faults;
    int m_nextId = 1;
    std::map<QByteArray, qint64> m_requests;
    std::map<QByteArray, qint64> m_unknownUploads; // op → requests naming an upload id not in progress
    std::map<QByteArray, std::map<QByteArray, qint64>> m_requestsByKey; // access key id → op → requests
    qint64 m_connections = 0;
    qint64 m_faultsFired = 0;
    std::map<QByteArray, qint64> m_faultsFiredByKind; // "status_500", "reset", "stall", "wrong_etag", ...
    QRandomGenerator m_random{1};

    quint64 m_nextInFlightId = 1;
    std::map<quint64, InFlightEntry> m_inFlight;
    std::map<QByteArray, qint64> m_inFlightByOp; // UploadPart, PutObject, … and "uploads" (all four)
    std::map<QByteArray, qint64> m_maxInFlight;
    std::array<std::map<QByteArray, qint64>, kPrefixDepths> m_prefixesInFlight; // prefix → requests
    std::array<qint64, kPrefixDepths> m_maxPrefixes{};
    using PartCounts = std::map<QByteArray, std::map<int, qint64>>; // "<bucket>/<key>" → part → count
    PartCounts m_partUploads;
    PartCounts m_partAttempts;
    PartCounts m_wrongEtagParts;
    PartCounts m_wrongCrcParts;
    // uploadId → part → ETags it was wrongly answered with.
    std::map<QByteArray, std::map<int, QList<QByteArray>>> m_wrongEtags;
    qint64 m_wrongEtagsCompleted = 0;
};

} // namespace StrictS3

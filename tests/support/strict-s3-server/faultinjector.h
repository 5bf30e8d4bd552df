#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>

#include <map>
#include <mutex>
#include <optional>

namespace StrictS3 {

// Faults registered through POST /__keystone/faults, and the counters behind GET /__keystone/stats.
// Shared by all connection threads, hence the mutex.
class FaultInjector
{
public:
    enum class Action { Status, Reset, Stall, WrongEtag };

    struct Fault
    {
        int id = 0;
        QByteArray op; // S3 operation name or "*"
        int partNumber = -1; // UploadPart only; -1 = any
        int times = 1; // remaining firings; -1 = forever
        Action action = Action::Status;
        int status = 503;
        QByteArray code = "SlowDown";
        QByteArray message = "Please reduce your request rate.";
        int retryAfter = -1; // seconds; -1 = no Retry-After header
        qint64 afterBytes = 0;
        int stallMs = 0;
    };

    // Parses and registers a fault; returns its id, or an error text in *error.
    int add(const QJsonObject &json, QString *error);
    void clear();
    QJsonObject faultsJson() const;
    // Takes one firing of the first fault matching op (and part number), if any.
    std::optional<Fault> take(const QByteArray &op, int partNumber);

    void countRequest(const QByteArray &op);
    void countConnection();
    QJsonObject statsJson(int uploadsInProgress) const;

private:
    mutable std::mutex m_mutex;
    QList<Fault> m_faults;
    int m_nextId = 1;
    std::map<QByteArray, qint64> m_requests;
    qint64 m_connections = 0;
    qint64 m_faultsFired = 0;
};

} // namespace StrictS3

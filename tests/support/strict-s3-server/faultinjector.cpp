#include "faultinjector.h"

#include <QJsonArray>

namespace StrictS3 {

namespace {

const QByteArrayList kFaultOps
    = {"UploadPart", "PutObject", "CreateMultipartUpload", "CompleteMultipartUpload", "AbortMultipartUpload",
        "ListParts", "HeadObject", "HeadBucket", "GetObject", "ListMultipartUploads", "ListObjectsV2", "ListObjects",
        "ListBuckets", "CreateBucket", "DeleteBucket", "DeleteObject", "GetBucketLocation", "*"};

QString actionName(FaultInjector::Action action)
{
    switch (action) {
    case FaultInjector::Action::Status:
        return QStringLiteral("status");
    case FaultInjector::Action::Reset:
        return QStringLiteral("reset");
    case FaultInjector::Action::Stall:
        return QStringLiteral("stall");
    case FaultInjector::Action::WrongEtag:
        return QStringLiteral("wrong_etag");
    }
    return {};
}

} // namespace

int FaultInjector::add(const QJsonObject &json, QString *error)
{
    Fault fault;
    fault.op = json.value(u"op").toString().toUtf8();
    if (!kFaultOps.contains(fault.op)) {
        *error = QStringLiteral("unknown or missing \"op\"; one of: ") + QString::fromUtf8(kFaultOps.join(", "));
        return 0;
    }
    const QString action = json.value(u"action").toString(QStringLiteral("status"));
    if (action == u"status")
        fault.action = Action::Status;
    else if (action == u"reset")
        fault.action = Action::Reset;
    else if (action == u"stall")
        fault.action = Action::Stall;
    else if (action == u"wrong_etag")
        fault.action = Action::WrongEtag;
    else {
        *error = QStringLiteral("unknown \"action\"; one of: status, reset, stall, wrong_etag");
        return 0;
    }
    if (fault.action == Action::WrongEtag && fault.op != "UploadPart" && fault.op != "PutObject") {
        *error = QStringLiteral("wrong_etag applies to UploadPart or PutObject only");
        return 0;
    }
    if (json.contains(u"part_number")) {
        if (fault.op != "UploadPart") {
            *error = QStringLiteral("part_number applies to op UploadPart only");
            return 0;
        }
        fault.partNumber = json.value(u"part_number").toInt(-1);
    }
    fault.times = json.value(u"times").toInt(1);
    if (fault.times == 0 || fault.times < -1) {
        *error = QStringLiteral("\"times\" must be >= 1 or -1 (forever)");
        return 0;
    }
    fault.status = json.value(u"status").toInt(503);
    if (fault.status < 400 || fault.status > 599) {
        *error = QStringLiteral("\"status\" must be 400..599");
        return 0;
    }
    if (json.contains(u"code"))
        fault.code = json.value(u"code").toString().toUtf8();
    if (json.contains(u"message"))
        fault.message = json.value(u"message").toString().toUtf8();
    fault.retryAfter = json.value(u"retry_after").toInt(-1);
    fault.afterBytes = qint64(json.value(u"after_bytes").toDouble(0));
    fault.stallMs = json.value(u"stall_ms").toInt(0);
    if (fault.action == Action::Stall && fault.stallMs <= 0) {
        *error = QStringLiteral("stall needs \"stall_ms\" > 0");
        return 0;
    }

    std::lock_guard lock(m_mutex);
    fault.id = m_nextId++;
    m_faults.append(fault);
    return fault.id;
}

void FaultInjector::clear()
{
    std::lock_guard lock(m_mutex);
    m_faults.clear();
}

QJsonObject FaultInjector::faultsJson() const
{
    std::lock_guard lock(m_mutex);
    QJsonArray list;
    for (const Fault &f : m_faults) {
        QJsonObject o{{"id", f.id}, {"op", QString::fromUtf8(f.op)}, {"times", f.times},
            {"action", actionName(f.action)}, {"status", f.status}, {"code", QString::fromUtf8(f.code)},
            {"message", QString::fromUtf8(f.message)}, {"after_bytes", double(f.afterBytes)}, {"stall_ms", f.stallMs}};
        if (f.partNumber >= 0)
            o.insert("part_number", f.partNumber);
        if (f.retryAfter >= 0)
            o.insert("retry_after", f.retryAfter);
        list.append(o);
    }
    return QJsonObject{{"faults", list}};
}

std::optional<FaultInjector::Fault> FaultInjector::take(const QByteArray &op, int partNumber)
{
    std::lock_guard lock(m_mutex);
    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        Fault &f = m_faults[i];
        if (f.op != "*" && f.op != op)
            continue;
        if (f.partNumber >= 0 && f.partNumber != partNumber)
            continue;
        const Fault fired = f;
        if (f.times > 0 && --f.times == 0)
            m_faults.removeAt(i); // used up: gone from the list
        ++m_faultsFired;
        return fired;
    }
    return std::nullopt;
}

void FaultInjector::countRequest(const QByteArray &op)
{
    std::lock_guard lock(m_mutex);
    ++m_requests[op];
}

void FaultInjector::countConnection()
{
    std::lock_guard lock(m_mutex);
    ++m_connections;
}

QJsonObject FaultInjector::statsJson(int uploadsInProgress) const
{
    std::lock_guard lock(m_mutex);
    QJsonObject requests;
    for (const auto &[op, n] : m_requests)
        requests.insert(QString::fromUtf8(op), double(n));
    return QJsonObject{{"requests", requests}, {"connections", double(m_connections)},
        {"faults_fired", double(m_faultsFired)}, {"uploads_in_progress", uploadsInProgress}};
}

} // namespace StrictS3

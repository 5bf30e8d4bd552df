#include "faultinjector.h"

#include <QJsonArray>

#include <algorithm>

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
    case FaultInjector::Action::DropPart:
        return QStringLiteral("drop_part");
    case FaultInjector::Action::CrcMismatch:
        return QStringLiteral("crc_mismatch");
    case FaultInjector::Action::Garbled:
        return QStringLiteral("garbled");
    }
    return {};
}

// What GET /__keystone/stats counts a fired fault as: its action, and for status answers the status too.
QByteArray kindName(const FaultInjector::Fault &fault)
{
    if (fault.action == FaultInjector::Action::Status)
        return "status_" + QByteArray::number(fault.status);
    return actionName(fault.action).toLatin1();
}

QByteArray unquoted(QByteArray etag)
{
    etag = etag.trimmed();
    if (etag.size() >= 2 && etag.startsWith('"') && etag.endsWith('"'))
        etag = etag.mid(1, etag.size() - 2);
    return etag.toLower(); // hex either way: the oss dialect sends it upper-case
}

const QByteArrayList kUploadOps = {"UploadPart", "PutObject", "CreateMultipartUpload", "CompleteMultipartUpload"};
const QByteArray kAllUploads = "uploads";

// The key's first depth '/'-separated segments; a key with fewer segments is its own prefix.
QByteArray keyPrefix(const QByteArray &key, int depth)
{
    qsizetype from = 0;
    for (int i = 0; i < depth; ++i) {
        const qsizetype slash = key.indexOf('/', from);
        if (slash < 0)
            return key;
        if (i == depth - 1)
            return key.left(slash);
        from = slash + 1;
    }
    return key;
}

QJsonObject opCountsJson(const std::map<QByteArray, qint64> &counts)
{
    QJsonObject o;
    for (const QByteArray &op : kUploadOps) {
        const auto it = counts.find(op);
        o.insert(QString::fromUtf8(op), double(it == counts.end() ? 0 : it->second));
    }
    const auto it = counts.find(kAllUploads);
    o.insert(QString::fromUtf8(kAllUploads), double(it == counts.end() ? 0 : it->second));
    return o;
}

QJsonObject partCountsJson(const std::map<QByteArray, std::map<int, qint64>> &counts)
{
    QJsonObject o;
    for (const auto &[bucketKey, parts] : counts) {
        QJsonObject perPart;
        for (const auto &[number, n] : parts)
            perPart.insert(QString::number(number), double(n));
        o.insert(QString::fromUtf8(bucketKey), perPart);
    }
    return o;
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
    else if (action == u"drop_part")
        fault.action = Action::DropPart;
    else if (action == u"crc_mismatch")
        fault.action = Action::CrcMismatch;
    else if (action == u"garbled")
        fault.action = Action::Garbled;
    else {
        *error = QStringLiteral(
            "unknown \"action\"; one of: status, reset, stall, wrong_etag, drop_part, crc_mismatch, garbled");
        return 0;
    }
    if ((fault.action == Action::WrongEtag || fault.action == Action::CrcMismatch) && fault.op != "UploadPart"
        && fault.op != "PutObject") {
        *error = actionName(fault.action) + QStringLiteral(" applies to UploadPart or PutObject only");
        return 0;
    }
    // "part" is accepted as a short alias of "part_number".
    const QJsonValue part = json.contains(u"part_number") ? json.value(u"part_number") : json.value(u"part");
    if (fault.action == Action::DropPart && (fault.op != "CompleteMultipartUpload" || part.isUndefined())) {
        *error = QStringLiteral("drop_part applies to CompleteMultipartUpload and needs \"part_number\"");
        return 0;
    }
    if (!part.isUndefined()) {
        if (fault.op != "UploadPart" && fault.action != Action::DropPart) {
            *error = QStringLiteral("part_number applies to op UploadPart (or action drop_part) only");
            return 0;
        }
        fault.partNumber = part.toInt(-1);
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
    fault.probability = json.value(u"probability").toDouble(1.0);
    if (!(fault.probability > 0.0 && fault.probability <= 1.0)) {
        *error = QStringLiteral("\"probability\" must be in (0, 1]");
        return 0;
    }
    fault.process = json.value(u"process").toBool(false);
    if (fault.process && fault.action != Action::Status && fault.action != Action::Garbled) {
        *error = QStringLiteral("\"process\" applies to actions status and garbled only");
        return 0;
    }
    fault.body = json.value(u"body").toString().toUtf8();

    std::lock_guard lock(m_mutex);
    if (json.contains(u"seed"))
        m_random.seed(quint32(json.value(u"seed").toInteger()));
    fault.id = m_nextId++;
    m_faults.append(fault);
    return fault.id;
}

void FaultInjector::seed(quint32 seed)
{
    std::lock_guard lock(m_mutex);
    m_random.seed(seed);
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
            {"message", QString::fromUtf8(f.message)}, {"after_bytes", double(f.afterBytes)}, {"stall_ms", f.stallMs},
            {"probability", f.probability}, {"process", f.process}};
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
    std::optional<double> draw; // drawn once, only for requests a probabilistic fault matches
    double slice = 0.0;
    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        Fault &f = m_faults[i];
        if (f.op != "*" && f.op != op)
            continue;
        if (f.action != Action::DropPart && f.partNumber >= 0 && f.partNumber != partNumber)
            continue;
        if (f.probability < 1.0) {
            if (!draw)
                draw = m_random.generateDouble();
            const bool hit = *draw >= slice && *draw < slice + f.probability;
            slice += f.probability;
            if (!hit)
                continue;
        }
        const Fault fired = f;
        if (f.times > 0 && --f.times == 0)
            m_faults.removeAt(i); // used up: gone from the list
        ++m_faultsFired;
        ++m_faultsFiredByKind[kindName(fired)];
        return fired;
    }
    return std::nullopt;
}

void FaultInjector::countRequest(const QByteArray &op)
{
    std::lock_guard lock(m_mutex);
    ++m_requests[op];
}

void FaultInjector::countAuthenticated(const QByteArray &accessKeyId, const QByteArray &op)
{
    std::lock_guard lock(m_mutex);
    ++m_requestsByKey[accessKeyId][op];
}

void FaultInjector::countUnknownUpload(const QByteArray &op)
{
    std::lock_guard lock(m_mutex);
    ++m_unknownUploads[op];
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
    QJsonObject unknownUploads;
    for (const auto &[op, n] : m_unknownUploads)
        unknownUploads.insert(QString::fromUtf8(op), double(n));
    QJsonObject requestsByKey;
    for (const auto &[key, ops] : m_requestsByKey) {
        QJsonObject counts;
        for (const auto &[op, n] : ops)
            counts.insert(QString::fromUtf8(op), double(n));
        requestsByKey.insert(QString::fromUtf8(key), counts);
    }
    QJsonObject maxPrefixes;
    for (int d = 0; d < kPrefixDepths; ++d)
        maxPrefixes.insert(QString::number(d + 1), double(m_maxPrefixes[size_t(d)]));
    QJsonObject firedByKind;
    for (const auto &[kind, n] : m_faultsFiredByKind)
        firedByKind.insert(QString::fromUtf8(kind), double(n));
    return QJsonObject{{"requests", requests}, {"requests_by_access_key", requestsByKey},
        {"connections", double(m_connections)}, {"faults_fired", double(m_faultsFired)},
        {"faults_fired_by_kind", firedByKind}, {"wrong_etag_parts", partCountsJson(m_wrongEtagParts)},
        {"wrong_crc_parts", partCountsJson(m_wrongCrcParts)}, {"wrong_etags_completed", double(m_wrongEtagsCompleted)},
        {"uploads_in_progress", uploadsInProgress}, {"in_flight", opCountsJson(m_inFlightByOp)},
        {"max_in_flight", opCountsJson(m_maxInFlight)}, {"max_in_flight_prefixes", maxPrefixes},
        {"part_uploads", partCountsJson(m_partUploads)}, {"part_attempts", partCountsJson(m_partAttempts)},
        {"unknown_upload_requests", unknownUploads}};
}

void FaultInjector::resetStats()
{
    std::lock_guard lock(m_mutex);
    m_requests.clear();
    m_requestsByKey.clear();
    m_unknownUploads.clear();
    m_faultsFired = 0;
    m_faultsFiredByKind.clear();
    m_wrongEtagParts.clear();
    m_wrongCrcParts.clear();
    m_wrongEtags.clear();
    m_wrongEtagsCompleted = 0;
    m_partUploads.clear();
    m_partAttempts.clear();
    m_maxInFlight.clear();
    m_maxPrefixes.fill(0);
    updateMaxima(); // restart from what is in flight right now
}

bool FaultInjector::isUploadOp(const QByteArray &op)
{
    return kUploadOps.contains(op);
}

FaultInjector::InFlightGuard FaultInjector::beginUpload(const QByteArray &op, const QByteArray &key)
{
    InFlightEntry entry;
    entry.op = op;
    for (int d = 0; d < kPrefixDepths; ++d)
        entry.prefixes[size_t(d)] = keyPrefix(key, d + 1);

    std::lock_guard lock(m_mutex);
    const quint64 id = m_nextInFlightId++;
    ++m_inFlightByOp[op];
    ++m_inFlightByOp[kAllUploads];
    for (int d = 0; d < kPrefixDepths; ++d)
        ++m_prefixesInFlight[size_t(d)][entry.prefixes[size_t(d)]];
    m_inFlight.emplace(id, std::move(entry));
    updateMaxima();
    return InFlightGuard(this, id);
}

void FaultInjector::endUpload(quint64 id)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    --m_inFlightByOp[it->second.op];
    --m_inFlightByOp[kAllUploads];
    for (int d = 0; d < kPrefixDepths; ++d) {
        auto &prefixes = m_prefixesInFlight[size_t(d)];
        const auto p = prefixes.find(it->second.prefixes[size_t(d)]);
        if (p != prefixes.end() && --p->second <= 0)
            prefixes.erase(p);
    }
    m_inFlight.erase(it);
}

void FaultInjector::updateMaxima()
{
    for (const auto &[op, n] : m_inFlightByOp) {
        qint64 &max = m_maxInFlight[op];
        max = std::max(max, n);
    }
    for (int d = 0; d < kPrefixDepths; ++d) {
        qint64 &max = m_maxPrefixes[size_t(d)];
        max = std::max(max, qint64(m_prefixesInFlight[size_t(d)].size()));
    }
}

void FaultInjector::InFlightGuard::release()
{
    if (FaultInjector *owner = std::exchange(m_owner, nullptr))
        owner->endUpload(m_id);
}

void FaultInjector::countPartAttempt(const QByteArray &bucketKey, int partNumber)
{
    std::lock_guard lock(m_mutex);
    ++m_partAttempts[bucketKey][partNumber];
}

void FaultInjector::countPartUpload(const QByteArray &bucketKey, int partNumber)
{
    std::lock_guard lock(m_mutex);
    ++m_partUploads[bucketKey][partNumber];
}

void FaultInjector::recordWrongEtag(
    const QByteArray &bucketKey, const QByteArray &uploadId, int partNumber, const QByteArray &etag)
{
    std::lock_guard lock(m_mutex);
    ++m_wrongEtagParts[bucketKey][partNumber];
    if (!uploadId.isEmpty())
        m_wrongEtags[uploadId][partNumber].append(unquoted(etag));
}

void FaultInjector::checkCompletedParts(const QByteArray &uploadId, const QList<std::pair<int, QByteArray>> &parts)
{
    std::lock_guard lock(m_mutex);
    const auto upload = m_wrongEtags.find(uploadId);
    if (upload == m_wrongEtags.end())
        return;
    for (const auto &[number, etag] : parts) {
        const auto wrong = upload->second.find(number);
        if (wrong != upload->second.end() && wrong->second.contains(unquoted(etag)))
            ++m_wrongEtagsCompleted;
    }
}

void FaultInjector::recordWrongCrc(const QByteArray &bucketKey, int partNumber)
{
    std::lock_guard lock(m_mutex);
    ++m_wrongCrcParts[bucketKey][partNumber];
}

} // namespace StrictS3

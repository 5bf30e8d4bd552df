#include "storageerror.h"

#include <algorithm>

#include <QHash>
#include <QRegularExpression>
#include <QTimeZone>

#include "s3xml.h"

namespace {

// Codes we have an opinion on. Everything not listed falls back to the HTTP status.
const QHash<QString, bool> &codeTable()
{
    static const QHash<QString, bool> table{
        // Transient on the server side, or throttling: the same request can succeed later.
        {QStringLiteral("RequestTimeout"), true},
        {QStringLiteral("RequestTimeoutException"), true},
        {QStringLiteral("SlowDown"), true},
        {QStringLiteral("Throttling"), true},
        {QStringLiteral("ThrottlingException"), true},
        {QStringLiteral("TooManyRequests"), true},
        {QStringLiteral("RequestLimitExceeded"), true},
        {QStringLiteral("BandwidthLimitExceeded"), true},
        {QStringLiteral("PriorRequestNotComplete"), true},
        {QStringLiteral("InternalError"), true},
        {QStringLiteral("ServiceUnavailable"), true},
        {QStringLiteral("BadGateway"), true},
        {QStringLiteral("GatewayTimeout"), true},
        // "A conflicting conditional operation is currently in progress ... Please try again."
        {QStringLiteral("OperationAborted"), true},
        // The body arrived damaged or short: a fresh send of the same bytes fixes that.
        {QStringLiteral("BadDigest"), true},
        {QStringLiteral("XAmzContentSHA256Mismatch"), true},
        {QStringLiteral("IncompleteBody"), true},

        // Credentials, permissions, addressing and request-shape problems: retrying repeats the failure.
        {QStringLiteral("AccessDenied"), false},
        {QStringLiteral("AccountProblem"), false},
        {QStringLiteral("InvalidAccessKeyId"), false},
        {QStringLiteral("SignatureDoesNotMatch"), false},
        {QStringLiteral("ExpiredToken"), false},
        {QStringLiteral("SecurityTokenExpired"), false}, // OSS: the STS token ran out; new credentials needed
        {QStringLiteral("InvalidToken"), false},
        {QStringLiteral("TokenRefreshRequired"), false},
        // Not retryable on purpose: the local clock is off by more than 15 minutes, and re-signing with the
        // same clock fails the same way. The user has to fix the clock; hiding it behind retries wastes time.
        {QStringLiteral("RequestTimeTooSkewed"), false},
        {QStringLiteral("NoSuchBucket"), false},
        {QStringLiteral("NoSuchKey"), false},
        {QStringLiteral("NoSuchUpload"), false},
        {QStringLiteral("NotFound"), false},
        {QStringLiteral("EntityTooSmall"), false},
        {QStringLiteral("EntityTooLarge"), false},
        {QStringLiteral("InvalidPart"), false},
        {QStringLiteral("InvalidPartOrder"), false},
        {QStringLiteral("InvalidArgument"), false},
        {QStringLiteral("InvalidRequest"), false},
        {QStringLiteral("InvalidBucketName"), false},
        {QStringLiteral("InvalidDigest"), false},
        {QStringLiteral("InvalidRange"), false},
        {QStringLiteral("MalformedXML"), false},
        {QStringLiteral("MethodNotAllowed"), false},
        {QStringLiteral("MissingContentLength"), false},
        {QStringLiteral("NotImplemented"), false},
        {QStringLiteral("PermanentRedirect"), false},
        {QStringLiteral("PreconditionFailed"), false},
    };
    return table;
}

struct StatusInfo
{
    const char *code;
    const char *reason;
};

// For bodiless answers (HEAD) and proxies that answer in HTML: a code in S3's vocabulary, so callers can
// switch on s3Code alone. S3 itself uses "NotFound" for a HEAD 404, since it cannot say what is missing.
// Our own words for a code whose error document came with an empty <Message> (radosgw 16.2 sends none): the
// operator then reads what the code means, not only the status line ("Access Denied", "Not Found").
const char *sentenceFor(const QString &code)
{
    static const QHash<QString, const char *> sentences{
        {QStringLiteral("AccessDenied"), "The storage denied access: these credentials may not do this here"},
        {QStringLiteral("NoSuchBucket"), "The bucket does not exist at this endpoint"},
        {QStringLiteral("NoSuchKey"), "The object (or the multipart upload) does not exist"},
        {QStringLiteral("NoSuchUpload"), "The multipart upload does not exist: it was aborted, completed or expired"},
        {QStringLiteral("SignatureDoesNotMatch"),
            "The request's signature does not match: the secret key is wrong, or something changed the request"},
        {QStringLiteral("InvalidAccessKeyId"), "The access key ID is not known to the storage"},
        {QStringLiteral("RequestTimeTooSkewed"), "This computer's clock differs too much from the storage's"},
        {QStringLiteral("InvalidPart"), "A part named in the completion is missing or has another ETag"},
        {QStringLiteral("InvalidPartOrder"), "The parts named in the completion are not in ascending order"},
        {QStringLiteral("EntityTooSmall"), "A part is smaller than the storage's minimum part size"},
        {QStringLiteral("EntityTooLarge"), "The request is larger than the storage accepts"},
        {QStringLiteral("BadDigest"), "The body does not match the Content-MD5 sent with it"},
        {QStringLiteral("SlowDown"), "The storage asks to slow down"},
        {QStringLiteral("InternalError"), "The storage failed internally"},
        {QStringLiteral("ServiceUnavailable"), "The storage is unavailable for now"},
        {QStringLiteral("QuotaExceeded"), "The bucket or account is over its quota"},
    };
    return sentences.value(code, nullptr);
}

StatusInfo statusInfo(int status)
{
    switch (status) {
    case 301:
        return {"PermanentRedirect", "Moved Permanently (wrong region or endpoint?)"};
    case 307:
        return {"TemporaryRedirect", "Temporary Redirect"};
    case 400:
        return {"BadRequest", "Bad Request"};
    case 401:
        return {"Unauthorized", "Unauthorized"};
    case 403:
        return {"AccessDenied", "Access Denied"};
    case 404:
        return {"NotFound", "Not Found"};
    case 405:
        return {"MethodNotAllowed", "Method Not Allowed"};
    case 408:
        return {"RequestTimeout", "Request Timeout"};
    case 409:
        return {"Conflict", "Conflict"};
    case 411:
        return {"MissingContentLength", "Length Required"};
    case 412:
        return {"PreconditionFailed", "Precondition Failed"};
    case 413:
        return {"EntityTooLarge", "Payload Too Large"};
    case 416:
        return {"InvalidRange", "Range Not Satisfiable"};
    case 429:
        return {"TooManyRequests", "Too Many Requests"};
    case 500:
        return {"InternalError", "Internal Server Error"};
    case 501:
        return {"NotImplemented", "Not Implemented"};
    case 502:
        return {"BadGateway", "Bad Gateway"};
    case 503:
        return {"ServiceUnavailable", "Service Unavailable"};
    case 504:
        return {"GatewayTimeout", "Gateway Timeout"};
    default:
        return {nullptr, nullptr};
    }
}

StorageError make(StorageError::Kind kind, const char *code, const QString &message, bool retryable)
{
    StorageError error;
    error.kind = kind;
    error.s3Code = QString::fromLatin1(code);
    error.message = message;
    error.retryable = retryable;
    return error;
}

int monthFromName(QStringView name)
{
    static const char *const months[]
        = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i) {
        if (name.compare(QLatin1String(months[i]), Qt::CaseInsensitive) == 0) {
            return i + 1;
        }
    }
    return 0;
}

// HTTP-date (RFC 9110 5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms recipients must accept.
// Qt's RFC2822Date parser rejects the "GMT" zone name, hence the hand-written forms.
QDateTime parseHttpDate(const QString &text)
{
    static const QRegularExpression imf(
        QStringLiteral(R"(^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$)"));
    static const QRegularExpression rfc850(
        QStringLiteral(R"(^[A-Za-z]+, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$)"));
    static const QRegularExpression asctime(
        QStringLiteral(R"(^[A-Za-z]{3} ([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$)"));

    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (const auto m = imf.match(text); m.hasMatch()) {
        day = m.capturedView(1).toInt();
        month = monthFromName(m.capturedView(2));
        year = m.capturedView(3).toInt();
        hour = m.capturedView(4).toInt();
        minute = m.capturedView(5).toInt();
        second = m.capturedView(6).toInt();
    } else if (const auto m = rfc850.match(text); m.hasMatch()) {
        day = m.capturedView(1).toInt();
        month = monthFromName(m.capturedView(2));
        // Two-digit years: RFC 9110 says to read them as the most recent past year with those digits;
        // for a Retry-After (always near now) this century is the right reading until 2100.
        year = 2000 + m.capturedView(3).toInt();
        hour = m.capturedView(4).toInt();
        minute = m.capturedView(5).toInt();
        second = m.capturedView(6).toInt();
    } else if (const auto m = asctime.match(text); m.hasMatch()) {
        month = monthFromName(m.capturedView(1));
        day = m.capturedView(2).toInt();
        hour = m.capturedView(3).toInt();
        minute = m.capturedView(4).toInt();
        second = m.capturedView(5).toInt();
        year = m.capturedView(6).toInt();
    } else {
        // Numeric zones ("+0000") are not HTTP-dates, but some servers send them.
        return QDateTime::fromString(text, Qt::RFC2822Date);
    }
    const QDate date(year, month, day);
    const QTime time(hour, minute, second);
    if (!date.isValid() || !time.isValid()) {
        return {};
    }
    return QDateTime(date, time, QTimeZone::utc());
}

} // namespace

namespace {

// The identifiers support asks for, as " [request id …] [EC …]".
QString supportIds(const StorageError &error)
{
    QString text;
    if (!error.requestId.isEmpty())
        text += QStringLiteral(" [request id %1]").arg(error.requestId);
    if (!error.ec.isEmpty())
        text += QStringLiteral(" [EC %1]").arg(error.ec);
    return text;
}

} // namespace

QString StorageError::toString() const
{
    QString text = s3Code;
    if (text.isEmpty()) {
        text = kind == Kind::None ? QStringLiteral("NoError") : QStringLiteral("Error");
    }
    if (httpStatus != 0) {
        text += QStringLiteral(" (HTTP %1)").arg(httpStatus);
    }
    // simplified(): S3 messages may span lines, and this is meant for one log line.
    const QString oneLine = message.simplified();
    if (!oneLine.isEmpty()) {
        text += QStringLiteral(": ") + oneLine;
    }
    return text + supportIds(*this);
}

QString StorageError::detail() const
{
    QString text = message.simplified();
    if (text.isEmpty() && httpStatus != 0) // some servers send no <Message>: the status still says something
        text = QStringLiteral("HTTP %1").arg(httpStatus);
    else if (httpStatus != 0)
        text += QStringLiteral(" (HTTP %1)").arg(httpStatus);
    return (text + supportIds(*this)).trimmed();
}

bool StorageError::isKnownS3Code(const QString &code)
{
    return codeTable().contains(code);
}

bool StorageError::isRetryableS3Code(const QString &code)
{
    return codeTable().value(code, false);
}

bool StorageError::isRetryableHttpStatus(int httpStatus)
{
    switch (httpStatus) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
        return true;
    default:
        return false;
    }
}

int StorageError::parseRetryAfterMs(QByteArrayView header, const QDateTime &nowUtc)
{
    const QString text = QString::fromLatin1(header.data(), header.size()).trimmed();
    if (text.isEmpty()) {
        return -1;
    }
    qint64 ms = -1;
    bool allDigits = true;
    for (const QChar c : text) {
        allDigits = allDigits && c.isDigit() && c.unicode() < 128;
    }
    if (allDigits) {
        bool ok = false;
        const qulonglong seconds = text.toULongLong(&ok);
        // An overflowing number of seconds is still "a very long time": clamp rather than ignore it.
        ms = (!ok || seconds > qulonglong(kMaxRetryAfterMs) / 1000) ? kMaxRetryAfterMs : qint64(seconds) * 1000;
    } else {
        const QDateTime when = parseHttpDate(text);
        if (!when.isValid()) {
            return -1;
        }
        ms = nowUtc.msecsTo(when); // a date in the past means "now"
    }
    return int(std::clamp<qint64>(ms, 0, kMaxRetryAfterMs));
}

StorageError StorageError::fromHttpResponse(int httpStatus, const QByteArray &body, const QByteArray &requestIdHeader,
    const QByteArray &retryAfterHeader, const QByteArray &ecHeader)
{
    StorageError error;
    error.kind = Kind::Http;
    error.httpStatus = httpStatus;

    if (const auto parsed = S3Xml::parseError(body)) {
        error.s3Code = parsed->code.trimmed();
        error.message = parsed->message;
        error.requestId = parsed->requestId.trimmed();
        error.hostId = parsed->hostId;
        error.ec = parsed->ec;
    }
    if (error.ec.isEmpty())
        error.ec = QString::fromLatin1(ecHeader).trimmed();
    const StatusInfo info = statusInfo(httpStatus);
    if (error.s3Code.isEmpty()) {
        error.s3Code = info.code ? QString::fromLatin1(info.code) : QStringLiteral("HttpStatus%1").arg(httpStatus);
    }
    if (error.message.trimmed().isEmpty()) {
        const char *sentence = sentenceFor(error.s3Code);
        error.message = sentence ? QString::fromLatin1(sentence)
            : info.reason        ? QString::fromLatin1(info.reason)
                                 : QStringLiteral("Unexpected HTTP status");
    }
    const QString headerId = QString::fromLatin1(requestIdHeader).trimmed();
    if (!headerId.isEmpty()) {
        error.requestId = headerId;
    }

    error.retryable = isKnownS3Code(error.s3Code) ? isRetryableS3Code(error.s3Code) : isRetryableHttpStatus(httpStatus);
    error.retryAfterMs = parseRetryAfterMs(retryAfterHeader, QDateTime::currentDateTimeUtc());
    return error;
}

StorageError StorageError::unreachable(const QString &message)
{
    return make(Kind::Network, "Unreachable", message, true);
}

StorageError StorageError::network(const QString &message, bool timedOut)
{
    return timedOut ? make(Kind::Timeout, "Timeout", message, true)
                    : make(Kind::Network, "NetworkError", message, true);
}

StorageError StorageError::integrity(const QString &message)
{
    return make(Kind::Integrity, "BadDigest", message, true);
}

StorageError StorageError::localIo(const QString &message)
{
    return make(Kind::LocalIo, "LocalIoError", message, false);
}

StorageError StorageError::fileMissing(const QString &message)
{
    return make(Kind::LocalIo, "FileMissing", message, false);
}

StorageError StorageError::fileChanged(const QString &message)
{
    return make(Kind::LocalIo, "FileChanged", message, false);
}

StorageError StorageError::protocol(const QString &message)
{
    // Retryable: a garbled answer is most often a cut connection or a misbehaving proxy, not a fixed state.
    return make(Kind::Protocol, "InvalidResponse", message, true);
}

StorageError StorageError::cancelled()
{
    return make(Kind::Cancelled, "Cancelled", QStringLiteral("Cancelled by the user"), false);
}

StorageError StorageError::tooManyFiles(const QString &message)
{
    return make(Kind::Config, "TooManyFiles", message, false);
}

StorageError StorageError::unsupportedFiles(const QString &message, const QStringList &paths)
{
    StorageError error = make(Kind::Config, "UnsupportedFiles", message, false);
    error.paths = paths;
    return error;
}

StorageError StorageError::config(const QString &message)
{
    return make(Kind::Config, "ConfigError", message, false);
}

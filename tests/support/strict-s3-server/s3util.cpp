#include "s3util.h"

#include <QRandomGenerator>

namespace StrictS3 {

namespace S3Util {

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (int i = 0; i < bytes; ++i)
        raw[i] = char(QRandomGenerator::system()->bounded(256));
    return raw.toHex();
}

QByteArray isoTime(const QDateTime &utc)
{
    return utc.toUTC().toString(u"yyyy-MM-dd'T'HH:mm:ss.zzz'Z'").toLatin1();
}

QByteArray httpDate(const QDateTime &utc)
{
    // Fixed English names regardless of locale (QDateTime::toString uses the C locale for these).
    return utc.toUTC().toString(u"ddd, dd MMM yyyy HH:mm:ss 'GMT'").toLatin1();
}

bool percentDecode(QByteArrayView in, QByteArray *out)
{
    const auto hexValue = [](char h) {
        if (h >= '0' && h <= '9')
            return h - '0';
        if (h >= 'a' && h <= 'f')
            return h - 'a' + 10;
        if (h >= 'A' && h <= 'F')
            return h - 'A' + 10;
        return -1;
    };
    out->clear();
    out->reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out->append(in[i]);
            continue;
        }
        if (i + 2 >= in.size())
            return false;
        const int hi = hexValue(in[i + 1]);
        const int lo = hexValue(in[i + 2]);
        if (hi < 0 || lo < 0)
            return false;
        out->append(char(hi * 16 + lo));
        i += 2;
    }
    return true;
}

QByteArray quoted(const QByteArray &etag)
{
    return '"' + etag + '"';
}

QByteArray unquoted(QByteArray etag)
{
    etag = etag.trimmed();
    if (etag.startsWith("&quot;"))
        etag.remove(0, 6);
    if (etag.endsWith("&quot;"))
        etag.chop(6);
    if (etag.startsWith('"'))
        etag.remove(0, 1);
    if (etag.endsWith('"'))
        etag.chop(1);
    return etag;
}

QByteArray xmlEscaped(const QByteArray &utf8)
{
    return QString::fromUtf8(utf8).toHtmlEscaped().toUtf8();
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QByteArray accessKeyIdOf(const QByteArray &authorization)
{
    if (const qsizetype at = authorization.indexOf("Credential="); at >= 0) {
        const qsizetype begin = at + qsizetype(sizeof("Credential=") - 1);
        const qsizetype slash = authorization.indexOf('/', begin);
        return slash < 0 ? QByteArray() : authorization.mid(begin, slash - begin);
    }
    if (authorization.startsWith("OSS ")) {
        const qsizetype colon = authorization.indexOf(':', 4);
        return colon < 0 ? QByteArray() : authorization.mid(4, colon - 4);
    }
    return {};
}

} // namespace S3Util

} // namespace StrictS3

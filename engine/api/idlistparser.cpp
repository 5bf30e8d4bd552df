#include "idlistparser.h"

#include <limits>

ApiResult<qint64> IdListParser::parseId(QStringView text)
{
    if (text.isEmpty())
        return ApiError{QStringLiteral("an empty id")};
    const bool negative = text.startsWith(QLatin1Char('-'));
    const QStringView digits = negative ? text.mid(1) : text;
    if (digits.isEmpty())
        return ApiError{QStringLiteral("\"%1\" is not an integer").arg(text)};
    for (const QChar c : digits) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return ApiError{QStringLiteral("\"%1\" is not an integer").arg(text.left(40))};
    }
    quint64 value = 0;
    constexpr quint64 kMax = quint64(std::numeric_limits<qint64>::max());
    for (const QChar c : digits) {
        const quint64 digit = quint64(c.unicode() - u'0');
        if (value > (kMax - digit) / 10)
            return ApiError{QStringLiteral("\"%1\" is beyond the 64-bit range").arg(text.left(40))};
        value = value * 10 + digit;
    }
    if (negative || value == 0)
        return ApiError{QStringLiteral("\"%1\": ids are positive").arg(text)};
    return qint64(value);
}

IdListParser::Result IdListParser::parseList(const std::optional<QString> &ids)
{
    Result result;
    if (!ids || ids->isEmpty()) {
        result.error = QStringLiteral("the query parameter \"ids\" is required (comma-separated episode ids)");
        return result;
    }
    const QList<QStringView> parts = QStringView(*ids).split(QLatin1Char(','));
    if (parts.size() > kMaxIds) {
        result.error = QStringLiteral("%1 ids given; at most %2 per request").arg(parts.size()).arg(kMaxIds);
        return result;
    }
    result.ids.reserve(parts.size());
    for (const QStringView part : parts) {
        const auto id = parseId(part);
        if (!id) {
            result.ids.clear();
            result.error = id.error().message;
            return result;
        }
        result.ids.append(id.value());
    }
    return result;
}

#include "bytesize.h"

#include <limits>

#include <QRegularExpression>

namespace {

struct Unit
{
    QChar suffix;
    int shift;
};

// Largest first: format() picks the first that divides evenly.
constexpr Unit kUnits[] = {{QLatin1Char('G'), 30}, {QLatin1Char('M'), 20}, {QLatin1Char('K'), 10}};

int shiftOf(QChar suffix)
{
    for (const Unit &unit : kUnits) {
        if (unit.suffix == suffix)
            return unit.shift;
    }
    return 0; // no suffix: bytes
}

} // namespace

qint64 ByteSize::parse(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d+)\\s*([kKmMgG]?)(i?[bB])?\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    bool ok = false;
    const qint64 number = match.captured(1).toLongLong(&ok);
    if (!ok)
        return -1; // more digits than qint64 holds
    const int shift = match.captured(2).isEmpty() ? 0 : shiftOf(match.captured(2).at(0).toUpper());
    if (number > (std::numeric_limits<qint64>::max() >> shift))
        return -1;
    return number << shift;
}

QString ByteSize::format(qint64 bytes)
{
    if (bytes > 0) {
        for (const Unit &unit : kUnits) {
            const qint64 size = qint64(1) << unit.shift;
            if (bytes % size == 0)
                return QString::number(bytes / size) + unit.suffix;
        }
    }
    return QString::number(bytes);
}

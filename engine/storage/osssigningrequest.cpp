#include "osssigningrequest.h"

namespace OssSigning {

std::map<QByteArray, QByteArrayList> lowerCaseHeaders(const HeaderList &headers)
{
    std::map<QByteArray, QByteArrayList> out;
    for (const auto &[name, value] : headers)
        out[name.toLower().trimmed()].append(value.trimmed());
    return out;
}

void setHeader(HeaderList &headers, const QByteArray &lowerCaseName, const QByteArray &value)
{
    headers.removeIf([&](const auto &header) { return header.first.toLower() == lowerCaseName; });
    headers.emplaceBack(lowerCaseName, value);
}

} // namespace OssSigning

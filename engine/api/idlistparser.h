#pragma once

#include "apiresult.h"

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

// Validates the `ids` of GET /sync/episode-statuses and single `{id}` path segments. Accepted: decimal digits only
// (no sign, no spaces, no exponent), value 1 … 2^63-1; at most kMaxIds comma-separated ids.
class IdListParser
{
public:
    static constexpr int kMaxIds = 1000;

    struct Result
    {
        QList<qint64> ids; // as given, duplicates included
        QString error; // empty: valid
        bool ok() const { return error.isEmpty(); }
    };

    static Result parseList(const std::optional<QString> &ids); // nullopt: the parameter is missing
    // One id, or why it is not one.
    [[nodiscard]] static ApiResult<qint64> parseId(QStringView text);
};

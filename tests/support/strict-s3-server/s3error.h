#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace StrictS3 {

// An S3 error as sent in the XML error body. status == 0 means "no error".
struct S3Error
{
    int status = 0;
    QByteArray code;
    QByteArray message;
    QList<std::pair<QByteArray, QByteArray>> extra; // additional elements (e.g. StringToSign), like AWS sends

    bool isError() const { return status != 0; }
    static S3Error make(int status, QByteArray code, QByteArray message)
    {
        return S3Error{status, std::move(code), std::move(message), {}};
    }
};

} // namespace StrictS3

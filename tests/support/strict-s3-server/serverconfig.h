#pragma once

#include "quirks.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QList>
#include <QString>

#include <utility>

namespace StrictS3 {

// Command-line settings of strict-s3-server (see main.cpp for the flags).
struct ServerConfig
{
    enum class DialectKind { S3, Oss };

    DialectKind dialect = DialectKind::S3;
    QString root;
    quint16 port = 0;
    QByteArray accessKey = "AKIAKEYSTONETEST";
    QByteArray secretKey = "keystone-strict-secret";
    QByteArray region = "us-east-1";
    // --extra-key K:S (s3 dialect, repeatable): more key pairs accepted beside accessKey/secretKey, e.g. for a client
    // that switches credentials while it runs.
    QList<std::pair<QByteArray, QByteArray>> extraKeys;
    QByteArrayList buckets;
    qint64 minPartSize = 5 * 1024 * 1024;
    int listPartsPageSize = 0; // --list-parts-page-size: at most this many parts per ListParts page (0: max-parts)
    QByteArray securityToken; // --security-token (oss): required in x-oss-security-token when set
    QString tlsCaOut; // --tls-ca-out FILE: serve https with a CA made at start-up, its certificate written here
    bool discard = false; // --discard: verify and hash bodies, store none (benchmarks)
    QuirkSet quirks; // --quirk NAME[,NAME] (repeatable): behave like a named real server where it differs from AWS S3
};

} // namespace StrictS3

#pragma once

#include <QByteArray>
#include <QDateTime>

namespace StrictS3 {

// Small helpers shared by the store and the request handler.
namespace S3Util {

QByteArray randomHex(int bytes);
QByteArray isoTime(const QDateTime &utc); // 2024-01-31T12:00:00.000Z (XML timestamps)
QByteArray httpDate(const QDateTime &utc); // Wed, 31 Jan 2024 12:00:00 GMT (Last-Modified)
// Decodes %XX only ('+' stays '+', as S3 treats it in paths). False on a malformed escape.
bool percentDecode(QByteArrayView in, QByteArray *out);
QByteArray quoted(const QByteArray &etag); // "\"" + etag + "\""
QByteArray unquoted(QByteArray etag); // strips surrounding quotes (and &quot; forms)
QByteArray xmlEscaped(const QByteArray &utf8); // text content of an XML element
// Compares secrets (signatures, tokens) in time independent of where they first differ.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);
// The access key id an Authorization header names: "...Credential=<id>/..." (SigV4, OSS V4) or "OSS <id>:..." (V1).
QByteArray accessKeyIdOf(const QByteArray &authorization);

} // namespace S3Util

} // namespace StrictS3

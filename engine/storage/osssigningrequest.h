#pragma once

#include "sigv4signer.h"

#include <QByteArray>
#include <QByteArrayList>

// What Alibaba OSS's native signers (V1 and V4) need to know of a request. Bucket and key come separately, not
// as a path: OSS signs the resource "/bucket/key" whatever the addressing (virtual-hosted requests carry the bucket
// in the Host header only). Key and query are *decoded*; the signers encode as their version requires, so the
// client and the strict test server (which decodes what arrived) build the same canonical form.
struct OssSigningRequest
{
    QByteArray method;
    QByteArray bucket; // empty: a service-level request
    QByteArray key; // empty: a bucket-level request
    HeaderList query; // decoded name/value pairs, any order; an empty value is a bare name ("?uploads")
    HeaderList headers; // as sent; repeated names are joined with ','
    QByteArrayList additionalHeaders; // V4: lower-case names to sign beyond the default set (we send none)
};

#include <map>

// Helpers both OSS signers use.
namespace OssSigning {

// Lower-case names → values trimmed and in the order sent (repeated names joined later with ',').
std::map<QByteArray, QByteArrayList> lowerCaseHeaders(const HeaderList &headers);
// Replaces every header of that (case-insensitive) name with one value.
void setHeader(HeaderList &headers, const QByteArray &lowerCaseName, const QByteArray &value);

} // namespace OssSigning

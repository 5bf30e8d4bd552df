#include "requestauthorizer.h"

#include "ossv1signer.h"
#include "ossv4signer.h"

namespace {

class SigV4Authorizer final : public RequestAuthorizer
{
public:
    SigV4Authorizer(const EndpointProfile &profile, const AwsCredentials &credentials)
        : m_signer(credentials, profile.region.toUtf8())
    { }

    void authorize(const Request &request, HeaderList &headers, const QDateTime &nowUtc) const override
    {
        headers.emplaceBack("x-amz-date", SigV4Signer::amzDate(nowUtc));
        headers.emplaceBack("x-amz-content-sha256", request.payloadHash);
        if (!m_signer.credentials().sessionToken.isEmpty())
            headers.emplaceBack("x-amz-security-token", m_signer.credentials().sessionToken);
        const SigningRequest signing{request.method, request.path, request.query, headers, request.payloadHash};
        headers.emplaceBack("authorization", m_signer.sign(signing, nowUtc).authorization);
    }

private:
    SigV4Signer m_signer;
};

// Both OSS versions sign the resource /bucket/key whatever the addressing, so the request path is not used.
template <typename Signer>
class OssAuthorizer final : public RequestAuthorizer
{
public:
    explicit OssAuthorizer(Signer signer)
        : m_signer(std::move(signer))
    { }

    void authorize(const Request &request, HeaderList &headers, const QDateTime &nowUtc) const override
    {
        OssSigningRequest signing{
            request.method, request.bucket.toUtf8(), request.key.toUtf8(), request.query, std::move(headers), {}};
        m_signer.authorize(signing, nowUtc);
        headers = std::move(signing.headers);
    }

private:
    Signer m_signer;
};

} // namespace

std::unique_ptr<RequestAuthorizer> RequestAuthorizer::create(
    const EndpointProfile &profile, const AwsCredentials &credentials)
{
    if (!profile.isOss())
        return std::make_unique<SigV4Authorizer>(profile, credentials);
    if (profile.signatureVersion == EndpointProfile::SignatureVersion::V1)
        return std::make_unique<OssAuthorizer<OssV1Signer>>(OssV1Signer(credentials));
    return std::make_unique<OssAuthorizer<OssV4Signer>>(OssV4Signer(credentials, profile.region.toUtf8()));
}

#pragma once

#include "dialect.h"
#include "requestauthenticator.h"

namespace StrictS3 {

// The AWS S3 dialect (default): path-style addressing, SigV4, x-amz-request-id, AWS's error document.
class S3Dialect : public Dialect
{
public:
    explicit S3Dialect(const ServerConfig &config);

    S3Error address(
        const HttpRequest &request, const QByteArray &path, QByteArray *bucket, QByteArray *key) const override;
    S3Error authenticate(const HttpRequest &request, const QByteArray &path, const QByteArray &bucket,
        const QByteArray &key, const HeaderList &query, const QDateTime &nowUtc) const override;
    QByteArray payloadHash(const HttpRequest &request) const override;
    QByteArray etag(const QByteArray &hex) const override;
    bool usesCrc64() const override { return false; }
    void addCrc64(HttpResponse &, quint64) const override { }
    void addCompleteHeaders(HttpResponse &, const QByteArray &, quint64) const override { }
    QByteArray objectUrl(const HttpRequest &request, const QByteArray &bucket, const QByteArray &key) const override;
    void addIdHeaders(HttpResponse &response, const QByteArray &requestId) const override;
    void setError(HttpResponse &response, const S3Error &error, const HttpRequest &request, const QByteArray &requestId,
        const QByteArray &path, bool withBody) const override;

private:
    RequestAuthenticator m_authenticator;
    bool m_emptyErrorMessage; // --quirk empty-error-message
    bool m_etagUnquoted; // --quirk etag-unquoted
    bool m_etagUppercase; // --quirk etag-uppercase
};

} // namespace StrictS3

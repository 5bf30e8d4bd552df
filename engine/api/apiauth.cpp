#include "apiauth.h"

#include "apilogging.h"
#include "secretfile.h"

#include <QCryptographicHash>
#include <QFileInfo>

namespace {

const QString kWhat = QStringLiteral("API token");

QString stripPort(QString host)
{
    if (host.startsWith(QLatin1Char('['))) { // [v6] or [v6]:port
        const qsizetype close = host.indexOf(QLatin1Char(']'));
        if (close < 0)
            return {};
        const QString rest = host.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(QLatin1Char(':')))
            return {};
        return host.mid(1, close - 1);
    }
    const qsizetype colon = host.indexOf(QLatin1Char(':'));
    if (colon >= 0) {
        if (host.indexOf(QLatin1Char(':'), colon + 1) >= 0)
            return {}; // a bare IPv6 address must be bracketed in Host
        host.truncate(colon);
    }
    return host;
}

} // namespace

ApiResult<void> ApiAuth::loadOrCreateToken(const QString &path)
{
    const QFileInfo info(path);
    if (info.exists() || info.isSymLink())
        return readToken(path);
    return createToken(path);
}

ApiResult<void> ApiAuth::readToken(const QString &path)
{
    ApiResult<QByteArray> token = SecretFile::read(path, kWhat);
    if (!token)
        return token.error();
    m_token = std::move(token.value());
    return {};
}

ApiResult<void> ApiAuth::createToken(const QString &path)
{
    ApiResult<QByteArray> token = SecretFile::create(path, kWhat);
    if (!token)
        return token.error();
    qCInfo(lcApi) << "created a new API token file" << path;
    m_token = std::move(token.value());
    return {};
}

ApiResult<void> ApiAuth::regenerateToken(const QString &path)
{
    ApiResult<QByteArray> token = SecretFile::replace(path, kWhat);
    if (!token)
        return token.error();
    qCInfo(lcApi) << "regenerated the API token in" << path;
    m_token = std::move(token.value());
    return {};
}

bool ApiAuth::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    const QByteArray ha = QCryptographicHash::hash(a, QCryptographicHash::Sha256);
    const QByteArray hb = QCryptographicHash::hash(b, QCryptographicHash::Sha256);
    unsigned char diff = 0;
    for (qsizetype i = 0; i < ha.size(); ++i)
        diff |= static_cast<unsigned char>(ha.at(i) ^ hb.at(i));
    return diff == 0;
}

ApiAuth::Verdict ApiAuth::check(const QByteArray &authorizationHeader) const
{
    const QByteArray value = authorizationHeader.trimmed();
    if (value.isEmpty())
        return Verdict::Missing;
    constexpr QByteArrayView kScheme = "bearer ";
    if (value.size() <= kScheme.size() || value.left(kScheme.size()).toLower() != kScheme)
        return Verdict::Invalid;
    const QByteArray presented = value.mid(kScheme.size()).trimmed();
    if (m_token.isEmpty())
        return Verdict::Invalid;
    return constantTimeEquals(presented, m_token) ? Verdict::Ok : Verdict::Invalid;
}

void ApiAuth::setAllowedHosts(const QStringList &hosts, const QHostAddress &boundAddress)
{
    m_allowedHosts.clear();
    for (const QString &host : hosts)
        m_allowedHosts.append(host.trimmed().toLower());
    if (!boundAddress.isNull() && boundAddress != QHostAddress::Any && boundAddress != QHostAddress::AnyIPv4
        && boundAddress != QHostAddress::AnyIPv6) {
        m_allowedHosts.append(boundAddress.toString().toLower());
    }
}

bool ApiAuth::hostAllowed(const QByteArray &hostHeader) const
{
    const QString host = stripPort(QString::fromLatin1(hostHeader.trimmed())).toLower();
    if (host.isEmpty())
        return false;
    if (host == QLatin1String("localhost") || host.endsWith(QLatin1String(".localhost")))
        return true;
    const QHostAddress address(host);
    if (!address.isNull() && address.isLoopback())
        return true;
    return m_allowedHosts.contains(host);
}

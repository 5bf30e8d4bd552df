#include "apiauth.h"

#include "apilogging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <array>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

bool isHexToken(const QByteArray &text)
{
    if (text.size() < 2 * ApiAuth::kTokenBytes)
        return false;
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

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

bool ApiAuth::loadOrCreateToken(const QString &path, QString *error)
{
    const QFileInfo info(path);
    if (info.exists() || info.isSymLink())
        return readToken(path, error);
    return createToken(path, error);
}

bool ApiAuth::readToken(const QString &path, QString *error)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISREG(st.st_mode)) {
        *error = QStringLiteral("the API token file %1 is not a regular file").arg(path);
        return false;
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        *error = QStringLiteral("refusing the API token file %1: its mode %2 lets group or others read it "
                                "(run: chmod 600 %1)")
                     .arg(path)
                     .arg(st.st_mode & 0777, 4, 8, QLatin1Char('0'));
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the API token file %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray content = file.read(4096).trimmed();
    if (!isHexToken(content)) {
        *error = QStringLiteral("the API token file %1 is malformed (expected at least %2 hex digits); "
                                "delete it to generate a new token")
                     .arg(path)
                     .arg(2 * kTokenBytes);
        return false;
    }
    m_token = content;
    return true;
}

bool ApiAuth::createToken(const QString &path, QString *error)
{
    if (!QDir().mkpath(QFileInfo(path).path())) {
        *error = QStringLiteral("cannot create the directory of %1").arg(path);
        return false;
    }
    std::array<quint32, kTokenBytes / 4> words{};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    const QByteArray token = QByteArray(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words))).toHex();

    // O_EXCL + 0600 from the start: the file is never readable by others, not even for a moment.
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = QStringLiteral("cannot create the API token file %1: %2")
                     .arg(path, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    const QByteArray content = token + '\n';
    const bool written = ::write(fd, content.constData(), size_t(content.size())) == content.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        QFile::remove(path);
        *error = QStringLiteral("cannot write the API token file %1").arg(path);
        return false;
    }
    qCInfo(lcApi) << "created a new API token file" << path;
    m_token = token;
    return true;
}

bool ApiAuth::regenerateToken(const QString &path, QString *error)
{
    const QString staging = path + QStringLiteral(".new");
    QFile::remove(staging); // a leftover of an interrupted regeneration
    const QByteArray previous = m_token;
    if (!createToken(staging, error))
        return false;
    if (::rename(QFile::encodeName(staging).constData(), QFile::encodeName(path).constData()) != 0) {
        *error = QStringLiteral("cannot replace the API token file %1: %2")
                     .arg(path, QString::fromLocal8Bit(strerror(errno)));
        QFile::remove(staging);
        m_token = previous;
        return false;
    }
    qCInfo(lcApi) << "regenerated the API token in" << path;
    return true;
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

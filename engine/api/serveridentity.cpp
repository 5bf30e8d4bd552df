#include "serveridentity.h"

#include "secretfile.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <array>

namespace {

const QString kWhat = QStringLiteral("server identity");

} // namespace

ApiResult<void> ServerIdentity::create(const QString &path)
{
    return keep(SecretFile::replace(path, kWhat));
}

ApiResult<void> ServerIdentity::read(const QString &path)
{
    return keep(SecretFile::read(path, kWhat));
}

ApiResult<void> ServerIdentity::keep(ApiResult<QByteArray> secret)
{
    if (!secret)
        return secret.error();
    m_secret = std::move(secret.value());
    return {};
}

QByteArray ServerIdentity::proof(const QByteArray &nonce, quint16 port) const
{
    const QByteArray message = "keystone-console instance " + nonce + " port " + QByteArray::number(port);
    return QMessageAuthenticationCode::hash(message, m_secret, QCryptographicHash::Sha256).toHex();
}

QByteArray ServerIdentity::newNonce()
{
    std::array<quint32, kNonceBytes / 4> words{};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    return QByteArray(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words))).toHex();
}

bool ServerIdentity::isValidNonce(const QByteArray &nonce)
{
    if (nonce.isEmpty() || nonce.size() > kMaxNonceLength)
        return false;
    for (const char c : nonce) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

#include "serveridentity.h"

#include "secretfile.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <array>

namespace {

const QString kWhat = QStringLiteral("server identity");

} // namespace

bool ServerIdentity::create(const QString &path, QString *error)
{
    std::optional<QByteArray> secret = SecretFile::replace(path, kWhat, error);
    if (!secret)
        return false;
    m_secret = *std::move(secret);
    return true;
}

bool ServerIdentity::read(const QString &path, QString *error)
{
    std::optional<QByteArray> secret = SecretFile::read(path, kWhat, error);
    if (!secret)
        return false;
    m_secret = *std::move(secret);
    return true;
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

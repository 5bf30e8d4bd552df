#include "secretfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <array>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

bool isHexSecret(const QByteArray &text)
{
    if (text.size() < 2 * SecretFile::kBytes)
        return false;
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

} // namespace

std::optional<QByteArray> SecretFile::read(const QString &path, const QString &what, QString *error)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISREG(st.st_mode)) {
        *error = QStringLiteral("the %1 file %2 is not a regular file").arg(what, path);
        return std::nullopt;
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        *error = QStringLiteral("refusing the %1 file %2: its mode %3 lets group or others read it "
                                "(run: chmod 600 %2)")
                     .arg(what, path)
                     .arg(st.st_mode & 0777, 4, 8, QLatin1Char('0'));
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the %1 file %2: %3").arg(what, path, file.errorString());
        return std::nullopt;
    }
    const QByteArray content = file.read(4096).trimmed();
    if (!isHexSecret(content)) {
        *error = QStringLiteral("the %1 file %2 is malformed (expected at least %3 hex digits); "
                                "delete it to generate a new one")
                     .arg(what, path)
                     .arg(2 * kBytes);
        return std::nullopt;
    }
    return content;
}

std::optional<QByteArray> SecretFile::create(const QString &path, const QString &what, QString *error)
{
    if (!QDir().mkpath(QFileInfo(path).path())) {
        *error = QStringLiteral("cannot create the directory of %1").arg(path);
        return std::nullopt;
    }
    std::array<quint32, kBytes / 4> words{};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    const QByteArray secret
        = QByteArray(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words))).toHex();

    // O_EXCL + 0600 from the start: the file is never readable by others, not even for a moment.
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = QStringLiteral("cannot create the %1 file %2: %3")
                     .arg(what, path, QString::fromLocal8Bit(strerror(errno)));
        return std::nullopt;
    }
    const QByteArray content = secret + '\n';
    const bool written = ::write(fd, content.constData(), size_t(content.size())) == content.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        QFile::remove(path);
        *error = QStringLiteral("cannot write the %1 file %2").arg(what, path);
        return std::nullopt;
    }
    return secret;
}

std::optional<QByteArray> SecretFile::replace(const QString &path, const QString &what, QString *error)
{
    const QString staging = path + QStringLiteral(".new");
    QFile::remove(staging); // a leftover of an interrupted replacement
    const std::optional<QByteArray> secret = create(staging, what, error);
    if (!secret)
        return std::nullopt;
    if (::rename(QFile::encodeName(staging).constData(), QFile::encodeName(path).constData()) != 0) {
        *error = QStringLiteral("cannot replace the %1 file %2: %3")
                     .arg(what, path, QString::fromLocal8Bit(strerror(errno)));
        QFile::remove(staging);
        return std::nullopt;
    }
    return secret;
}

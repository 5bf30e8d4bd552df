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

ApiResult<QByteArray> SecretFile::read(const QString &path, const QString &what)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return ApiError{QStringLiteral("the %1 file %2 is not a regular file").arg(what, path)};
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        return ApiError{QStringLiteral("refusing the %1 file %2: its mode %3 lets group or others read it "
                                       "(run: chmod 600 %2)")
                            .arg(what, path)
                            .arg(st.st_mode & 0777, 4, 8, QLatin1Char('0'))};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ApiError{QStringLiteral("cannot read the %1 file %2: %3").arg(what, path, file.errorString())};
    const QByteArray content = file.read(4096).trimmed();
    if (!isHexSecret(content)) {
        return ApiError{QStringLiteral("the %1 file %2 is malformed (expected at least %3 hex digits); "
                                       "delete it to generate a new one")
                            .arg(what, path)
                            .arg(2 * kBytes)};
    }
    return content;
}

ApiResult<QByteArray> SecretFile::create(const QString &path, const QString &what)
{
    if (!QDir().mkpath(QFileInfo(path).path()))
        return ApiError{QStringLiteral("cannot create the directory of %1").arg(path)};
    std::array<quint32, kBytes / 4> words{};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    const QByteArray secret
        = QByteArray(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words))).toHex();

    // O_EXCL + 0600 from the start: the file is never readable by others, not even for a moment.
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ApiError{QStringLiteral("cannot create the %1 file %2: %3")
                            .arg(what, path, QString::fromLocal8Bit(strerror(errno)))};
    const QByteArray content = secret + '\n';
    const bool written = ::write(fd, content.constData(), size_t(content.size())) == content.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        QFile::remove(path);
        return ApiError{QStringLiteral("cannot write the %1 file %2").arg(what, path)};
    }
    return secret;
}

ApiResult<QByteArray> SecretFile::replace(const QString &path, const QString &what)
{
    const QString staging = path + QStringLiteral(".new");
    QFile::remove(staging); // a leftover of an interrupted replacement
    ApiResult<QByteArray> secret = create(staging, what);
    if (!secret)
        return secret;
    if (::rename(QFile::encodeName(staging).constData(), QFile::encodeName(path).constData()) != 0) {
        ApiError error{QStringLiteral("cannot replace the %1 file %2: %3")
                           .arg(what, path, QString::fromLocal8Bit(strerror(errno)))};
        QFile::remove(staging);
        return error;
    }
    return secret;
}

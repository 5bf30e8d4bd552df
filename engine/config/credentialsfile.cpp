#include "credentialsfile.h"

#include "core/filetypename.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QScopeGuard>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

CredentialsFileError fileError(CredentialsFileError::Kind kind, const QString &message)
{
    return CredentialsFileError{kind, message};
}

// The first non-empty value among the names (the AWS spelling first).
QByteArray firstOf(const QHash<QByteArray, QByteArray> &values, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        const QByteArray value = values.value(name);
        if (!value.isEmpty())
            return value;
    }
    return {};
}

// A credentials file is a few hundred bytes; anything this large is not one (and is not read into memory).
constexpr qsizetype kMaxFileBytes = 64 * 1024;

QString permissionMessage(const QString &path, const struct stat &info, const CredentialsFilePolicy &policy)
{
    const QString mode = QStringLiteral("%1").arg(info.st_mode & 0777, 4, 8, QLatin1Char('0'));
    if ((policy.forbiddenModeBits & 044) != 0)
        return CredentialsFile::tr("credentials file %1 is readable by group or others (mode %2); run chmod 600 %1")
            .arg(path, mode);
    return CredentialsFile::tr("credentials file %1 is writable by group or others (mode %2); run chmod go-w %1")
        .arg(path, mode);
}

struct ReadError
{
    QString message;
    bool isError() const { return !message.isEmpty(); }
};

// The whole file through the descriptor that was checked (blocking again: it is a regular file).
Expected<QByteArray, ReadError> readAll(int fd)
{
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    QByteArray text;
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return ReadError{QString::fromLocal8Bit(std::strerror(errno))};
        if (got == 0)
            return text;
        text.append(buffer, got);
        if (text.size() > kMaxFileBytes)
            return ReadError{CredentialsFile::tr("larger than %1 bytes").arg(kMaxFileBytes)};
    }
}

} // namespace

CredentialsFilePolicy CredentialsFilePolicy::userFile()
{
    return CredentialsFilePolicy{::geteuid(), 077};
}

CredentialsFilePolicy CredentialsFilePolicy::systemdCredential()
{
    return CredentialsFilePolicy{::geteuid(), 022};
}

Expected<AwsCredentials, CredentialsFileError> CredentialsFile::read(
    const QString &path, const CredentialsFilePolicy &policy)
{
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, and start-up with it.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return fileError(CredentialsFileError::Kind::Unreadable,
            tr("cannot read credentials file %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    const auto closeFd = qScopeGuard([fd] { ::close(fd); });

    // Every check on the descriptor: what is read is what was checked. Permissions before contents: an exposed
    // secret is not even read.
    struct stat info = {};
    if (::fstat(fd, &info) != 0) {
        return fileError(CredentialsFileError::Kind::Unreadable,
            tr("cannot read credentials file %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    if (!S_ISREG(info.st_mode)) {
        return fileError(CredentialsFileError::Kind::NotRegularFile,
            tr("credentials file %1 is not a regular file (a %2)").arg(path, fileTypeName(info.st_mode)));
    }
    if (info.st_uid != policy.owner && info.st_uid != 0) {
        return fileError(CredentialsFileError::Kind::ForeignOwner,
            tr("credentials file %1 is owned by uid %2, not by the user running Keystone Console (uid %3) or root; "
               "whoever owns it can change the credentials")
                .arg(path)
                .arg(info.st_uid)
                .arg(policy.owner));
    }
    if ((info.st_mode & policy.forbiddenModeBits) != 0)
        return fileError(CredentialsFileError::Kind::InsecurePermissions, permissionMessage(path, info, policy));

    const auto text = readAll(fd);
    if (!text) {
        return fileError(CredentialsFileError::Kind::Unreadable,
            tr("cannot read credentials file %1: %2").arg(path, text.error().message));
    }
    return parse(text.value(), path);
}

Expected<AwsCredentials, CredentialsFileError> CredentialsFile::parse(const QByteArray &text, const QString &path)
{
    QHash<QByteArray, QByteArray> values;
    bool empty = true; // nothing but blank lines and comments
    bool inUsedSection = true; // lines before any section header count as the default profile
    for (QByteArray line : text.split('\n')) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith('#') || line.startsWith(';'))
            continue;
        empty = false;
        if (line.startsWith('[') && line.endsWith(']')) {
            inUsedSection = line.mid(1, line.size() - 2).trimmed() == "default";
            continue;
        }
        const qsizetype equals = line.indexOf('='); // secrets may contain '=', so only the first one splits
        if (!inUsedSection || equals <= 0)
            continue;
        values.insert(line.left(equals).trimmed().toLower(), line.mid(equals + 1).trimmed());
    }
    // Empty is not incomplete: the system unit's default for a missing /etc/keystone-console/credentials is a
    // systemd credential of one comment line (SetCredential=), and the lookup goes on as if there were none.
    if (empty)
        return fileError(CredentialsFileError::Kind::Empty, tr("credentials file %1 is empty").arg(path));
    AwsCredentials credentials;
    credentials.accessKeyId = firstOf(values, {"aws_access_key_id", "access_key_id"});
    credentials.secretAccessKey = firstOf(values, {"aws_secret_access_key", "access_key_secret"});
    credentials.sessionToken = firstOf(values, {"aws_session_token", "security_token"});
    if (!credentials.isValid()) {
        return fileError(CredentialsFileError::Kind::Incomplete,
            tr("credentials file %1 has no aws_access_key_id and aws_secret_access_key in its [default] section")
                .arg(path));
    }
    return credentials;
}

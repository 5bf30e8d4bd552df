#include "credentialsfile.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>

#include <sys/stat.h>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CredentialsFile", text);
}

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

} // namespace

Expected<AwsCredentials, CredentialsFileError> CredentialsFile::read(const QString &path)
{
    // Permissions before contents: an exposed secret is not even read.
    struct stat info = {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return fileError(CredentialsFileError::Kind::Unreadable, tr("cannot read credentials file %1").arg(path));
    if ((info.st_mode & 077) != 0) {
        return fileError(CredentialsFileError::Kind::InsecurePermissions,
            tr("credentials file %1 is readable by group or others (mode %2); run chmod 600 %1")
                .arg(path)
                .arg(info.st_mode & 0777, 4, 8, QLatin1Char('0')));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(CredentialsFileError::Kind::Unreadable,
            tr("cannot read credentials file %1: %2").arg(path, file.errorString()));
    return parse(file.readAll(), path);
}

Expected<AwsCredentials, CredentialsFileError> CredentialsFile::parse(const QByteArray &text, const QString &path)
{
    QHash<QByteArray, QByteArray> values;
    bool inUsedSection = true; // lines before any section header count as the default profile
    for (QByteArray line : text.split('\n')) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith('#') || line.startsWith(';'))
            continue;
        if (line.startsWith('[') && line.endsWith(']')) {
            inUsedSection = line.mid(1, line.size() - 2).trimmed() == "default";
            continue;
        }
        const qsizetype equals = line.indexOf('='); // secrets may contain '=', so only the first one splits
        if (!inUsedSection || equals <= 0)
            continue;
        values.insert(line.left(equals).trimmed().toLower(), line.mid(equals + 1).trimmed());
    }
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

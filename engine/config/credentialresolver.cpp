#include "credentialresolver.h"

#include "configlogging.h"
#include "credentialsfile.h"
#include "credentialstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>

#include <optional>

namespace {

using Lookup = Expected<ResolvedCredentials, CredentialLookupError>;

// where: "keychain", "file /path"; variable: the environment variable the id came from, if any.
ResolvedCredentials resolved(
    ResolvedCredentials::Source source, AwsCredentials credentials, const QString &where, const QString &variable = {})
{
    const QString key = CredentialResolver::maskedKeyId(QString::fromUtf8(credentials.accessKeyId));
    const QString detail = variable.isEmpty() ? CredentialResolver::tr("access key %1").arg(key)
                                              : CredentialResolver::tr("%1, access key %2").arg(variable, key);
    ResolvedCredentials result{std::move(credentials), source, QStringLiteral("%1 (%2)").arg(where, detail)};
    qCDebug(lcConfig).noquote() << "credentials resolved:" << result.description;
    return result;
}

std::optional<AwsCredentials> fromEnvironment(
    const QProcessEnvironment &environment, const char *id, const char *secret, const char *token)
{
    AwsCredentials credentials;
    credentials.accessKeyId = environment.value(QLatin1String(id)).toUtf8();
    credentials.secretAccessKey = environment.value(QLatin1String(secret)).toUtf8();
    credentials.sessionToken = environment.value(QLatin1String(token)).toUtf8();
    if (!credentials.isValid())
        return std::nullopt;
    return credentials;
}

// Step 3: the credential systemd passed to the unit. nullopt: there is none (the lookup goes on, *tried says why).
std::optional<Lookup> fromSystemdCredential(const QProcessEnvironment &environment, QStringList *tried)
{
    const QString directory = environment.value(QStringLiteral("CREDENTIALS_DIRECTORY"));
    const QString name = QLatin1String(CredentialResolver::kSystemdCredentialName);
    if (directory.isEmpty()) {
        *tried << CredentialResolver::tr("systemd credential %1: CREDENTIALS_DIRECTORY is not set").arg(name);
        return std::nullopt;
    }
    const QString path = QDir(directory).filePath(name);
    if (!QFileInfo::exists(path)) {
        *tried << CredentialResolver::tr("systemd credential %1: not in %2").arg(name, directory);
        return std::nullopt;
    }
    const auto file = CredentialsFile::read(path, CredentialsFilePolicy::systemdCredential());
    if (!file && file.error().kind == CredentialsFileError::Kind::Empty) {
        *tried << CredentialResolver::tr("systemd credential %1: empty").arg(name);
        return std::nullopt;
    }
    if (!file)
        return Lookup(CredentialLookupError{CredentialLookupError::Kind::FileRefused, file.error().message});
    return Lookup(resolved(ResolvedCredentials::Source::SystemdCredential, file.value(),
        CredentialResolver::tr("systemd credential %1").arg(path)));
}

QString noCredentialsMessage(const QStringList &tried)
{
    return CredentialResolver::tr(
        "no credentials found. Provide them in one of three ways: the keychain (keystone-console credentials "
        "set, with the access key id in AWS_ACCESS_KEY_ID or access-key-id= in the config), the environment "
        "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET), or "
        "--credentials-file FILE (AWS shared-credentials format, chmod 600; for a systemd service also "
        "LoadCredential=keystone-credentials:FILE). Tried: %1")
        .arg(tried.join(QStringLiteral("; ")));
}

} // namespace

QString CredentialResolver::keychainAccessKeyId(const CredentialRequest &request)
{
    for (const char *name : {"AWS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_ID"}) {
        const QString id = request.environment.value(QLatin1String(name));
        if (!id.isEmpty())
            return id;
    }
    return request.accessKeyId;
}

bool CredentialResolver::keychainUsable(const QProcessEnvironment &environment, QString *reason)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    // Secret Service lives on the session bus; without its address QtKeychain tries X11 autolaunch and fails late.
    if (environment.value(QStringLiteral("DBUS_SESSION_BUS_ADDRESS")).isEmpty()) {
        *reason = tr("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
        return false;
    }
#else
    Q_UNUSED(environment);
    Q_UNUSED(reason);
#endif
    return true;
}

QString CredentialResolver::maskedKeyId(const QString &accessKeyId)
{
    if (accessKeyId.size() <= 8)
        return accessKeyId;
    return accessKeyId.left(4) + QChar(0x2026) + accessKeyId.right(4);
}

Lookup CredentialResolver::resolve(const CredentialRequest &request)
{
    QStringList tried;

    const QString keyId = keychainAccessKeyId(request);
    QString reason;
    if (!request.useKeychain) {
        tried << tr("keychain: not asked here");
    } else if (keyId.isEmpty()) {
        tried << tr("keychain: no access key id to look up");
    } else if (!keychainUsable(request.environment, &reason)) {
        tried << tr("keychain: %1").arg(reason);
    } else {
        qCDebug(lcConfig) << "looking up the secret for" << maskedKeyId(keyId) << "in the keychain";
        const auto secret = CredentialStore::readSecretAndWait(keyId, request.keychainTimeoutMs);
        if (secret) {
            AwsCredentials credentials;
            credentials.accessKeyId = keyId.toUtf8();
            credentials.secretAccessKey = secret.value().toUtf8();
            return resolved(ResolvedCredentials::Source::Keychain, credentials, tr("keychain"));
        }
        tried << tr("keychain: %1").arg(secret.error().toString());
    }
    qCDebug(lcConfig) << "no secret from the keychain:" << tried.constLast();

    if (auto aws
        = fromEnvironment(request.environment, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"))
        return resolved(
            ResolvedCredentials::Source::Environment, *aws, tr("environment"), QStringLiteral("AWS_ACCESS_KEY_ID"));
    if (auto oss
        = fromEnvironment(request.environment, "OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET", "OSS_SESSION_TOKEN"))
        return resolved(
            ResolvedCredentials::Source::Environment, *oss, tr("environment"), QStringLiteral("OSS_ACCESS_KEY_ID"));
    tried << tr("environment: no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET "
                "pair");

    if (auto credential = fromSystemdCredential(request.environment, &tried))
        return *credential;

    if (request.credentialsFile.isEmpty()) {
        tried << tr("no --credentials-file given");
        return CredentialLookupError{CredentialLookupError::Kind::NotFound, noCredentialsMessage(tried)};
    }
    const QString path = QFileInfo(request.credentialsFile).absoluteFilePath();
    const auto file = CredentialsFile::read(path);
    if (!file)
        return CredentialLookupError{CredentialLookupError::Kind::FileRefused, file.error().message};
    return resolved(ResolvedCredentials::Source::File, file.value(), tr("file %1").arg(path));
}

#pragma once

#include "core/expected.h"

#include <QObject>
#include <QString>

#include <functional>

// Why a keychain operation failed. The message is meant for the user; it never contains the secret.
struct CredentialError
{
    enum class Kind { None, NoKeychain, NotFound, AccessDenied, Other };

    Kind kind = Kind::None;
    QString message; // user-facing explanation
    QString detail; // QtKeychain's own error text (for logs and bug reports; never the secret)

    bool isError() const { return kind != Kind::None; }
    QString toString() const { return detail.isEmpty() ? message : QStringLiteral("%1 (%2)").arg(message, detail); }
};

template <typename T>
using CredentialResult = Expected<T, CredentialError>;

// Secret access keys in the platform keychain (QtKeychain: Secret Service, KWallet, macOS Keychain, Windows
// Credential Store), under service "keystone-console" and the access key id as the key. Every call is
// asynchronous: the callback runs later on the thread this object lives in (never inside the call), unless this
// object was destroyed first, in which case it does not run at all. Secrets are never logged.
namespace QKeychain {
class Job;
}

class CredentialStore : public QObject
{
    Q_OBJECT

public:
    static inline const QString kService = QStringLiteral("keystone-console");

    using ReadCallback = std::function<void(const CredentialResult<QString> &)>;
    using DoneCallback = std::function<void(const CredentialResult<void> &)>;

    explicit CredentialStore(QObject *parent = nullptr);
    ~CredentialStore() override;

    void readSecret(const QString &accessKeyId, ReadCallback done);
    void writeSecret(const QString &accessKeyId, const QString &secret, DoneCallback done);
    void deleteSecret(const QString &accessKeyId, DoneCallback done);

    // The message for "no keychain reachable" (also used by callers that decide up front).
    static QString noKeychainMessage();

    // The same operations for start-up and one-shot commands: a local event loop runs until the keychain answers or
    // timeoutMs pass (then Kind::NoKeychain, "did not answer"; the abandoned job finishes on its own later).
    static CredentialResult<QString> readSecretAndWait(const QString &accessKeyId, int timeoutMs);
    static CredentialResult<void> writeSecretAndWait(const QString &accessKeyId, const QString &secret, int timeoutMs);
    static CredentialResult<void> deleteSecretAndWait(const QString &accessKeyId, int timeoutMs);

private:
    static CredentialError errorOf(int jobError, const QString &errorString);
    // Write and delete: refuse an empty key, else run the job and report success or its error.
    void runJob(QKeychain::Job *job, const QString &accessKeyId, DoneCallback done);
};

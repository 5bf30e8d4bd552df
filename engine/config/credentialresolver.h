#pragma once

#include "core/awscredentials.h"
#include "core/expected.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QString>

// What the credential lookup may use. The environment is passed in (not read from the process) so the order can be
// tested; the keychain itself is QtKeychain's, which talks to the session bus of this process.
struct CredentialRequest
{
    QProcessEnvironment environment;
    // The access key id from the config (`access-key-id=`) or the console's saved settings; an id in the
    // environment (AWS_ACCESS_KEY_ID, else OSS_ACCESS_KEY_ID) comes first.
    QString accessKeyId;
    QString credentialsFile; // --credentials-file; empty: none
    int keychainTimeoutMs = 5000; // a bus without a secret service must not hang the start
    // False: skip the keychain (the caller asked it already, or must not wait on it: the GUI thread).
    bool useKeychain = true;
};

// Credentials and where they came from. description is for the start-up line; it never contains the secret.
struct ResolvedCredentials
{
    enum class Source { Keychain, Environment, SystemdCredential, File };

    AwsCredentials credentials;
    Source source = Source::Environment;
    QString description; // "keychain (access key AKIA…TEST)", "environment (AWS_ACCESS_KEY_ID, access key …)", "file /p
                         // (…)"
};

struct CredentialLookupError
{
    enum class Kind { None, NotFound, FileRefused };

    Kind kind = Kind::None;
    QString message; // names the ways to provide credentials, or what is wrong with the credentials file

    bool isError() const { return kind != Kind::None; }
};

// The one place that finds the secret for every mode that talks to storage (desktop console, --server, upload),
// in this order:
//   1. the keychain (CredentialStore), when a secret service is usable and holds a secret for the access key id;
//      without a D-Bus session bus it is skipped at once (QtKeychain would try X11 autolaunch), and an unanswered
//      lookup is given up after keychainTimeoutMs;
//   2. the environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY [+ AWS_SESSION_TOKEN], else
//      OSS_ACCESS_KEY_ID + OSS_ACCESS_KEY_SECRET [+ OSS_SESSION_TOKEN];
//   3. the systemd credential keystone-credentials ($CREDENTIALS_DIRECTORY/keystone-credentials, from the unit's
//      LoadCredential=), same format; an empty one (nothing but comments: the unit's SetCredential= default when
//      the file is missing) counts as none; owned by root or this user, not writable by group or others;
//   4. the credentials file (CredentialsFile: AWS shared-credentials format, owned by this user or root, refused
//      unless mode 0600 or stricter).
// A credential or file that exists but is refused ends the lookup with its reason: it was put there on purpose.
// Start-up only: resolve() runs a local event loop while the keychain answers.
class CredentialResolver
{
    Q_DECLARE_TR_FUNCTIONS(CredentialResolver)

public:
    // The name of the systemd credential (LoadCredential=keystone-credentials:/etc/keystone-console/credentials).
    static constexpr const char *kSystemdCredentialName = "keystone-credentials";

    [[nodiscard]] static Expected<ResolvedCredentials, CredentialLookupError> resolve(const CredentialRequest &request);

    // The access key id the keychain is asked about (environment first, then the request's).
    static QString keychainAccessKeyId(const CredentialRequest &request);
    // False, with the reason, when asking the keychain could only fail or hang (no session bus).
    static bool keychainUsable(const QProcessEnvironment &environment, QString *reason);
    // "AKIA…TEST": enough to tell keys apart in a log line.
    static QString maskedKeyId(const QString &accessKeyId);
};

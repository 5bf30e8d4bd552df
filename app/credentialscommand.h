#pragma once

#include <QCoreApplication>
#include <QStringList>

// `keystone-console credentials set|clear [--access-key-id ID]`: stores or removes the secret access key in the
// keychain (CredentialStore), where --server and the console look first. The secret is read from stdin (one line;
// not echoed on a terminal), never from the command line, where other users could see it in the process list.
// The access key id defaults to AWS_ACCESS_KEY_ID, else OSS_ACCESS_KEY_ID, else access-key-id= in the --config file.
// Exit codes: 0 done, 1 no keychain usable or it refused, 2 usage.
class CredentialsCommand
{
    Q_DECLARE_TR_FUNCTIONS(CredentialsCommand)

public:
    enum ExitCode { Ok = 0, KeychainFailed = 1, Usage = 2 };

    static constexpr int kKeychainTimeoutMs = 30000; // an unlock prompt may be showing

    int run(const QStringList &arguments);
};

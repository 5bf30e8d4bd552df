#pragma once

#include "core/expected.h"
#include "storage/awscredentials.h"

#include <QString>

// Why a credentials file was not used. The message names the file and never contains the secret.
struct CredentialsFileError
{
    enum class Kind { None, Unreadable, InsecurePermissions, Incomplete };

    Kind kind = Kind::None;
    QString message;

    bool isError() const { return kind != Kind::None; }
};

// A credentials file in the AWS shared-credentials format, for machines without a keychain:
//
//   [default]                          (or no section at all; other profiles are ignored)
//   aws_access_key_id = AKIA...        (also: access_key_id, as Alibaba Cloud's tools write it)
//   aws_secret_access_key = ...        (also: access_key_secret)
//   aws_session_token = ...            (optional)
//
// Refused unless only its owner may access it ((mode & 077) == 0): a secret readable by others is as good as leaked,
// and refusing is the only way such a file gets noticed.
class CredentialsFile
{
public:
    static Expected<AwsCredentials, CredentialsFileError> read(const QString &path);
    // The same rules on file contents (no permission check): for tests and for callers that already hold the text.
    static Expected<AwsCredentials, CredentialsFileError> parse(const QByteArray &text, const QString &path);
};

#pragma once

#include "core/awscredentials.h"
#include "core/expected.h"

#include <QCoreApplication>
#include <QString>

#include <sys/types.h>

// Why a credentials file was not used. The message names the file and never contains the secret.
struct CredentialsFileError
{
    enum class Kind { None, Unreadable, NotRegularFile, ForeignOwner, InsecurePermissions, Empty, Incomplete };

    Kind kind = Kind::None;
    QString message;

    bool isError() const { return kind != Kind::None; }
};

// Whom a credentials file must belong to and which mode bits it must not have. Root may always own it (a file in
// /etc, or a systemd credential).
struct CredentialsFilePolicy
{
    uid_t owner = 0; // besides root, the one owner accepted
    mode_t forbiddenModeBits = 077;

    // --credentials-file: owned by the user running the process, nobody else may access it (mode 0600 or 0400).
    static CredentialsFilePolicy userFile();
    // A systemd credential ($CREDENTIALS_DIRECTORY): systemd writes it 0400 and grants the service user read access
    // through an ACL, which shows as 0440; the directory itself is private to the unit. Only write bits are refused.
    static CredentialsFilePolicy systemdCredential();
};

// A credentials file in the AWS shared-credentials format, for machines without a keychain:
// (one with nothing but blank lines and comments is Empty, not Incomplete)
//
//   [default]                          (or no section at all; other profiles are ignored)
//   aws_access_key_id = AKIA...        (also: access_key_id, as Alibaba Cloud's tools write it)
//   aws_secret_access_key = ...        (also: access_key_secret)
//   aws_session_token = ...            (optional)
//
// The file is opened once, and every check runs on that descriptor (fstat), so nothing can swap the file between
// the checks and the read. Symbolic links are followed (a link to a root-owned file in /etc is common), but what
// is checked is what was opened. Refused, with a message that says why, unless it is
//   - a regular file (a FIFO or a device is refused at once: it is opened non-blocking, so nothing hangs),
//   - owned by policy.owner or root (a file someone else owns can be changed by them),
//   - without policy.forbiddenModeBits: for --credentials-file no access by group or others at all, since a
//     secret readable by others is as good as leaked and refusing is the only way such a file gets noticed.
class CredentialsFile
{
    Q_DECLARE_TR_FUNCTIONS(CredentialsFile)

public:
    [[nodiscard]] static Expected<AwsCredentials, CredentialsFileError> read(
        const QString &path, const CredentialsFilePolicy &policy = CredentialsFilePolicy::userFile());
    // The same rules on file contents (no file checks): for tests and for callers that already hold the text.
    [[nodiscard]] static Expected<AwsCredentials, CredentialsFileError> parse(
        const QByteArray &text, const QString &path);
};

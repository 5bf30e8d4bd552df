#pragma once

#include "config/credentialresolver.h"

#include <QString>

#include <functional>

// How the settings dialog learns the credentials the engine would run with for an access key id when it holds no
// secret for it itself (no keychain, or none stored): the running ones while the id is unchanged, else what the
// environment or the credentials file hold. The app provides it (it knows the running configuration and
// --credentials-file); without one the dialog takes only what it was given. Never asks the keychain, never blocks.
using CredentialLookup
    = std::function<Expected<ResolvedCredentials, CredentialLookupError>(const QString &accessKeyId)>;

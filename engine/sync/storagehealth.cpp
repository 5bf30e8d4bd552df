#include "storagehealth.h"

QString StorageHealth::stateName(State state)
{
    switch (state) {
    case State::Ok:
        break;
    case State::Unreachable:
        return QStringLiteral("unreachable");
    case State::CredentialsRejected:
        return QStringLiteral("credentials_rejected");
    }
    return QStringLiteral("ok");
}

#include "storagehealth.h"

#include "errorhint.h"

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

QString StorageHealth::hint() const
{
    switch (state) {
    case State::Ok:
        break;
    case State::Unreachable:
        return ErrorHint::forCode(QStringLiteral("Unreachable"));
    case State::CredentialsRejected:
        return ErrorHint::forCode(QStringLiteral("SignatureDoesNotMatch"));
    }
    return {};
}

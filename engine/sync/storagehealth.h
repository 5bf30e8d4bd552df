#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

// The engine-wide view of the storage, from what its answers (or their absence) said. One value for the whole
// engine, so that an outage or a wrong secret is said once, not as an error on every row.
//
//   ok ──no connection at all──► unreachable ──any HTTP answer──► ok
//    └──credentials refused────► credentials_rejected ──settings changed / an answer accepted──► ok
struct StorageHealth
{
    enum class State { Ok, Unreachable, CredentialsRejected };

    State state = State::Ok;
    QDateTime since; // UTC; when the state began (invalid for ok until something changed)
    QString detail; // the error that caused it (no secrets: storage errors never carry them)

    bool isOk() const { return state == State::Ok; }
    QString hint() const; // what to do (ErrorHint's sentence for the state's cause); empty when ok
    static QString stateName(State state); // "ok", "unreachable", "credentials_rejected"
    friend bool operator==(const StorageHealth &, const StorageHealth &) = default;
};

Q_DECLARE_METATYPE(StorageHealth)

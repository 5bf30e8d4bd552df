#include "credentialstore.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QMetaObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace {

// Reports an argument error without calling back synchronously (callers may rely on "always later").
template <typename Result, typename Callback>
void failLater(QObject *context, Callback done, CredentialError error)
{
    QMetaObject::invokeMethod(
        context, [done = std::move(done), error = std::move(error)] { done(Result(error)); }, Qt::QueuedConnection);
}

// Runs one store operation and waits for its callback, at most timeoutMs. The store and the callback's state are
// shared, not on this stack: after a timeout a late answer lands in them and the store deletes itself.
template <typename T>
CredentialResult<T> runAndWait(
    int timeoutMs, const std::function<void(CredentialStore *, std::function<void(const CredentialResult<T> &)>)> &call)
{
    struct State
    {
        std::optional<CredentialResult<T>> result;
        QEventLoop loop;
    };
    auto state = std::make_shared<State>();
    auto *store = new CredentialStore;
    call(store, [state, store](const CredentialResult<T> &result) {
        state->result.emplace(result);
        state->loop.quit();
        store->deleteLater();
    });
    QTimer::singleShot(timeoutMs, &state->loop, &QEventLoop::quit);
    if (!state->result)
        state->loop.exec();
    if (state->result)
        return *state->result;
    return CredentialError{CredentialError::Kind::NoKeychain,
        CredentialStore::tr("The keychain did not answer within %1 s.").arg(timeoutMs / 1000.0), {}};
}

} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
{ }

CredentialStore::~CredentialStore() = default; // running jobs are children: deleted, their callbacks never run

QString CredentialStore::noKeychainMessage()
{
    return tr("No keychain available (no D-Bus session / secret service). "
              "Use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY instead.");
}

CredentialError CredentialStore::errorOf(int jobError, const QString &errorString)
{
    CredentialError error;
    error.detail = errorString;
    switch (QKeychain::Error(jobError)) {
    case QKeychain::NoError:
        error.kind = CredentialError::Kind::None;
        error.detail.clear();
        return error;
    case QKeychain::EntryNotFound:
        error.kind = CredentialError::Kind::NotFound;
        error.message = tr("No secret key is stored in the keychain for this access key id.");
        return error;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        error.kind = CredentialError::Kind::AccessDenied;
        error.message = tr("The keychain refused access to the secret key.");
        return error;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        error.kind = CredentialError::Kind::NoKeychain;
        error.message = noKeychainMessage();
        return error;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    // Secret Service over D-Bus reports an unreachable bus or service as OtherError ("Cannot autolaunch D-Bus
    // without X11 $DISPLAY", "The name org.freedesktop.secrets was not provided by any .service files", ...).
    const QString lower = errorString.toLower();
    if (lower.contains(QLatin1String("d-bus")) || lower.contains(QLatin1String("dbus"))
        || lower.contains(QLatin1String("org.freedesktop.secrets"))
        || lower.contains(QLatin1String("no keychain service"))) {
        error.kind = CredentialError::Kind::NoKeychain;
        error.message = noKeychainMessage();
        return error;
    }
    error.kind = CredentialError::Kind::Other;
    error.message = tr("The keychain reported an error: %1").arg(errorString);
    error.detail.clear();
    return error;
}

void CredentialStore::readSecret(const QString &accessKeyId, ReadCallback done)
{
    if (accessKeyId.isEmpty()) {
        failLater<CredentialResult<QString>>(
            this, std::move(done), {CredentialError::Kind::Other, tr("The access key id is empty."), {}});
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(accessKeyId);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *finished) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (read->error() != QKeychain::NoError)
            done(CredentialResult<QString>(errorOf(read->error(), read->errorString())));
        else
            done(CredentialResult<QString>(read->textData()));
    });
    job->start();
}

void CredentialStore::runJob(QKeychain::Job *job, const QString &accessKeyId, DoneCallback done)
{
    job->setAutoDelete(true);
    if (accessKeyId.isEmpty()) {
        job->deleteLater();
        failLater<CredentialResult<void>>(
            this, std::move(done), {CredentialError::Kind::Other, tr("The access key id is empty."), {}});
        return;
    }
    job->setKey(accessKeyId);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *finished) {
        if (finished->error() != QKeychain::NoError)
            done(CredentialResult<void>(errorOf(finished->error(), finished->errorString())));
        else
            done(CredentialResult<void>());
    });
    job->start();
}

void CredentialStore::writeSecret(const QString &accessKeyId, const QString &secret, DoneCallback done)
{
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setTextData(secret);
    runJob(job, accessKeyId, std::move(done));
}

void CredentialStore::deleteSecret(const QString &accessKeyId, DoneCallback done)
{
    runJob(new QKeychain::DeletePasswordJob(kService, this), accessKeyId, std::move(done));
}

CredentialResult<QString> CredentialStore::readSecretAndWait(const QString &accessKeyId, int timeoutMs)
{
    return runAndWait<QString>(
        timeoutMs, [&](CredentialStore *store, ReadCallback done) { store->readSecret(accessKeyId, std::move(done)); });
}

CredentialResult<void> CredentialStore::writeSecretAndWait(
    const QString &accessKeyId, const QString &secret, int timeoutMs)
{
    return runAndWait<void>(timeoutMs,
        [&](CredentialStore *store, DoneCallback done) { store->writeSecret(accessKeyId, secret, std::move(done)); });
}

CredentialResult<void> CredentialStore::deleteSecretAndWait(const QString &accessKeyId, int timeoutMs)
{
    return runAndWait<void>(timeoutMs,
        [&](CredentialStore *store, DoneCallback done) { store->deleteSecret(accessKeyId, std::move(done)); });
}

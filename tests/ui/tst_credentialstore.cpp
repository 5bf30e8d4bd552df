// CredentialStore against a real keychain: run by CTest under dbus-run-session with an unlocked gnome-keyring in
// an isolated HOME (run-with-keyring.sh, --expect-keychain), and once without any session bus
// (--expect-no-keychain), where every call must fail with the clear "No keychain available" message.
#include "config/credentialstore.h"

#include <QCoreApplication>
#include <QTest>

#include <optional>

namespace {

enum class Mode { Keychain, NoKeychain };
Mode g_mode = Mode::Keychain;

const QString kKeyId = QStringLiteral("AKIAKEYSTONETEST%1").arg(QCoreApplication::applicationPid());
const QString kSecret = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCY-sécret");

template <typename T>
std::optional<CredentialResult<T>> waitFor(
    const std::function<void(std::function<void(const CredentialResult<T> &)>)> &call)
{
    std::optional<CredentialResult<T>> result;
    call([&result](const CredentialResult<T> &r) { result.emplace(r); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000))
        return std::nullopt;
    return result;
}

} // namespace

class TestCredentialStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip();
    void callbacksAreNeverSynchronous();
};

void TestCredentialStore::roundTrip()
{
    CredentialStore store;
    auto write = waitFor<void>([&](auto done) { store.writeSecret(kKeyId, kSecret, done); });
    QVERIFY2(write.has_value(), "writeSecret never called back");

    if (g_mode == Mode::NoKeychain) {
        QVERIFY(!*write);
        QCOMPARE(write->error().kind, CredentialError::Kind::NoKeychain);
        QVERIFY2(write->error().message.startsWith(QLatin1String("No keychain available")),
            qPrintable(write->error().toString()));
        QVERIFY(write->error().message.contains(QLatin1String("AWS_SECRET_ACCESS_KEY")));
        QVERIFY(!write->error().toString().contains(kSecret));
        auto read = waitFor<QString>([&](auto done) { store.readSecret(kKeyId, done); });
        QVERIFY(read.has_value());
        QVERIFY(!*read);
        QCOMPARE(read->error().kind, CredentialError::Kind::NoKeychain);
        auto removed = waitFor<void>([&](auto done) { store.deleteSecret(kKeyId, done); });
        QVERIFY(removed.has_value());
        QCOMPARE(removed->error().kind, CredentialError::Kind::NoKeychain);
        return;
    }

    QVERIFY2(*write, qPrintable(write->error().toString()));
    auto read = waitFor<QString>([&](auto done) { store.readSecret(kKeyId, done); });
    QVERIFY(read.has_value());
    QVERIFY2(*read, qPrintable(read->error().toString()));
    QCOMPARE(read->value(), kSecret);

    // A second store (as after a restart) sees the same secret.
    CredentialStore other;
    auto again = waitFor<QString>([&](auto done) { other.readSecret(kKeyId, done); });
    QVERIFY(again.has_value() && *again);
    QCOMPARE(again->value(), kSecret);

    auto removed = waitFor<void>([&](auto done) { store.deleteSecret(kKeyId, done); });
    QVERIFY(removed.has_value());
    QVERIFY2(*removed, qPrintable(removed->error().toString()));
    auto gone = waitFor<QString>([&](auto done) { store.readSecret(kKeyId, done); });
    QVERIFY(gone.has_value());
    QVERIFY(!*gone);
    QCOMPARE(gone->error().kind, CredentialError::Kind::NotFound);
}

void TestCredentialStore::callbacksAreNeverSynchronous()
{
    CredentialStore store;
    bool called = false;
    store.readSecret(QString(), [&called](const CredentialResult<QString> &result) {
        called = true;
        QVERIFY(!result);
    });
    QVERIFY(!called);
    QTRY_VERIFY(called);
}

int main(int argc, char **argv)
{
    // Our switches first; QTest gets the rest.
    QList<char *> rest;
    for (int i = 0; i < argc; ++i) {
        if (qstrcmp(argv[i], "--expect-no-keychain") == 0)
            g_mode = Mode::NoKeychain;
        else if (qstrcmp(argv[i], "--expect-keychain") == 0)
            g_mode = Mode::Keychain;
        else
            rest.append(argv[i]);
    }
    int restCount = int(rest.size());
    QCoreApplication app(restCount, rest.data());
    TestCredentialStore test;
    return QTest::qExec(&test, restCount, rest.data());
}

#include "tst_credentialstore.moc"

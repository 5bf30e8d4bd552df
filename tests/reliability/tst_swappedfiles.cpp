// A file swapped after registration (issue 17, point 2): whatever takes the place of a registered file — a symbolic
// link to a secret with the same size and mtime, a folder of the episode swapped for a link, another file renamed
// over it, a FIFO — fails the episode naming the file, and nothing of what it points to reaches the storage. A FIFO
// never holds a slot nor a stop. Folders holding links, FIFOs or sockets are refused at registration, naming them.
#include "apiclient.h"
#include "catalog/catalog.h"
#include "consoleserverprocess.h"
#include "s3serverprocess.h"
#include "storage/uploadjob.h"
#include "strictserverfixture.h"
#include "sync/syncengine.h"
#include "testdata.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

using TestData::kMiB;

QByteArray encoded(const QString &path)
{
    return QFile::encodeName(path);
}

// Gives `path` (not what it may link to) the modification time of `like`, as `touch -h -r like path` does.
bool copyMtime(const QString &like, const QString &path)
{
    struct stat info = {};
    if (::stat(encoded(like).constData(), &info) != 0)
        return false;
    const struct timespec times[2] = {info.st_atim, info.st_mtim};
    return ::utimensat(AT_FDCWD, encoded(path).constData(), times, AT_SYMLINK_NOFOLLOW) == 0;
}

// Bytes that occur nowhere else: what must never reach the storage.
QByteArray secretBytes(qint64 size)
{
    QByteArray secret = TestData::randomBytes(size, 4242);
    secret.replace(0, 24, "KEYSTONE-SECRET-MARKER-1");
    return secret;
}

// Whether any file the strict server stored (objects, parts, uploads in progress) holds `needle`.
bool serverHolds(const S3ServerProcess &server, const QByteArray &needle)
{
    QDirIterator it(server.dataDirectory(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            return true;
    }
    return false;
}

bool makeSocket(const QString &path)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    const QByteArray name = encoded(path);
    if (fd < 0 || size_t(name.size()) >= sizeof(address.sun_path))
        return false;
    std::memcpy(address.sun_path, name.constData(), size_t(name.size()));
    const bool bound = ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) == 0;
    ::close(fd); // the socket file stays
    return bound;
}

} // namespace

class TestSwappedFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void symlinkSwapSendsNothingOfTheTarget_data();
    void symlinkSwapSendsNothingOfTheTarget();
    void folderSwappedForLinkSendsNothing();
    void otherFileRenamedOverIsRefused();
    void fifoSwapFailsAtOnceAndFreesTheSlot();
    void folderWithLinksFifosAndSocketsIsRefusedNamingThem();
    void fileRegisteredBeforeSchema5LearnsItsInodeAtFirstOpen();
    void sigtermExitsWithinGraceWithFifoSwapped();

private:
    SyncConfig config(const QString &prefix) const;
    // Registers `path` with the engine paused, so the test can swap files before any upload starts.
    qint64 registerPaused(SyncEngine &engine, const QString &path, const QString &name);

    StrictServerFixture m_fixture;
};

void TestSwappedFiles::init()
{
    QVERIFY(m_fixture.makeDir());
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestSwappedFiles::cleanup()
{
    m_fixture.stopServer();
    m_fixture.removeDir();
}

SyncConfig TestSwappedFiles::config(const QString &prefix) const
{
    SyncConfig cfg
        = TestData::syncConfig(m_fixture.server(), m_fixture.filePath(QStringLiteral("data-") + prefix), prefix);
    cfg.upload.singlePutThreshold = 5 * kMiB;
    return cfg;
}

qint64 TestSwappedFiles::registerPaused(SyncEngine &engine, const QString &path, const QString &name)
{
    engine.pauseAll();
    return TestData::registerEpisode(engine, path, name);
}

// The review's attack: a registered file replaced by a link to a secret of the same size, the link given the
// file's mtime. The old check stat()ed by path (following the link) and uploaded the secret.
void TestSwappedFiles::symlinkSwapSendsNothingOfTheTarget_data()
{
    QTest::addColumn<qint64>("size");
    QTest::newRow("small file (one PutObject)") << qint64(64 * 1024);
    QTest::newRow("multipart file") << qint64(6 * kMiB);
}

void TestSwappedFiles::symlinkSwapSendsNothingOfTheTarget()
{
    QFETCH(qint64, size);
    const QString folder = m_fixture.filePath(QStringLiteral("episode"));
    const QString victim = folder + QStringLiteral("/frames.bin");
    const QString secret = m_fixture.filePath(QStringLiteral("api-token"));
    QVERIFY(TestData::writeFile(folder + QStringLiteral("/meta.json"), "{}"));
    QVERIFY(TestData::writeFile(victim, TestData::randomBytes(size, 1)));
    QVERIFY(TestData::writeFile(secret, secretBytes(size)));
    QVERIFY(copyMtime(victim, secret)); // the target looks like the registered file through a stat by path

    auto engine = TestData::openSyncEngine(config(QStringLiteral("link")));
    QVERIFY(engine);
    const qint64 id = registerPaused(*engine, folder, QStringLiteral("link"));
    QVERIFY(id > 0);
    QVERIFY(QFile::remove(victim));
    QVERIFY(QFile::link(secret, victim));
    QVERIFY(copyMtime(secret, victim));
    engine->resumeAll();

    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Failed, 20000);
    const EpisodeRecord failed = engine->status(id)->record;
    QCOMPARE(failed.lastErrorCode, QStringLiteral("FileChanged"));
    QVERIFY2(
        failed.lastErrorMessage.contains(victim) && failed.lastErrorMessage.contains(QLatin1String("symbolic link")),
        qPrintable(failed.lastErrorMessage));
    QVERIFY(!serverHolds(m_fixture.server(), QByteArrayLiteral("KEYSTONE-SECRET-MARKER-1")));
    QCOMPARE(m_fixture.server().requestCount(QStringLiteral("UploadPart")), 0);
}

// O_NOFOLLOW guards the last component only: a folder of the episode swapped for a link to a look-alike folder
// elsewhere is caught by opening each component below the episode's root without following links.
void TestSwappedFiles::folderSwappedForLinkSendsNothing()
{
    const QString folder = m_fixture.filePath(QStringLiteral("episode"));
    const QString victim = folder + QStringLiteral("/cam/frame.bin");
    QVERIFY(TestData::writeFile(victim, TestData::randomBytes(32 * 1024, 2)));
    const QString elsewhere = m_fixture.filePath(QStringLiteral("elsewhere"));
    const QString secret = elsewhere + QStringLiteral("/frame.bin");
    QVERIFY(TestData::writeFile(secret, secretBytes(32 * 1024)));
    QVERIFY(copyMtime(victim, secret));

    auto engine = TestData::openSyncEngine(config(QStringLiteral("folderlink")));
    QVERIFY(engine);
    const qint64 id = registerPaused(*engine, folder, QStringLiteral("folderlink"));
    QVERIFY(id > 0);
    QVERIFY(QDir(folder + QStringLiteral("/cam")).removeRecursively());
    QVERIFY(QFile::link(elsewhere, folder + QStringLiteral("/cam")));
    engine->resumeAll();

    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Failed, 20000);
    const EpisodeRecord failed = engine->status(id)->record;
    QCOMPARE(failed.lastErrorCode, QStringLiteral("FileChanged"));
    QVERIFY2(failed.lastErrorMessage.contains(folder + QStringLiteral("/cam is now a symbolic link")),
        qPrintable(failed.lastErrorMessage));
    QVERIFY(!serverHolds(m_fixture.server(), QByteArrayLiteral("KEYSTONE-SECRET-MARKER-1")));
}

// Another file of the same size renamed over the registered one, its mtime made the same: only the inode tells.
void TestSwappedFiles::otherFileRenamedOverIsRefused()
{
    const QString folder = m_fixture.filePath(QStringLiteral("episode"));
    const QString victim = folder + QStringLiteral("/frame.bin");
    QVERIFY(TestData::writeFile(victim, TestData::randomBytes(48 * 1024, 3)));
    const QString other = m_fixture.filePath(QStringLiteral("other.bin"));
    QVERIFY(TestData::writeFile(other, secretBytes(48 * 1024)));
    QVERIFY(copyMtime(victim, other));

    auto engine = TestData::openSyncEngine(config(QStringLiteral("inode")));
    QVERIFY(engine);
    const qint64 id = registerPaused(*engine, folder, QStringLiteral("inode"));
    QVERIFY(id > 0);
    QVERIFY(::rename(encoded(other).constData(), encoded(victim).constData()) == 0);
    engine->resumeAll();

    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Failed, 20000);
    const EpisodeRecord failed = engine->status(id)->record;
    QCOMPARE(failed.lastErrorCode, QStringLiteral("FileChanged"));
    QVERIFY2(failed.lastErrorMessage.contains(victim) && failed.lastErrorMessage.contains(QLatin1String("inode")),
        qPrintable(failed.lastErrorMessage));
    QVERIFY(!serverHolds(m_fixture.server(), QByteArrayLiteral("KEYSTONE-SECRET-MARKER-1")));
}

// A registered empty file replaced by a FIFO (same mtime): a plain open() of it blocked forever and held the slot.
// Now the episode fails naming it, and with one slot only, the next episode still completes.
void TestSwappedFiles::fifoSwapFailsAtOnceAndFreesTheSlot()
{
    const QString folder = m_fixture.filePath(QStringLiteral("episode"));
    const QString victim = folder + QStringLiteral("/empty.bin");
    QVERIFY(TestData::writeFile(victim, {}));
    const QString next = m_fixture.filePath(QStringLiteral("next.bin"));
    QVERIFY(TestData::writeFile(next, TestData::randomBytes(16 * 1024, 5)));

    SyncConfig cfg = config(QStringLiteral("fifo"));
    cfg.maxConcurrentEpisodes = 1;
    cfg.smallEpisodeBytes = 0; // no small lane beside the one slot
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    const qint64 id = registerPaused(*engine, folder, QStringLiteral("fifo"));
    QVERIFY(id > 0);
    const qint64 second = TestData::registerEpisode(*engine, next, QStringLiteral("next"));
    QVERIFY(second > 0);
    const QString stamp = m_fixture.filePath(QStringLiteral("stamp"));
    QVERIFY(TestData::writeFile(stamp, {}));
    QVERIFY(copyMtime(victim, stamp));
    QVERIFY(QFile::remove(victim));
    QVERIFY(::mkfifo(encoded(victim).constData(), 0600) == 0);
    QVERIFY(copyMtime(stamp, victim));
    engine->resumeAll();

    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Failed, 20000);
    const EpisodeRecord failed = engine->status(id)->record;
    QCOMPARE(failed.lastErrorCode, QStringLiteral("FileChanged"));
    QVERIFY2(failed.lastErrorMessage.contains(victim + QStringLiteral(" is now a FIFO")),
        qPrintable(failed.lastErrorMessage));
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(second)->record.state, EpisodeState::Completed, 20000);
}

// Registration lists a folder without following links and refuses what is not a regular file, naming each.
void TestSwappedFiles::folderWithLinksFifosAndSocketsIsRefusedNamingThem()
{
    const QString folder = m_fixture.filePath(QStringLiteral("mixed"));
    QVERIFY(TestData::writeFile(folder + QStringLiteral("/a.bin"), "a"));
    QVERIFY(TestData::writeFile(m_fixture.filePath(QStringLiteral("outside.bin")), "outside"));
    QVERIFY(QFile::link(m_fixture.filePath(QStringLiteral("outside.bin")), folder + QStringLiteral("/link.bin")));
    QVERIFY(QDir().mkpath(folder + QStringLiteral("/sub")));
    QVERIFY(::mkfifo(encoded(folder + QStringLiteral("/sub/pipe")).constData(), 0600) == 0);
    QVERIFY(makeSocket(folder + QStringLiteral("/sock")));

    auto engine = TestData::openSyncEngine(config(QStringLiteral("mixed")));
    QVERIFY(engine);
    std::optional<SyncResult<EpisodeStatus>> answer;
    engine->registerEpisode(
        folder, QStringLiteral("mixed"), [&](const SyncResult<EpisodeStatus> &result) { answer = result; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10000);
    QVERIFY(!answer->ok());
    QCOMPARE(answer->error().code, SyncError::Code::UnsupportedFiles);
    QStringList paths = answer->error().paths;
    paths.sort();
    QCOMPARE(paths, (QStringList{QStringLiteral("link.bin"), QStringLiteral("sock"), QStringLiteral("sub/pipe")}));
    const QString message = answer->error().message;
    QVERIFY2(message.contains(QLatin1String("link.bin (symbolic link)"))
            && message.contains(QLatin1String("sub/pipe (FIFO)")) && message.contains(QLatin1String("sock (socket)")),
        qPrintable(message));
    QTRY_VERIFY(engine->allStatuses().isEmpty()); // the registration is withdrawn

    // The same for the upload command's listing and a single file given as a link.
    QCOMPARE(UploadJob::itemsForPath(folder, QStringLiteral("k")).error().s3Code, QStringLiteral("UnsupportedFiles"));
    const auto single = UploadJob::itemsForPath(folder + QStringLiteral("/link.bin"), QStringLiteral("k"));
    QVERIFY(!single);
    QVERIFY2(single.error().message.contains(QLatin1String("symbolic link")), qPrintable(single.error().message));
}

// A catalog row without device and inode (registered before schema v5) is checked for size and mtime, and learns
// them when its file is first opened, so a later swap is caught by the inode too.
void TestSwappedFiles::fileRegisteredBeforeSchema5LearnsItsInodeAtFirstOpen()
{
    const QString folder = m_fixture.filePath(QStringLiteral("episode"));
    const QString file = folder + QStringLiteral("/frame.bin");
    QVERIFY(TestData::writeFile(file, TestData::randomBytes(8 * 1024, 7)));
    const SyncConfig cfg = config(QStringLiteral("old"));
    qint64 id = 0;
    {
        auto engine = TestData::openSyncEngine(cfg);
        QVERIFY(engine);
        id = registerPaused(*engine, folder, QStringLiteral("old"));
        QVERIFY(id > 0);
    }
    {
        const QString connection = QStringLiteral("forget-identity");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(QDir(cfg.dataDir).filePath(QString::fromLatin1(Catalog::kFileName)));
            QVERIFY(db.open());
            QSqlQuery forget(db);
            QVERIFY(forget.exec(QStringLiteral("UPDATE episode_files SET device = NULL, inode = NULL")));
            QCOMPARE(forget.numRowsAffected(), 1);
        }
        QSqlDatabase::removeDatabase(connection);
    }
    auto engine = TestData::openSyncEngine(cfg);
    QVERIFY(engine);
    engine->resumeAll();
    QTRY_COMPARE_WITH_TIMEOUT(engine->status(id)->record.state, EpisodeState::Completed, 20000);
    engine.reset();
    struct stat info = {};
    QCOMPARE(::stat(encoded(file).constData(), &info), 0);
    auto catalog = Catalog::open(cfg.dataDir);
    QVERIFY(catalog);
    auto files = catalog.value()->loadFiles(id);
    QVERIFY(files && files.value().size() == 1);
    QCOMPARE(files.value().first().inode, quint64(info.st_ino));
    QCOMPARE(files.value().first().device, quint64(info.st_dev));
}

// A `--server` whose episode meets a FIFO in place of its registered empty file: SIGTERM still completes within the
// grace period (before, the upload thread sat in open() forever and the process never exited).
void TestSwappedFiles::sigtermExitsWithinGraceWithFifoSwapped()
{
    constexpr int kGraceSeconds = 3;
    const QString folder = m_fixture.filePath(QStringLiteral("episode"));
    const QString victim = folder + QStringLiteral("/empty.bin");
    QVERIFY(TestData::writeFile(victim, {}));
    QVERIFY(TestData::writeFile(folder + QStringLiteral("/b.bin"), TestData::randomBytes(1024, 6)));
    ConsoleServerProcess server(m_fixture.server(), m_fixture.filePath(QStringLiteral("server-data")),
        {QStringLiteral("--shutdown-grace"), QString::number(kGraceSeconds), QStringLiteral("--key-prefix"),
            QStringLiteral("sigterm")});
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    ApiClient client(server.apiBase(), server.token());
    // The API's answer to a folder that cannot be registered names what is in the way.
    const QString mixed = m_fixture.filePath(QStringLiteral("mixed"));
    QVERIFY(TestData::writeFile(mixed + QStringLiteral("/a.bin"), "a"));
    QVERIFY(::mkfifo(encoded(mixed + QStringLiteral("/pipe")).constData(), 0600) == 0);
    const HttpReply refused = client.registerEpisode(mixed, QStringLiteral("mixed"));
    QCOMPARE(refused.status, 400);
    const QJsonObject refusal = refused.json().value(QStringLiteral("error")).toObject();
    QCOMPARE(refusal.value(QStringLiteral("code")).toString(), QStringLiteral("unsupported_files"));
    QCOMPARE(refusal.value(QStringLiteral("paths")).toArray(), QJsonArray{QStringLiteral("pipe")});

    QCOMPARE(client.post(QStringLiteral("/sync/pause")).status, 200);
    const HttpReply registered = client.registerEpisode(folder, QStringLiteral("sigterm"));
    QVERIFY2(registered.status == 201, registered.body.constData());
    const qint64 id = registered.json().value(QStringLiteral("episode_id")).toInteger();
    const QString stamp = m_fixture.filePath(QStringLiteral("stamp"));
    QVERIFY(TestData::writeFile(stamp, {}));
    QVERIFY(copyMtime(victim, stamp));
    QVERIFY(QFile::remove(victim));
    QVERIFY(::mkfifo(encoded(victim).constData(), 0600) == 0);
    QVERIFY(copyMtime(stamp, victim));
    QCOMPARE(client.post(QStringLiteral("/sync/resume")).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(
        client.episodeStatus(id).value(QStringLiteral("status")).toString() != QLatin1String("pending"), 10000);

    QCOMPARE(server.terminate((kGraceSeconds + 5) * 1000), 0);
}

QTEST_GUILESS_MAIN(TestSwappedFiles)
#include "tst_swappedfiles.moc"

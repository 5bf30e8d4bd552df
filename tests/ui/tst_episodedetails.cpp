// The episode details pane offscreen, in MainWindow, over a real SyncEngine, its catalog and the strict S3 server: a
// folder episode seen mid-upload (each file's state, verified bytes equal to the catalog's verified parts, upload id)
// and completed (object keys the server has, manifest key and ETag, timings), the retry countdown, copying keys.
#include "catalog/catalog.h"
#include "episodedetailspane.h"
#include "episodefilesmodel.h"
#include "episodetablemodel.h"
#include "mainwindow.h"
#include "s3serverprocess.h"
#include "strictserverfixture.h"
#include "sync/progresstext.h"
#include "uitestsupport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QSettings>
#include <QTableView>

using namespace UiTest;
using Field = EpisodeDetailsPane::Field;
using FileState = EpisodeFilesModel::FileState;

class TestEpisodeDetails : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void folderEpisodeMidUploadThenCompleted();
    void waitingRetryShowsCountdown();
    void hintForNoneOrSeveral();

private:
    bool startWindow(const SyncConfig &config);
    SyncConfig config() const { return engineConfig(m_fixture.server(), m_fixture.dir()); }
    void select(const QList<qint64> &ids);
    EpisodeDetailsPane *pane() const { return m_window->detailsPane(); }
    QString field(Field f) const { return pane()->fieldText(f); }
    // The episode's files as the catalog holds them now (a connection of the test's own, as a second reader).
    QList<EpisodeFileRecord> catalogFiles(qint64 id) const;
    // Whether every row of the pane says what the catalog says now (verified bytes summed here from the parts).
    bool paneMatchesCatalog(qint64 id, QString *why) const;

    StrictServerFixture m_fixture;
    std::unique_ptr<QTemporaryDir> m_settingsDir;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

void TestEpisodeDetails::initTestCase()
{
    m_settingsDir = useTemporarySettings(QStringLiteral("tst_episodedetails"));
    QVERIFY(m_settingsDir);
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestEpisodeDetails::init()
{
    QVERIFY(m_fixture.makeDir());
    QVERIFY(m_fixture.server().clearFaults());
}

void TestEpisodeDetails::cleanup()
{
    m_window.reset();
    m_engine.reset();
    m_fixture.removeDir();
}

bool TestEpisodeDetails::startWindow(const SyncConfig &config)
{
    m_engine = openEngine(config);
    if (!m_engine)
        return false;
    m_window = std::make_unique<MainWindow>(*m_engine);
    m_window->show();
    return QTest::qWaitForWindowExposed(m_window.get());
}

void TestEpisodeDetails::select(const QList<qint64> &ids)
{
    QTableView *view = m_window->tableView();
    QTRY_COMPARE(view->model()->rowCount(), int(m_engine->allStatuses().size()));
    view->selectionModel()->clearSelection();
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, 0);
        if (ids.contains(index.data(EpisodeTableModel::IdRole).toLongLong()))
            view->selectionModel()->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
}

QList<EpisodeFileRecord> TestEpisodeDetails::catalogFiles(qint64 id) const
{
    auto catalog = Catalog::open(m_engine->config().dataDir);
    if (!catalog)
        return {};
    auto files = catalog.value()->loadFiles(id);
    return files ? files.value() : QList<EpisodeFileRecord>{};
}

bool TestEpisodeDetails::paneMatchesCatalog(qint64 id, QString *why) const
{
    const QList<EpisodeFileRecord> files = catalogFiles(id);
    const EpisodeFilesModel *model = pane()->filesModel();
    if (files.isEmpty() || model->rowCount() != files.size()) {
        *why = QStringLiteral("%1 rows for %2 files").arg(model->rowCount()).arg(files.size());
        return false;
    }
    for (const EpisodeFileRecord &file : files) {
        const int row = model->rowOf(file.relativePath);
        if (row < 0) {
            *why = file.relativePath + QStringLiteral(" is missing");
            return false;
        }
        qint64 verified = 0;
        for (const CompletedPart &part : file.parts)
            verified += part.size;
        const bool completed = !file.etag.isEmpty();
        const QString expectedState = completed ? QStringLiteral("completed")
            : file.uploadId.isEmpty()           ? QStringLiteral("waiting")
                                                : QStringLiteral("uploading");
        const auto cell = [&](int column) { return model->index(row, column).data().toString(); };
        const qint64 shown = model->index(row, 0).data(EpisodeFilesModel::VerifiedRole).toLongLong();
        if (shown != (completed ? file.size : verified) || cell(EpisodeFilesModel::StateColumn) != expectedState
            || cell(EpisodeFilesModel::SizeColumn) != ProgressText::size(file.size)
            || cell(EpisodeFilesModel::UploadIdColumn) != (completed ? QString() : file.uploadId)) {
            *why = QStringLiteral("%1: shown %2 %3 (upload %4), catalog %5 %6 (upload %7)")
                       .arg(file.relativePath)
                       .arg(cell(EpisodeFilesModel::StateColumn))
                       .arg(shown)
                       .arg(cell(EpisodeFilesModel::UploadIdColumn), expectedState)
                       .arg(verified)
                       .arg(file.uploadId);
            return false;
        }
    }
    return true;
}

// Three multipart files and two small ones, one request at a time, the third part of each large file stalled: while
// it stalls, one file is half verified and later ones have not started. Then everything completes.
void TestEpisodeDetails::folderEpisodeMidUploadThenCompleted()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("fault injection");
    SyncConfig cfg = config();
    cfg.upload.singlePutThreshold = 5 * kMiB;
    cfg.upload.concurrency = 1; // one request at a time: files strictly one after the other
    cfg.maxPartsInFlight = 1;
    QVERIFY(startWindow(cfg));
    const QStringList paths{QStringLiteral("a.bin"), QStringLiteral("b.bin"), QStringLiteral("cam/c.bin"),
        QStringLiteral("cam/d.txt"), QStringLiteral("e.bin")};
    const QList<qint64> sizes{12 * kMiB, 11 * kMiB, 1 * kMiB, 3000, 12 * kMiB};
    for (int i = 0; i < paths.size(); ++i)
        QVERIFY(!writeEpisodeFile(m_fixture.dir(), QStringLiteral("robot-run/") + paths.at(i), sizes.at(i)).isEmpty());
    QVERIFY(m_fixture.server().injectFault({{QStringLiteral("op"), QStringLiteral("UploadPart")},
        {QStringLiteral("part_number"), 3}, {QStringLiteral("action"), QStringLiteral("stall")},
        {QStringLiteral("stall_ms"), 3000}, {QStringLiteral("times"), -1}}));

    QElapsedTimer clock;
    clock.start();
    const qint64 id = registerEpisode(*m_engine, m_fixture.filePath(QStringLiteral("episodes/robot-run")));
    QVERIFY(id > 0);
    select({id});
    QCOMPARE(pane()->episodeId(), id);
    QCOMPARE(field(Field::Name), QStringLiteral("robot-run"));
    QCOMPARE(field(Field::LocalPath), m_fixture.filePath(QStringLiteral("episodes/robot-run")));
    const QString prefix = QStringLiteral("ui/folderEpisodeMidUploadThenCompleted/robot-run");
    QCOMPARE(field(Field::ObjectPrefix), prefix + u'/');
    QCOMPARE(field(Field::ManifestKey), prefix + QStringLiteral(".manifest.json"));
    QCOMPARE(field(Field::ManifestEtag), QStringLiteral("—"));

    // Mid-upload: a file being uploaded shows its upload id and exactly the catalog's verified parts (neither 0 nor
    // all of it); a file not started shows waiting with 0; every row says what the catalog says.
    const EpisodeFilesModel *model = pane()->filesModel();
    const auto midUpload = [&](QString *why) {
        if (!paneMatchesCatalog(id, why))
            return false;
        bool uploading = false, waiting = false;
        for (int row = 0; row < model->rowCount(); ++row) {
            const EpisodeFilesModel::Row &shown = model->rowAt(row);
            if (shown.state == FileState::Uploading && shown.verified > 0 && shown.verified < shown.file.size
                && !model->index(row, EpisodeFilesModel::UploadIdColumn).data().toString().isEmpty())
                uploading = true;
            if (shown.state == FileState::Waiting && shown.verified == 0
                && model->index(row, EpisodeFilesModel::StateColumn).data().toString() == u"waiting"
                && model->index(row, EpisodeFilesModel::ProgressColumn).data().toString().startsWith(u"0 % · 0 B"))
                waiting = true;
        }
        *why = QStringLiteral("uploading row %1, waiting row %2").arg(uploading).arg(waiting);
        return uploading && waiting;
    };
    QString why;
    QTRY_VERIFY2_WITH_TIMEOUT(midUpload(&why), qPrintable(why), 30000);
    QCOMPARE(model->rowCount(), paths.size());
    for (int i = 0; i < paths.size(); ++i) {
        const int row = model->rowOf(paths.at(i));
        QVERIFY(row >= 0);
        QCOMPARE(model->index(row, EpisodeFilesModel::SizeColumn).data().toString(), ProgressText::size(sizes.at(i)));
        QCOMPARE(model->rowAt(row).objectKey, prefix + u'/' + paths.at(i));
    }
    QTRY_COMPARE(field(Field::ResumableUploads), QStringLiteral("1"));
    QVERIFY(field(Field::State).startsWith(u"in_progress"));
    QVERIFY(field(Field::Started) != u"—");
    QCOMPARE(field(Field::Completed), QStringLiteral("—"));
    // Never more verified in the files than the episode itself has committed.
    qint64 shownSum = 0;
    for (int row = 0; row < model->rowCount(); ++row)
        shownSum += model->rowAt(row).verified;
    const auto status = m_engine->status(id);
    QVERIFY(status && status->progress);
    QVERIFY2(shownSum <= status->progress->committedBytes,
        qPrintable(QStringLiteral("%1 > %2").arg(shownSum).arg(status->progress->committedBytes)));

    // Completed: every file completed, under the key the server really has (its bytes are the file's).
    QVERIFY(m_fixture.server().clearFaults());
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(id)->record.state, EpisodeState::Completed, 90000);
    QTRY_VERIFY2(paneMatchesCatalog(id, &why), qPrintable(why));
    // The throttle: at most one catalog read per kMinReadIntervalMs (plus the first, at selection).
    QVERIFY2(pane()->filesReads() <= clock.elapsed() / EpisodeDetailsPane::kMinReadIntervalMs + 2,
        qPrintable(QStringLiteral("%1 reads in %2 ms").arg(pane()->filesReads()).arg(clock.elapsed())));
    for (int row = 0; row < model->rowCount(); ++row) {
        const EpisodeFilesModel::Row &shown = model->rowAt(row);
        QCOMPARE(model->index(row, EpisodeFilesModel::StateColumn).data().toString(), QStringLiteral("completed"));
        QCOMPARE(shown.verified, shown.file.size);
        QVERIFY(model->index(row, EpisodeFilesModel::UploadIdColumn).data().toString().isEmpty());
        const QString key = model->index(row, EpisodeFilesModel::ObjectKeyColumn).data().toString();
        QCOMPARE(key, prefix + u'/' + shown.file.relativePath);
        QByteArray stored;
        QString error;
        QVERIFY2(m_fixture.server().getObject(key, &stored, &error), qPrintable(error));
        QFile local(m_fixture.filePath(QStringLiteral("episodes/robot-run/") + shown.file.relativePath));
        QVERIFY(local.open(QIODevice::ReadOnly));
        QVERIFY(stored == local.readAll());
    }
    QTRY_COMPARE(field(Field::State), QStringLiteral("completed"));
    QCOMPARE(field(Field::ResumableUploads), QStringLiteral("0"));
    QByteArray manifest;
    QString error;
    QVERIFY2(m_fixture.server().getObject(field(Field::ManifestKey), &manifest, &error), qPrintable(error));
    QVERIFY(manifest.contains("keystone-episode-manifest/1"));
    QCOMPARE(
        field(Field::ManifestEtag).toLatin1(), QCryptographicHash::hash(manifest, QCryptographicHash::Md5).toHex());
    QCOMPARE(field(Field::ManifestEtag).toLatin1(), m_engine->status(id)->record.manifestEtag);
    // Timings of a finished episode: duration and average speed, the attempts' times in them.
    QTRY_VERIFY(field(Field::Duration) != u"—");
    QVERIFY(field(Field::Completed) != u"—");
    QVERIFY(field(Field::TimeUploading) != u"—");
    QVERIFY2(field(Field::AverageSpeed).endsWith(u"/s"), qPrintable(field(Field::AverageSpeed)));
    QCOMPARE(field(Field::NextRetry), QStringLiteral("—"));

    // Copy object key: from the context menu's action and with Ctrl+C in the files table.
    QTableView *files = pane()->filesView();
    const int row = model->rowOf(QStringLiteral("cam/c.bin"));
    files->selectionModel()->setCurrentIndex(
        model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QApplication::clipboard()->clear();
    pane()->copyObjectKeyAction()->trigger();
    QCOMPARE(QApplication::clipboard()->text(), prefix + QStringLiteral("/cam/c.bin"));
    QApplication::clipboard()->clear();
    files->setFocus();
    QTest::keySequence(files, QKeySequence::Copy);
    QCOMPARE(QApplication::clipboard()->text(), prefix + QStringLiteral("/cam/c.bin"));
}

// A retryable server fault on every attempt: the episode waits for its retry, and the pane counts down to it.
void TestEpisodeDetails::waitingRetryShowsCountdown()
{
    KEYSTONE_SKIP_ON_EXTERNAL_SERVER("fault injection");
    SyncConfig cfg = config();
    cfg.episodeRetry = RetryPolicy(3, 60'000, 120'000, RetryPolicy::Jitter::Equal); // 30 s or more: long enough
    QVERIFY(startWindow(cfg));
    QVERIFY(m_fixture.server().injectFault(
        {{QStringLiteral("op"), QStringLiteral("PutObject")}, {QStringLiteral("status"), 503},
            {QStringLiteral("code"), QStringLiteral("SlowDown")}, {QStringLiteral("times"), -1}}));
    QVERIFY(!writeEpisodeFile(m_fixture.dir(), QStringLiteral("slow-run/a.bin"), 4096).isEmpty());
    const qint64 id = registerEpisode(*m_engine, m_fixture.filePath(QStringLiteral("episodes/slow-run")));
    QVERIFY(id > 0);
    select({id});
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->status(id)->stage, EpisodeStage::WaitingRetry, 30000);
    QTRY_VERIFY(field(Field::NextRetry).startsWith(u"in "));
    QVERIFY(field(Field::State).contains(u"waiting_retry"));
    QVERIFY2(field(Field::LastError).startsWith(u"SlowDown"), qPrintable(field(Field::LastError)));
    QTRY_COMPARE(pane()->filesModel()->rowCount(), 1);
    QCOMPARE(
        pane()->filesModel()->index(0, EpisodeFilesModel::StateColumn).data().toString(), QStringLiteral("waiting"));
    // It counts down by itself, once a second, while nothing about the episode changes.
    const QString first = field(Field::NextRetry);
    const quint64 revision = m_engine->status(id)->revision;
    QTRY_VERIFY_WITH_TIMEOUT(field(Field::NextRetry) != first, 5000);
    QVERIFY(field(Field::NextRetry).startsWith(u"in "));
    QCOMPARE(m_engine->status(id)->revision, revision);
}

void TestEpisodeDetails::hintForNoneOrSeveral()
{
    QVERIFY(startWindow(config()));
    const qint64 first = registerEpisode(*m_engine, writeEpisodeFile(m_fixture.dir(), QStringLiteral("one.bin"), 1000));
    const qint64 second
        = registerEpisode(*m_engine, writeEpisodeFile(m_fixture.dir(), QStringLiteral("two.bin"), 2000));
    QVERIFY(first > 0 && second > 0);
    QCOMPARE(pane()->objectName(), QStringLiteral("detailsDock"));
    QCOMPARE(pane()->windowTitle(), QStringLiteral("Details"));
    QVERIFY(pane()->hintText().startsWith(u"Select an episode"));
    select({first, second});
    QCOMPARE(pane()->episodeId(), 0);
    QCOMPARE(pane()->hintText(), QStringLiteral("2 episodes selected: select one to see its details."));
    select({second});
    QCOMPARE(pane()->episodeId(), second);
    QVERIFY(pane()->hintText().isEmpty());
    QCOMPARE(field(Field::Name), QStringLiteral("two.bin"));
    QTRY_COMPARE(pane()->filesModel()->rowCount(), 1);
    QCOMPARE(pane()->filesModel()->rowAt(0).objectKey, QStringLiteral("ui/hintForNoneOrSeveral/two.bin/two.bin"));
    select({});
    QCOMPARE(pane()->episodeId(), 0);
    QVERIFY(pane()->hintText().startsWith(u"Select an episode"));
}

QTEST_MAIN(TestEpisodeDetails)
#include "tst_episodedetails.moc"

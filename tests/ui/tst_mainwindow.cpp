// MainWindow offscreen over a real SyncEngine and the strict S3 server: episodes added through the dialogs' code
// path and by drag-and-drop, live rows, actions on the selection, a server failure in the row, settings restored.
#include "episodefilterproxymodel.h"
#include "episodelogdock.h"
#include "episodetablemodel.h"
#include "mainwindow.h"
#include "s3serverprocess.h"
#include "sync/errorhint.h"
#include "uitestsupport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTreeWidget>

using namespace UiTest;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void addedEpisodeCompletes();
    void storageOutageShowsOneBannerAndClearsIt();
    void dropAddsEpisodes();
    void serverFailureShowsInRowThenRetry();
    void cancelSelected();
    void pauseAndResumeAll();
    void filterKeepsSelection();
    void settingsAreRestored();
    void iconIsCompiledIn();

private:
    bool startWindow(qint64 singlePutThreshold = 16 * kMiB);
    QModelIndex rowOf(qint64 id, int column = 0) const; // in the view's (proxy) model
    QModelIndex rowNamed(const QString &name, int column = 0) const;
    QString cellText(const QString &name, int column) const { return rowNamed(name, column).data().toString(); }
    void select(const QString &name);
    QAction *action(const char *name) const;
    QTableView *view() const { return m_window->tableView(); }

    std::unique_ptr<S3ServerProcess> m_server;
    std::unique_ptr<QTemporaryDir> m_settingsDir;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    m_settingsDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_settingsDir->isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KeystoneTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir->path());
    QString error;
    m_server = std::make_unique<S3ServerProcess>(S3ServerProcess::Kind::Strict);
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(m_server->clearFaults());
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_engine.reset();
    m_dir.reset();
}

bool TestMainWindow::startWindow(qint64 singlePutThreshold)
{
    SyncConfig config = engineConfig(*m_server, *m_dir);
    config.upload.singlePutThreshold = singlePutThreshold;
    config.maxPartsInFlight = 2; // stalled parts then take a while, so rows are seen uploading
    m_engine = openEngine(config);
    if (!m_engine)
        return false;
    m_window = std::make_unique<MainWindow>(*m_engine);
    m_window->show();
    return QTest::qWaitForWindowExposed(m_window.get());
}

QModelIndex TestMainWindow::rowOf(qint64 id, int column) const
{
    const QAbstractItemModel *model = view()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(EpisodeTableModel::IdRole).toLongLong() == id)
            return model->index(row, column);
    }
    return {};
}

QModelIndex TestMainWindow::rowNamed(const QString &name, int column) const
{
    const QAbstractItemModel *model = view()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, EpisodeTableModel::NameColumn).data().toString() == name)
            return model->index(row, column);
    }
    return {};
}

void TestMainWindow::select(const QString &name)
{
    const QModelIndex index = rowNamed(name);
    QVERIFY(index.isValid());
    view()->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QAction *TestMainWindow::action(const char *name) const
{
    return m_window->findChild<QAction *>(QLatin1String(name));
}

void TestMainWindow::addedEpisodeCompletes()
{
    QVERIFY(startWindow(5 * kMiB));
    QVERIFY(m_server->injectFault(stallParts(200))); // slow enough to see it uploading
    const QString path = writeEpisodeFile(*m_dir, QStringLiteral("run-042.bin"), 12 * kMiB);
    m_window->addEpisodes({path});

    const QString name = QStringLiteral("run-042.bin");
    QTRY_COMPARE(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("in_progress · uploading"));
    QTRY_VERIFY(!cellText(name, EpisodeTableModel::SpeedColumn).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("completed"), 60000);
    QVERIFY(cellText(name, EpisodeTableModel::ProgressColumn).startsWith(u"100 % · 12.0 MiB of 12.0 MiB"));
    QCOMPARE(cellText(name, EpisodeTableModel::SizeColumn), QStringLiteral("12.0 MiB"));
    QVERIFY(cellText(name, EpisodeTableModel::SpeedColumn).isEmpty());
    QTRY_VERIFY(
        m_window->statusBar()->findChild<QLabel *>(QStringLiteral("summaryLabel"))->text().contains(u"1 completed"));

    // The delegate paints a full green bar for a completed episode.
    const QRect cell = view()->visualRect(rowNamed(name, EpisodeTableModel::ProgressColumn));
    QVERIFY(cell.isValid());
    const QImage image = view()->viewport()->grab().toImage();
    const QColor filled = image.pixelColor(cell.left() + 8, cell.center().y());
    QVERIFY2(filled.green() > filled.red() + 40 && filled.green() > filled.blue() + 20, qPrintable(filled.name()));

    // The details dock shows the completed attempt; "Copy object URL" copies the episode's prefix.
    QSignalSpy logShown(m_window->logDock(), &EpisodeLogDock::logShown);
    select(name);
    QTRY_VERIFY(!logShown.isEmpty());
    QTreeWidget *log = m_window->logDock()->logView();
    QCOMPARE(log->topLevelItemCount(), 1);
    QCOMPARE(log->topLevelItem(0)->text(2), QStringLiteral("completed"));
    QVERIFY(action("actionCopyUrl")->isEnabled());
    action("actionCopyUrl")->trigger();
    const EpisodeRecord record = m_engine->allStatuses().first().record;
    QCOMPARE(QApplication::clipboard()->text(),
        m_engine->config().profile.objectUrl(record.cloudBucket, record.cloudKeyPrefix + u'/'));
    QVERIFY(QApplication::clipboard()->text().contains(u"/ui/addedEpisodeCompletes/run-042.bin/"));
}

void TestMainWindow::dropAddsEpisodes()
{
    QVERIFY(startWindow());
    const QString file = writeEpisodeFile(*m_dir, QStringLiteral("dropped.bin"), 4096);
    const QString folder = QFileInfo(writeEpisodeFile(*m_dir, QStringLiteral("dropped-folder/cam/a.bin"), 1000)).path();
    QVERIFY(!writeEpisodeFile(*m_dir, QStringLiteral("dropped-folder/imu.bin"), 2000).isEmpty());
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file), QUrl::fromLocalFile(QFileInfo(folder).path())});

    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    QVERIFY(drop.isAccepted());

    QTRY_COMPARE(view()->model()->rowCount(), 2);
    QTRY_COMPARE(cellText(QStringLiteral("dropped.bin"), EpisodeTableModel::StatusColumn), QStringLiteral("completed"));
    QTRY_COMPARE(
        cellText(QStringLiteral("dropped-folder"), EpisodeTableModel::StatusColumn), QStringLiteral("completed"));
    QCOMPARE(m_engine->allStatuses().at(1).record.fileCount, 2);

    // Something that is not a local file is refused at the door.
    QMimeData text;
    text.setText(QStringLiteral("hello"));
    QDragEnterEvent refused(QPoint(50, 50), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.ignore();
    QApplication::sendEvent(m_window.get(), &refused);
    QVERIFY(!refused.isAccepted());

    // Adding the same name again is refused by the engine and said so.
    QSignalSpy failed(m_window.get(), &MainWindow::commandFailed);
    m_window->addEpisodes({file});
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"dropped.bin"));
}

void TestMainWindow::serverFailureShowsInRowThenRetry()
{
    QVERIFY(startWindow());
    QVERIFY(m_server->injectFault(accessDenied(QStringLiteral("PutObject"))));
    const QString name = QStringLiteral("denied.bin");
    m_window->addEpisodes({writeEpisodeFile(*m_dir, name, 50 * 1024)});

    QTRY_COMPARE_WITH_TIMEOUT(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("failed"), 30000);
    const QModelIndex error = rowNamed(name, EpisodeTableModel::LastErrorColumn);
    QVERIFY(!error.data().toString().isEmpty());
    QVERIFY2(error.data(Qt::ToolTipRole).toString().startsWith(u"AccessDenied: "),
        qPrintable(error.data(Qt::ToolTipRole).toString()));
    QVERIFY(rowNamed(name, EpisodeTableModel::StatusColumn).data(Qt::ToolTipRole).toString().contains(u"AccessDenied"));
    // Nothing was verified: the bar says so in the same words as for every other state.
    QCOMPARE(cellText(name, EpisodeTableModel::ProgressColumn), QStringLiteral("0 % · 0 B of 50.0 KiB"));
    QVERIFY(rowNamed(name, EpisodeTableModel::StatusColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(ErrorHint::forCode(QStringLiteral("AccessDenied"))));
    QCOMPARE(cellText(name, EpisodeTableModel::AttemptsColumn), QStringLiteral("1"));

    // Select it: only what applies to a failed episode is enabled; the dock shows the failed attempt.
    QSignalSpy logShown(m_window->logDock(), &EpisodeLogDock::logShown);
    select(name);
    QVERIFY(action("actionRetry")->isEnabled());
    QVERIFY(action("actionSync")->isEnabled());
    QVERIFY(!action("actionCancel")->isEnabled());
    QVERIFY(!action("actionCopyUrl")->isEnabled());
    QTRY_VERIFY(!logShown.isEmpty());
    QTreeWidget *log = m_window->logDock()->logView();
    QCOMPARE(log->topLevelItemCount(), 1);
    QCOMPARE(log->topLevelItem(0)->text(2), QStringLiteral("failed"));
    QVERIFY(log->topLevelItem(0)->text(4).startsWith(u"AccessDenied"));

    // Fixed on the server side, retried from the toolbar: completes, and the error leaves the row.
    QVERIFY(m_server->clearFaults());
    action("actionRetry")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("completed"), 30000);
    QVERIFY(cellText(name, EpisodeTableModel::ProgressColumn).startsWith(u"100 %"));
    QTRY_COMPARE(log->topLevelItemCount(), 2); // the dock follows the log of the selected episode
}

// The storage is unreachable: one banner above the table says so (with what to do), the rows wait with stage
// waiting_storage, and the banner goes once the storage answers.
void TestMainWindow::storageOutageShowsOneBannerAndClearsIt()
{
    const quint16 port = TestData::closedPort(); // nobody listens there yet
    QVERIFY(port != 0);
    S3ServerProcess late(S3ServerProcess::Kind::Strict);
    late.setPort(port);
    SyncConfig config = engineConfig(*m_server, *m_dir);
    config.profile.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)); // nobody listens yet
    config.unreachableRetry = RetryPolicy(1, 300, 600, RetryPolicy::Jitter::Equal);
    m_engine = openEngine(config);
    QVERIFY(m_engine);
    m_window = std::make_unique<MainWindow>(*m_engine);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    auto *banner = m_window->findChild<QLabel *>(QStringLiteral("storageBanner"));
    QVERIFY(banner);
    QVERIFY(!banner->isVisible());
    const QString name = QStringLiteral("offline.bin");
    m_window->addEpisodes({writeEpisodeFile(*m_dir, name, 1000)});
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
    QVERIFY2(banner->text().startsWith(QStringLiteral("Storage unreachable since ")), qPrintable(banner->text()));
    QVERIFY(banner->text().contains(ErrorHint::forCode(QStringLiteral("Unreachable"))));
    QTRY_COMPARE(cellText(name, EpisodeTableModel::StatusColumn).section(QLatin1Char(' '), 0, 2),
        QStringLiteral("pending · waiting_storage"));

    QString error;
    QVERIFY2(late.start(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("completed"), 20000);
    QTRY_VERIFY(!banner->isVisible());
}

void TestMainWindow::cancelSelected()
{
    QVERIFY(startWindow(5 * kMiB));
    QVERIFY(m_server->injectFault(stallParts(3000)));
    const QString name = QStringLiteral("long.bin");
    m_window->addEpisodes({writeEpisodeFile(*m_dir, name, 12 * kMiB)});
    QTRY_COMPARE(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("in_progress · uploading"));
    select(name);
    QVERIFY(action("actionCancel")->isEnabled());
    QVERIFY(!action("actionRetry")->isEnabled());
    QVERIFY(!action("actionRescan")->isEnabled()); // not while it uploads
    action("actionCancel")->trigger();
    QTRY_COMPARE(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("cancelled"));
    QTRY_VERIFY(action("actionRetry")->isEnabled()); // actions follow the state of the selection
    QVERIFY(action("actionRescan")->isEnabled());

    action("actionRemove")->trigger();
    QTRY_COMPARE(view()->model()->rowCount(), 0);
}

void TestMainWindow::pauseAndResumeAll()
{
    QVERIFY(startWindow());
    QVERIFY(action("actionPauseAll")->isEnabled());
    QVERIFY(!action("actionResumeAll")->isEnabled());
    action("actionPauseAll")->trigger();
    QTRY_VERIFY(m_engine->isPaused());
    QTRY_VERIFY(action("actionResumeAll")->isEnabled());
    QVERIFY(!action("actionPauseAll")->isEnabled());
    auto *summary = m_window->statusBar()->findChild<QLabel *>(QStringLiteral("summaryLabel"));
    QTRY_VERIFY(summary->text().contains(u"paused"));

    // Paused: a new episode waits.
    const QString name = QStringLiteral("waits.bin");
    m_window->addEpisodes({writeEpisodeFile(*m_dir, name, 1000)});
    QTRY_COMPARE(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("pending · paused"));
    action("actionResumeAll")->trigger();
    QTRY_VERIFY(!m_engine->isPaused());
    QTRY_COMPARE(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("completed"));
    QVERIFY(!summary->text().contains(u"paused"));
}

void TestMainWindow::filterKeepsSelection()
{
    QVERIFY(startWindow(5 * kMiB));
    QVERIFY(m_server->injectFault(stallParts(150)));
    for (const char *name : {"alpha.bin", "beta.bin", "gamma.bin"})
        m_window->addEpisodes({writeEpisodeFile(*m_dir, QLatin1String(name), 12 * kMiB)});
    QTRY_COMPARE(view()->model()->rowCount(), 3);
    view()->sortByColumn(EpisodeTableModel::ProgressColumn, Qt::DescendingOrder); // re-sorts on every update
    select(QStringLiteral("beta.bin"));

    auto *search = m_window->findChild<QLineEdit *>(QStringLiteral("searchField"));
    search->setText(QStringLiteral("BETA"));
    QCOMPARE(view()->model()->rowCount(), 1);
    search->clear();
    QCOMPARE(view()->model()->rowCount(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->episodeModel()->summary().count(EpisodeState::Completed), 3, 60000);
    QCOMPARE(m_window->selectedIds().size(), 1);
    QCOMPARE(view()->selectionModel()->selectedRows().first().siblingAtColumn(EpisodeTableModel::NameColumn).data(),
        QVariant(QStringLiteral("beta.bin")));

    auto *state = m_window->findChild<QComboBox *>(QStringLiteral("stateFilter"));
    state->setCurrentIndex(state->findData(int(EpisodeState::Failed)));
    QCOMPARE(view()->model()->rowCount(), 0);
    state->setCurrentIndex(state->findData(int(EpisodeState::Completed)));
    QCOMPARE(view()->model()->rowCount(), 3);
}

void TestMainWindow::settingsAreRestored()
{
    QVERIFY(startWindow());
    view()->horizontalHeader()->resizeSection(EpisodeTableModel::NameColumn, 333);
    view()->sortByColumn(EpisodeTableModel::SizeColumn, Qt::AscendingOrder);
    m_window->resize(1000, 640);
    m_window->close(); // saves
    m_window.reset();

    m_window = std::make_unique<MainWindow>(*m_engine);
    QCOMPARE(view()->horizontalHeader()->sectionSize(EpisodeTableModel::NameColumn), 333);
    QCOMPARE(view()->horizontalHeader()->sortIndicatorSection(), int(EpisodeTableModel::SizeColumn));
    QCOMPARE(view()->horizontalHeader()->sortIndicatorOrder(), Qt::AscendingOrder);
    QCOMPARE(m_window->proxyModel()->sortColumn(), int(EpisodeTableModel::SizeColumn));
    QCOMPARE(m_window->size(), QSize(1000, 640));
}

void TestMainWindow::iconIsCompiledIn()
{
    QVERIFY(QFile::exists(QStringLiteral(":/icons/keystone-console.svg")));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

// MainWindow offscreen over a real SyncEngine and the strict S3 server: episodes added through the dialogs' code
// path and by drag-and-drop, live rows, actions on the selection, a server failure in the row, settings restored.
#include "aboutdialog.h"
#include "episodefilterproxymodel.h"
#include "episodelogdock.h"
#include "episodetablemodel.h"
#include "episodetableview.h"
#include "helpbrowser.h"
#include "mainwindow.h"
#include "s3serverprocess.h"
#include "statecolors.h"
#include "storage/transportversions.h"
#include "strictserverfixture.h"
#include "sync/errorhint.h"
#include "uitestsupport.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>
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
    void recordingToggleAndBannerFollowTheEngine();
    void dropAddsEpisodes();
    void serverFailureShowsInRowThenRetry();
    void cancelSelected();
    void pauseAndResumeAll();
    void filterKeepsSelection();
    void settingsAreRestored();
    void iconIsCompiledIn();

    void fitsAt1280x720();
    void homeAndEndMoveBetweenRows();
    void columnsMenuHidesAndIsRemembered();
    void menusAboutAndHelp();
    void actionsFollowSelectionAndReportOnce();
    void cancelWithVerifiedBytesAsks();
    void moveToTopAndRescanWhilePaused();
    void removeAsks();
    void closeWhileUploadingOffersTrayOrQuit();
    void coloursReadableOnDarkPalette();

private:
    bool startWindow(qint64 singlePutThreshold = 16 * kMiB);
    QModelIndex rowOf(qint64 id, int column = 0) const; // in the view's (proxy) model
    QModelIndex rowNamed(const QString &name, int column = 0) const;
    QString cellText(const QString &name, int column) const { return rowNamed(name, column).data().toString(); }
    void select(const QString &name);
    QAction *action(const char *name) const;
    // Clicks the named button of the named message box once it is shown (they open window-modal, not exec()).
    void clickIn(const char *box, const char *button);
    QMessageBox *shownBox(const char *name) const;
    void addCompleted(const QStringList &names);
    void waitUploadingWithVerifiedBytes(const QString &name);
    QTableView *view() const { return m_window->tableView(); }

    StrictServerFixture m_fixture;
    std::unique_ptr<QTemporaryDir> m_settingsDir;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    m_settingsDir = useTemporarySettings(QStringLiteral("tst_mainwindow"));
    QVERIFY(m_settingsDir);
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestMainWindow::init()
{
    QVERIFY(m_fixture.makeDir());
    QVERIFY(m_fixture.server().clearFaults());
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_engine.reset();
    m_fixture.removeDir();
}

bool TestMainWindow::startWindow(qint64 singlePutThreshold)
{
    SyncConfig config = engineConfig(m_fixture.server(), m_fixture.dir());
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

QMessageBox *TestMainWindow::shownBox(const char *name) const
{
    // A box answered before may still exist (deleted later): the one that counts is the one shown.
    const QList<QMessageBox *> boxes = m_window->findChildren<QMessageBox *>(QLatin1String(name));
    for (QMessageBox *box : boxes) {
        if (box->isVisible())
            return box;
    }
    return nullptr;
}

void TestMainWindow::clickIn(const char *box, const char *button)
{
    QTRY_VERIFY(shownBox(box));
    auto *target = shownBox(box)->findChild<QAbstractButton *>(QLatin1String(button));
    QVERIFY2(target, button);
    target->click();
}

void TestMainWindow::addCompleted(const QStringList &names)
{
    for (const QString &name : names)
        m_window->addEpisodes({writeEpisodeFile(m_fixture.dir(), name, 1000 + name.size())});
    QTRY_COMPARE(m_window->episodeModel()->summary().count(EpisodeState::Completed), int(names.size()));
}

// A 30 MiB file in 5 MiB parts, parts held 3 s at the server: parts get verified while the rest take seconds more.
void TestMainWindow::waitUploadingWithVerifiedBytes(const QString &name)
{
    QVERIFY(m_fixture.server().injectFault(stallParts(3000)));
    m_window->addEpisodes({writeEpisodeFile(m_fixture.dir(), name, 30 * kMiB)});
    QTRY_VERIFY_WITH_TIMEOUT(rowNamed(name).isValid(), 10000);
    const qint64 id = rowNamed(name).data(EpisodeTableModel::IdRole).toLongLong();
    QTRY_VERIFY_WITH_TIMEOUT(
        m_engine->status(id) && m_engine->status(id)->progress && m_engine->status(id)->progress->committedBytes > 0,
        30000);
    QCOMPARE(m_engine->status(id)->record.state, EpisodeState::InProgress);
}

void TestMainWindow::addedEpisodeCompletes()
{
    QVERIFY(startWindow(5 * kMiB));
    QVERIFY(m_fixture.server().injectFault(stallParts(200))); // slow enough to see it uploading
    const QString path = writeEpisodeFile(m_fixture.dir(), QStringLiteral("run-042.bin"), 12 * kMiB);
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
    const QString file = writeEpisodeFile(m_fixture.dir(), QStringLiteral("dropped.bin"), 4096);
    const QString folder
        = QFileInfo(writeEpisodeFile(m_fixture.dir(), QStringLiteral("dropped-folder/cam/a.bin"), 1000)).path();
    QVERIFY(!writeEpisodeFile(m_fixture.dir(), QStringLiteral("dropped-folder/imu.bin"), 2000).isEmpty());
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
    QVERIFY(m_fixture.server().injectFault(accessDenied(QStringLiteral("PutObject"))));
    const QString name = QStringLiteral("denied.bin");
    m_window->addEpisodes({writeEpisodeFile(m_fixture.dir(), name, 50 * 1024)});

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
    QVERIFY(m_fixture.server().clearFaults());
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
    SyncConfig config = engineConfig(m_fixture.server(), m_fixture.dir());
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
    m_window->addEpisodes({writeEpisodeFile(m_fixture.dir(), name, 1000)});
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

// The toolbar's Recording mode toggle is a command to the engine; the banner and the toggle show what the engine
// decided, also when the mode changed elsewhere (the API, the CLI, a watched folder).
void TestMainWindow::recordingToggleAndBannerFollowTheEngine()
{
    QVERIFY(startWindow(5 * kMiB));
    QAction *toggle = action("actionRecording");
    QVERIFY(toggle && toggle->isCheckable() && !toggle->isChecked());
    auto *banner = m_window->findChild<QLabel *>(QStringLiteral("recordingBanner"));
    QVERIFY(banner);
    QVERIFY(!banner->isVisible());

    toggle->trigger();
    QTRY_VERIFY(m_engine->throttle().isRecording());
    QCOMPARE(m_engine->throttle().reason, ThrottleState::Reason::Command);
    QTRY_VERIFY(banner->isVisible());
    QVERIFY2(banner->text().startsWith(QStringLiteral("Recording mode.")), qPrintable(banner->text()));
    QVERIFY2(banner->text().contains(QStringLiteral("1.00 MiB/s")), qPrintable(banner->text()));
    QVERIFY(toggle->isChecked());

    // Left elsewhere (as the API would): the toggle and the banner follow.
    bool left = false;
    m_engine->setRecording(
        RecordingCommand{}, [&left](const SyncResult<ThrottleState> &result) { left = result.ok(); });
    QTRY_VERIFY(left);
    QTRY_VERIFY(!banner->isVisible());
    QVERIFY(!toggle->isChecked());
    // Entered elsewhere with a hold: the banner says uploads hold.
    m_engine->setRecording(RecordingCommand{true, 0, {}});
    QTRY_VERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("hold")), qPrintable(banner->text()));
    QVERIFY(toggle->isChecked());
    toggle->trigger(); // off
    QTRY_VERIFY(!m_engine->throttle().isRecording());
    QTRY_VERIFY(!banner->isVisible());
}

void TestMainWindow::cancelSelected()
{
    QVERIFY(startWindow(5 * kMiB));
    QVERIFY(m_fixture.server().injectFault(stallParts(3000)));
    const QString name = QStringLiteral("long.bin");
    m_window->addEpisodes({writeEpisodeFile(m_fixture.dir(), name, 12 * kMiB)});
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
    clickIn("removeConfirmation", "removeButton");
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
    m_window->addEpisodes({writeEpisodeFile(m_fixture.dir(), name, 1000)});
    QTRY_COMPARE(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("pending · paused"));
    action("actionResumeAll")->trigger();
    QTRY_VERIFY(!m_engine->isPaused());
    QTRY_COMPARE(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("completed"));
    QVERIFY(!summary->text().contains(u"paused"));
}

void TestMainWindow::filterKeepsSelection()
{
    QVERIFY(startWindow(5 * kMiB));
    QVERIFY(m_fixture.server().injectFault(stallParts(150)));
    for (const char *name : {"alpha.bin", "beta.bin", "gamma.bin"})
        m_window->addEpisodes({writeEpisodeFile(m_fixture.dir(), QLatin1String(name), 12 * kMiB)});
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

// The default window (1280 × 720) shows every column without a horizontal scroll bar, every tool bar action
// without the » overflow, and the search field, which Ctrl+F focuses.
void TestMainWindow::fitsAt1280x720()
{
    QSettings().remove(QStringLiteral("MainWindow")); // the defaults, not a previous test's layout
    QVERIFY(startWindow());
    QCOMPARE(m_window->size(), QSize(1280, 720));
    addCompleted({QStringLiteral("episode_2026-12-04_0001"), QStringLiteral("b.bin")});
    QTRY_COMPARE(view()->horizontalScrollBar()->maximum(), 0);
    for (const int column : {EpisodeTableModel::IdColumn, EpisodeTableModel::SizeColumn,
             EpisodeTableModel::StatusColumn, EpisodeTableModel::SyncedAtColumn, EpisodeTableModel::NameColumn}) {
        QVERIFY(!view()->isColumnHidden(column));
        QVERIFY2(view()->columnWidth(column) >= static_cast<QAbstractItemView *>(view())->sizeHintForColumn(column),
            qPrintable(QStringLiteral("column %1: %2 < %3")
                           .arg(column)
                           .arg(view()->columnWidth(column))
                           .arg(static_cast<QAbstractItemView *>(view())->sizeHintForColumn(column))));
    }
    auto *toolBar = m_window->findChild<QToolBar *>(QStringLiteral("episodesToolBar"));
    auto *overflow = toolBar->findChild<QToolButton *>(QStringLiteral("qt_toolbar_ext_button"));
    QVERIFY(!overflow || !overflow->isVisible());
    auto *search = m_window->findChild<QLineEdit *>(QStringLiteral("searchField"));
    QVERIFY(search->isVisible());
    QVERIFY(search->width() >= 300);

    view()->setFocus();
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(search->hasFocus());
    QTest::keyClicks(search, QStringLiteral("b.bin"));
    QCOMPARE(view()->model()->rowCount(), 1);
}

// Home/End go to the first/last row, Ctrl+Home/End too and select it; Shift+End extends the selection.
void TestMainWindow::homeAndEndMoveBetweenRows()
{
    QVERIFY(startWindow());
    addCompleted({QStringLiteral("a.bin"), QStringLiteral("b.bin"), QStringLiteral("c.bin")});
    view()->sortByColumn(EpisodeTableModel::NameColumn, Qt::AscendingOrder);
    view()->setFocus();
    view()->setCurrentIndex(rowNamed(QStringLiteral("b.bin"), EpisodeTableModel::SizeColumn));
    const auto selectedNames = [this] {
        QStringList names;
        for (const QModelIndex &row : view()->selectionModel()->selectedRows(EpisodeTableModel::NameColumn))
            names.append(row.data().toString());
        names.sort();
        return names;
    };
    QTest::keyClick(view(), Qt::Key_End);
    QCOMPARE(view()->currentIndex().row(), 2);
    QCOMPARE(view()->currentIndex().column(), int(EpisodeTableModel::SizeColumn)); // the column stays
    QCOMPARE(selectedNames(), QStringList{QStringLiteral("c.bin")});
    QTest::keyClick(view(), Qt::Key_Home);
    QCOMPARE(selectedNames(), QStringList{QStringLiteral("a.bin")});
    QTest::keyClick(view(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(selectedNames(), QStringList{QStringLiteral("c.bin")});
    QTest::keyClick(view(), Qt::Key_Home, Qt::ControlModifier);
    QCOMPARE(selectedNames(), QStringList{QStringLiteral("a.bin")});
    QTest::keyClick(view(), Qt::Key_End, Qt::ShiftModifier);
    QCOMPARE(selectedNames().size(), 3);
}

void TestMainWindow::columnsMenuHidesAndIsRemembered()
{
    QVERIFY(startWindow());
    auto *table = qobject_cast<EpisodeTableView *>(view());
    QVERIFY(table);
    std::unique_ptr<QMenu> menu(table->createColumnsMenu(nullptr));
    QAction *speed = nullptr;
    QAction *name = nullptr;
    for (QAction *action : menu->actions()) {
        if (action->text() == QStringLiteral("Speed"))
            speed = action;
        if (action->text() == QStringLiteral("Name"))
            name = action;
    }
    QVERIFY(speed && name);
    QVERIFY(!name->isEnabled()); // a row must still say which episode it is
    QVERIFY(speed->isChecked());
    speed->setChecked(false);
    QVERIFY(view()->isColumnHidden(EpisodeTableModel::SpeedColumn));
    m_window->close();
    m_window = std::make_unique<MainWindow>(*m_engine);
    QVERIFY(view()->isColumnHidden(EpisodeTableModel::SpeedColumn));
    qobject_cast<EpisodeTableView *>(view())->applyDefaultColumns(); // "Reset columns"
    QVERIFY(!view()->isColumnHidden(EpisodeTableModel::SpeedColumn));
}

void TestMainWindow::menusAboutAndHelp()
{
    QVERIFY(startWindow());
    QStringList menus;
    for (QAction *entry : m_window->menuBar()->actions())
        menus.append(entry->text().remove(u'&'));
    QCOMPARE(menus,
        (QStringList{
            QStringLiteral("File"), QStringLiteral("Episode"), QStringLiteral("View"), QStringLiteral("Help")}));
    // Settings answers Ctrl+, also where the platform has no Preferences key (the offscreen plugin has none).
    QVERIFY(action("actionSettings")->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Comma)));
    QVERIFY(!action("actionHelp")->shortcut().isEmpty());
    QCOMPARE(action("actionQuit")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));

    QTest::keyClick(m_window.get(), Qt::Key_F1);
    HelpBrowser *help = nullptr;
    QTRY_VERIFY((help = m_window->findChild<HelpBrowser *>()) && help->isVisible());
    QVERIFY(help->browser()->toPlainText().contains(QStringLiteral("Keystone Console")));
    QVERIFY(help->browser()->toPlainText().contains(QStringLiteral("man keystone-console")));
    QVERIFY(!help->browser()->toHtml().contains(QStringLiteral("<img"))); // captions, not broken images
    QVERIFY(help->browser()->toPlainText().contains(QStringLiteral("The desktop console at 1280")));
    help->close();

    m_window->setApiInfo(QStringLiteral("http://127.0.0.1:8765"), "token");
    action("actionAbout")->trigger();
    AboutDialog *about = nullptr;
    QTRY_VERIFY((about = m_window->findChild<AboutDialog *>()) && about->isVisible());
    const QString text = about->findChild<QLabel *>(QStringLiteral("aboutText"))->text();
    QVERIFY(text.contains(QString::fromLatin1(qVersion())));
    const TransportVersions transport = TransportVersions::current();
    QVERIFY(QRegularExpression(QStringLiteral("^\\d+\\.\\d+\\.\\d+")).match(transport.curl).hasMatch());
    QVERIFY(transport.tls.startsWith(QStringLiteral("OpenSSL/")));
    QVERIFY(text.contains(transport.curl));
    QVERIFY(text.contains(transport.tls));
    QVERIFY(text.contains(m_engine->config().dataDir.toHtmlEscaped()));
    QVERIFY(text.contains(QStringLiteral("http://127.0.0.1:8765")));
    about->close();
}

// Each action is enabled only where it can succeed, and an action on a mixed selection acts on the episodes it
// applies to and reports once: how many it did, how many it skipped and why.
void TestMainWindow::actionsFollowSelectionAndReportOnce()
{
    QVERIFY(startWindow());
    addCompleted({QStringLiteral("done.bin")});
    QVERIFY(m_fixture.server().injectFault(accessDenied(QStringLiteral("PutObject"))));
    m_window->addEpisodes({writeEpisodeFile(m_fixture.dir(), QStringLiteral("denied.bin"), 1000)});
    QTRY_COMPARE(m_window->episodeModel()->summary().count(EpisodeState::Failed), 1);
    QVERIFY(m_fixture.server().clearFaults());

    select(QStringLiteral("done.bin"));
    for (const char *name : {"actionSync", "actionRetry", "actionRescan", "actionCancel", "actionMoveToTop"})
        QVERIFY2(!action(name)->isEnabled(), name);
    QVERIFY(action("actionRemove")->isEnabled());
    QVERIFY(action("actionCopyUrl")->isEnabled());

    view()->selectAll();
    QVERIFY(action("actionSync")->isEnabled()); // applies to one of them
    action("actionPauseAll")->trigger();
    QTRY_VERIFY(m_engine->isPaused());
    QSignalSpy failed(m_window.get(), &MainWindow::commandFailed);
    action("actionSync")->trigger();
    QTRY_COMPARE(m_window->statusBar()->currentMessage(),
        QStringLiteral("Queued 1 episode; uploads are paused: Resume all to start them, skipped 1 completed"));
    QTRY_COMPARE(m_window->episodeModel()->summary().count(EpisodeState::Pending), 1);
    QCOMPARE(failed.count(), 0); // skipping is not failing
    action("actionResumeAll")->trigger();
    QTRY_COMPARE(m_window->episodeModel()->summary().count(EpisodeState::Completed), 2);

    view()->selectAll();
    QVERIFY(!action("actionRetry")->isEnabled()); // applies to none of them
    QVERIFY(action("actionRemove")->isEnabled());
}

void TestMainWindow::cancelWithVerifiedBytesAsks()
{
    QVERIFY(startWindow(5 * kMiB));
    const QString name = QStringLiteral("big.bin");
    waitUploadingWithVerifiedBytes(name);
    select(name);
    action("actionCancel")->trigger();
    clickIn("cancelConfirmation", "keepButton");
    QTRY_VERIFY(!shownBox("cancelConfirmation"));
    QCOMPARE(m_engine->allStatuses().first().record.state, EpisodeState::InProgress); // nothing was cancelled
    QVERIFY(action("actionPause")->isEnabled());
    QVERIFY(!action("actionResume")->isEnabled());

    // "Pause instead": the episode stops and keeps what is verified; Resume continues it.
    action("actionCancel")->trigger();
    clickIn("cancelConfirmation", "pauseInsteadButton");
    // Paused at once (the flag), pending once the parts in flight have stopped.
    QTRY_VERIFY(m_engine->allStatuses().first().record.paused);
    QTRY_COMPARE(m_engine->allStatuses().first().record.state, EpisodeState::Pending);
    const EpisodeStatus paused = m_engine->allStatuses().first();
    QVERIFY(paused.record.paused);
    QVERIFY(paused.progress && paused.progress->committedBytes > 0);
    QTRY_VERIFY(action("actionResume")->isEnabled());
    QVERIFY(!action("actionPause")->isEnabled());
    QTRY_COMPARE(m_window->statusBar()->currentMessage(), QStringLiteral("Paused 1 episode"));
    action("actionResume")->trigger();
    QTRY_COMPARE(m_engine->allStatuses().first().record.state, EpisodeState::InProgress);
    QVERIFY(!m_engine->allStatuses().first().record.paused);
    QTRY_VERIFY(m_engine->allStatuses().first().progress->committedBytes >= paused.progress->committedBytes);

    action("actionCancel")->trigger();
    clickIn("cancelConfirmation", "discardButton");
    QTRY_COMPARE(cellText(name, EpisodeTableModel::StatusColumn), QStringLiteral("cancelled"));
}

// While everything is paused: Move to top puts the selected pending episode above the others, Rescan reads its
// folder again (a file added since is in), and the summary says what was done.
void TestMainWindow::moveToTopAndRescanWhilePaused()
{
    QVERIFY(startWindow());
    action("actionPauseAll")->trigger();
    QTRY_VERIFY(m_engine->isPaused());
    const QString folder = QFileInfo(writeEpisodeFile(m_fixture.dir(), QStringLiteral("late/a.bin"), 1000)).path();
    m_window->addEpisodes({writeEpisodeFile(m_fixture.dir(), QStringLiteral("first.bin"), 1000)});
    QTRY_COMPARE(m_window->episodeModel()->summary().count(EpisodeState::Pending), 1);
    m_window->addEpisodes({folder});
    QTRY_COMPARE(m_window->episodeModel()->summary().count(EpisodeState::Pending), 2);
    // Nothing uploads while everything is paused: closing does not ask.
    QVERIFY(m_window->close());
    QVERIFY(!shownBox("closeChoice"));
    m_window->show();

    select(QStringLiteral("late"));
    QVERIFY(action("actionMoveToTop")->isEnabled());
    QVERIFY(action("actionRescan")->isEnabled());
    action("actionMoveToTop")->trigger();
    QTRY_COMPARE(m_window->statusBar()->currentMessage(), QStringLiteral("Moved 1 episode to the top"));
    int latePriority = 0, firstPriority = 0;
    for (const EpisodeStatus &status : m_engine->allStatuses())
        (status.record.name == QStringLiteral("late") ? latePriority : firstPriority) = status.record.priority;
    QVERIFY2(latePriority > firstPriority, qPrintable(QStringLiteral("%1 %2").arg(latePriority).arg(firstPriority)));

    QVERIFY(!writeEpisodeFile(m_fixture.dir(), QStringLiteral("late/b.bin"), 2000).isEmpty());
    action("actionRescan")->trigger();
    QTRY_COMPARE(m_window->statusBar()->currentMessage(), QStringLiteral("Rescanning 1 episode"));
    const auto lateFiles = [this] {
        for (const EpisodeStatus &status : m_engine->allStatuses()) {
            if (status.record.name == QStringLiteral("late") && status.record.state == EpisodeState::Pending)
                return status.record.fileCount;
        }
        return 0;
    };
    QTRY_COMPARE(lateFiles(), 2);
    action("actionResumeAll")->trigger();
    QTRY_COMPARE(m_window->episodeModel()->summary().count(EpisodeState::Completed), 2);
}

void TestMainWindow::removeAsks()
{
    QVERIFY(startWindow());
    addCompleted({QStringLiteral("keep.bin")});
    select(QStringLiteral("keep.bin"));
    action("actionRemove")->trigger();
    QMessageBox *box = shownBox("removeConfirmation");
    QVERIFY(box);
    QVERIFY(box->text().contains(QStringLiteral("not touched")));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!shownBox("removeConfirmation"));
    QCOMPARE(m_engine->allStatuses().size(), 1);

    action("actionRemove")->trigger();
    clickIn("removeConfirmation", "removeButton");
    QTRY_COMPARE(view()->model()->rowCount(), 0);
    QTRY_VERIFY(m_engine->allStatuses().isEmpty());
}

// Closing while uploads run asks (keep in the tray, quit and pause, cancel) and remembers the answer if told to;
// with nothing running it just closes.
void TestMainWindow::closeWhileUploadingOffersTrayOrQuit()
{
    QSettings().remove(QStringLiteral("MainWindow/closeChoice"));
    QCOMPARE(MainWindow::rememberedCloseChoice(), MainWindow::CloseChoice::Ask);
    QVERIFY(startWindow(5 * kMiB));
    m_window->setTrayAvailable(true);
    waitUploadingWithVerifiedBytes(QStringLiteral("long.bin"));

    QVERIFY(!m_window->close()); // asks instead
    QMessageBox *box = shownBox("closeChoice");
    QVERIFY(box);
    box->button(QMessageBox::Cancel)->click();
    QVERIFY(m_window->isVisible());

    QVERIFY(!m_window->close());
    QTRY_VERIFY(shownBox("closeChoice"));
    shownBox("closeChoice")->findChild<QCheckBox *>(QStringLiteral("rememberChoice"))->setChecked(true);
    clickIn("closeChoice", "keepInTrayButton");
    QTRY_VERIFY(!m_window->isVisible());
    QCOMPARE(MainWindow::rememberedCloseChoice(), MainWindow::CloseChoice::KeepInTray);
    QCOMPARE(m_engine->allStatuses().first().record.state, EpisodeState::InProgress); // uploads go on

    m_window->show();
    QVERIFY(!m_window->close()); // remembered: no question
    QVERIFY(!shownBox("closeChoice"));
    QVERIFY(!m_window->isVisible());

    // File → Quit quits: the remembered "tray" does not apply, the question offers quit only.
    m_window->show();
    action("actionQuit")->trigger();
    QTRY_VERIFY(shownBox("closeChoice"));
    QVERIFY(!shownBox("closeChoice")->findChild<QAbstractButton *>(QStringLiteral("keepInTrayButton")));
    shownBox("closeChoice")->button(QMessageBox::Cancel)->click();
    QVERIFY(m_window->isVisible());

    // Without a tray the remembered "tray" cannot apply either: it asks, offering quit only.
    m_window->setTrayAvailable(false);
    m_window->show();
    QVERIFY(!m_window->close());
    QTRY_VERIFY(shownBox("closeChoice"));
    QVERIFY(!shownBox("closeChoice")->findChild<QAbstractButton *>(QStringLiteral("keepInTrayButton")));
    clickIn("closeChoice", "quitButton");
    QTRY_VERIFY(!m_window->isVisible());
    QSettings().remove(QStringLiteral("MainWindow/closeChoice"));
}

// State colours, the banner and the settings' test result stay readable (WCAG 4.5:1) on a dark palette as on a
// light one; the fixed colours used before gave 2.9:1 for a failure on a dark table.
void TestMainWindow::coloursReadableOnDarkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    const QPalette light = QApplication::style()->standardPalette();
    for (const QPalette &palette : {dark, light}) {
        for (const EpisodeState state : {EpisodeState::Pending, EpisodeState::InProgress, EpisodeState::Completed,
                 EpisodeState::Failed, EpisodeState::Cancelled}) {
            const double ratio
                = StateColors::contrastRatio(StateColors::forState(state, palette), palette.color(QPalette::Base));
            QVERIFY2(ratio >= StateColors::kTextContrast, qPrintable(QString::number(ratio)));
        }
        QVERIFY(StateColors::contrastRatio(StateColors::failure(palette), palette.color(QPalette::Window)) >= 4.5);
        QVERIFY(StateColors::contrastRatio(StateColors::success(palette), palette.color(QPalette::Window)) >= 4.5);
        QVERIFY(StateColors::contrastRatio(StateColors::warningText(palette), StateColors::warningBackground(palette))
            >= 4.5);
    }
    QVERIFY(StateColors::contrastRatio(QColor(0xc0, 0x39, 0x2b), dark.color(QPalette::Base)) < 4.5);

    // The table's failed row takes the palette's colour; the progress column explains its two shades.
    const QPalette before = QApplication::palette();
    QApplication::setPalette(dark);
    QVERIFY(startWindow());
    QVERIFY(m_fixture.server().injectFault(accessDenied(QStringLiteral("PutObject"))));
    m_window->addEpisodes({writeEpisodeFile(m_fixture.dir(), QStringLiteral("red.bin"), 1000)});
    QTRY_COMPARE(cellText(QStringLiteral("red.bin"), EpisodeTableModel::StatusColumn), QStringLiteral("failed"));
    const QColor failedText
        = rowNamed(QStringLiteral("red.bin"), EpisodeTableModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>();
    QVERIFY(StateColors::contrastRatio(failedText, dark.color(QPalette::Base)) >= 4.5);
    QVERIFY(view()
                ->model()
                ->headerData(EpisodeTableModel::ProgressColumn, Qt::Horizontal, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Light bar")));
    QApplication::setPalette(before);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

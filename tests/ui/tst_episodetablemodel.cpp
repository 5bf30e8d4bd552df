// EpisodeTableModel and EpisodeFilterProxyModel over a real SyncEngine uploading to the strict S3 server, checked
// by QAbstractItemModelTester while rows change, appear and disappear.
#include "episodefilterproxymodel.h"
#include "episodetablemodel.h"
#include "sync/progresstext.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>

using namespace UiTest;

class TestEpisodeTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void progressTexts();
    void rowTextsAreProgressTexts();
    void modelTesterDuringLiveUploads();
    void onlyChangedRowsAreSignalled();
    void cachedTextsFollowLiveChanges();
    void sortKeysAreNumeric();
    void filterByStateAndText();

private:
    std::unique_ptr<SyncEngine> startEngine(qint64 singlePutThreshold = 16 * kMiB, int partsInFlight = 8);
    qint64 addEpisode(const QString &name, qint64 size);
    EpisodeState stateOf(qint64 id) const { return m_engine->status(id)->record.state; }
    bool allCompleted(const QList<qint64> &ids) const;
    static void compareWithFreshTexts(const EpisodeTableModel &model, int row);

    StrictServerFixture m_fixture;
    std::unique_ptr<SyncEngine> m_engine;
};

void TestEpisodeTableModel::initTestCase()
{
    QString error;
    QVERIFY2(m_fixture.startServer(&error), qPrintable(error));
}

void TestEpisodeTableModel::init()
{
    QVERIFY(m_fixture.makeDir());
    QVERIFY(m_fixture.server().clearFaults());
}

void TestEpisodeTableModel::cleanup()
{
    m_engine.reset();
    m_fixture.removeDir();
}

std::unique_ptr<SyncEngine> TestEpisodeTableModel::startEngine(qint64 singlePutThreshold, int partsInFlight)
{
    SyncConfig config = engineConfig(m_fixture.server(), m_fixture.dir());
    config.upload.singlePutThreshold = singlePutThreshold; // 5 MiB: a 12 MiB file is three stalled parts
    config.maxConcurrentEpisodes = 3;
    config.maxPartsInFlight = partsInFlight; // with stalled parts: the upload takes parts × stall / partsInFlight
    return openEngine(config);
}

qint64 TestEpisodeTableModel::addEpisode(const QString &name, qint64 size)
{
    const QString path = writeEpisodeFile(m_fixture.dir(), name, size);
    return path.isEmpty() ? 0 : registerEpisode(*m_engine, path);
}

bool TestEpisodeTableModel::allCompleted(const QList<qint64> &ids) const
{
    return std::all_of(ids.begin(), ids.end(), [this](qint64 id) { return stateOf(id) == EpisodeState::Completed; });
}

void TestEpisodeTableModel::progressTexts()
{
    constexpr qint64 kGiB = 1024 * kMiB;
    EpisodeStatus status;
    status.record.state = EpisodeState::InProgress;
    status.record.totalBytes = qint64(3.1 * double(kGiB));
    status.progress = TransferProgress{};
    status.progress->totalBytes = status.record.totalBytes;
    status.progress->committedBytes = qint64(1.3 * double(kGiB));
    status.progress->inflightBytes = 4 * kGiB; // more than what is left: clamped
    EpisodeTableModel::Progress progress = EpisodeTableModel::progressOf(status);
    QCOMPARE(progress.text, QStringLiteral("41 % · 1.29 GiB of 3.09 GiB")); // three significant digits, down
    QCOMPARE(progress.committed + progress.inflight, progress.total);

    status.progress->committedBytes = 500 * kMiB;
    status.progress->inflightBytes = 0;
    QCOMPARE(EpisodeTableModel::progressOf(status).text, QStringLiteral("15 % · 500 MiB of 3.09 GiB"));
    status.progress->committedBytes = status.record.totalBytes - 1; // 99.99…: never 100 before completed
    QVERIFY(EpisodeTableModel::progressOf(status).text.startsWith(QStringLiteral("99 % · ")));
    status.progress->committedBytes = 20 * kMiB; // at 1 % the bar's text still says something
    QCOMPARE(EpisodeTableModel::progressOf(status).text, QStringLiteral("0 % · 20.0 MiB of 3.09 GiB"));

    status.progress.reset();
    status.record.state = EpisodeState::Completed;
    progress = EpisodeTableModel::progressOf(status);
    QCOMPARE(progress.committed, progress.total);
    QVERIFY(progress.text.startsWith(QStringLiteral("100 % · ")));

    // Failed with verified parts kept for a resume: the bar shows them (the seed's empty bar hid them).
    status.record.state = EpisodeState::Failed;
    status.progress = TransferProgress{};
    status.progress->totalBytes = status.record.totalBytes;
    status.progress->committedBytes = kGiB;
    progress = EpisodeTableModel::progressOf(status);
    QCOMPARE(progress.text, QStringLiteral("32 % · 1.00 GiB of 3.09 GiB"));
    QCOMPARE(progress.committed, kGiB);
    QCOMPARE(progress.inflight, 0);
}

// What a row caches is what ProgressText says of the same snapshot, fresh.
void TestEpisodeTableModel::compareWithFreshTexts(const EpisodeTableModel &model, int row)
{
    const EpisodeStatus &status = model.statusAt(row);
    const auto cell = [&model, row](int column) { return model.index(row, column).data().toString(); };
    const bool running = status.record.state == EpisodeState::InProgress && status.progress;
    QCOMPARE(cell(EpisodeTableModel::SizeColumn), ProgressText::size(status.record.totalBytes));
    QCOMPARE(cell(EpisodeTableModel::StatusColumn), EpisodeTableModel::statusText(status));
    QCOMPARE(cell(EpisodeTableModel::ProgressColumn), ProgressText::summary(status));
    const auto progress = model.index(row, EpisodeTableModel::ProgressColumn)
                              .data(EpisodeTableModel::ProgressRole)
                              .value<EpisodeTableModel::Progress>();
    const EpisodeTableModel::Progress fresh = EpisodeTableModel::progressOf(status);
    QCOMPARE(progress.text, fresh.text);
    QCOMPARE(progress.committed, fresh.committed);
    QCOMPARE(progress.inflight, fresh.inflight);
    QCOMPARE(cell(EpisodeTableModel::SpeedColumn),
        running ? ProgressText::speed(status.progress->bytesPerSecond) : QString());
    if (running && status.progress->etaSeconds >= 0)
        QCOMPARE(cell(EpisodeTableModel::EtaColumn), ProgressText::duration(status.progress->etaSeconds));
    else if (!running)
        QCOMPARE(cell(EpisodeTableModel::EtaColumn), QString());
}

void TestEpisodeTableModel::rowTextsAreProgressTexts()
{
    EpisodeStatus status;
    status.record.id = 42;
    status.record.name = QStringLiteral("Robot-7 Morning");
    status.record.localPath = QStringLiteral("/data/rec/robot-7");
    status.record.state = EpisodeState::InProgress;
    status.record.totalBytes = 3 * 1024 * kMiB;
    status.stage = EpisodeStage::Uploading;
    status.progress = TransferProgress{};
    status.progress->totalBytes = status.record.totalBytes;
    status.progress->committedBytes = 700 * kMiB;
    status.progress->inflightBytes = 64 * kMiB;
    status.progress->bytesPerSecond = 123'456'789;
    status.progress->etaSeconds = 3725;

    EpisodeTableModel::Row row = EpisodeTableModel::rowFor(status);
    QCOMPARE(row.texts().progress, ProgressText::summary(status));
    QCOMPARE(row.texts().size, ProgressText::size(status.record.totalBytes));
    QCOMPARE(row.texts().status, ProgressText::stateAndStage(status));
    QCOMPARE(row.texts().speed, ProgressText::speed(123'456'789));
    QCOMPARE(row.texts().eta, ProgressText::duration(3725));
    QCOMPARE(row.nameKey, QStringLiteral("robot-7 morning"));
    QVERIFY(row.searchKey.contains(u"/data/rec/robot-7"));

    status.record.state = EpisodeState::Failed; // not running: no speed, no ETA; the error is shown
    status.stage = EpisodeStage::None;
    status.record.lastErrorCode = QStringLiteral("AccessDenied");
    status.record.lastErrorMessage = QStringLiteral("Access Denied");
    row = EpisodeTableModel::rowFor(status);
    QCOMPARE(row.texts().status, ProgressText::stateName(EpisodeState::Failed));
    QVERIFY(row.texts().speed.isEmpty());
    QVERIFY(row.texts().eta.isEmpty());
    QCOMPARE(row.texts().lastError, QStringLiteral("AccessDenied: Access Denied"));
    QCOMPARE(row.lastErrorKey, QStringLiteral("accessdenied"));
    QVERIFY(row.searchKey.contains(u"access denied"));
    QCOMPARE(row.texts().progress, ProgressText::summary(status));
}

void TestEpisodeTableModel::modelTesterDuringLiveUploads()
{
    m_engine = startEngine(5 * kMiB, 2);
    QVERIFY(m_engine);
    QVERIFY(m_fixture.server().injectFault(stallParts(150)));

    EpisodeTableModel model(*m_engine);
    QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    EpisodeFilterProxyModel sorted;
    sorted.setSourceModel(&model);
    sorted.sort(EpisodeTableModel::ProgressColumn, Qt::DescendingOrder); // reorders on every update
    QAbstractItemModelTester sortedTester(&sorted, QAbstractItemModelTester::FailureReportingMode::QtTest);
    EpisodeFilterProxyModel filtered;
    filtered.setSourceModel(&model);
    filtered.setStateFilter(EpisodeState::InProgress); // rows come and go as states change
    QAbstractItemModelTester filteredTester(&filtered, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QItemSelectionModel selection(&sorted);

    // Committed bytes seen through the model never go backwards; in-flight bytes show up while parts stall.
    QHash<qint64, qint64> committed;
    bool sawInflight = false;
    bool sawBackwards = false;
    connect(&model, &QAbstractItemModel::dataChanged, this, [&](const QModelIndex &topLeft, const QModelIndex &bottom) {
        for (int row = topLeft.row(); row <= bottom.row(); ++row) {
            const auto progress = model.index(row, EpisodeTableModel::ProgressColumn)
                                      .data(EpisodeTableModel::ProgressRole)
                                      .value<EpisodeTableModel::Progress>();
            const qint64 id = model.index(row, 0).data(EpisodeTableModel::IdRole).toLongLong();
            sawBackwards |= progress.committed < committed.value(id);
            committed[id] = progress.committed;
            sawInflight |= progress.inflight > 0;
        }
    });
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids.append(addEpisode(QStringLiteral("live-%1.bin").arg(i), 12 * kMiB + i));
    ids.append(addEpisode(QStringLiteral("small.bin"), 100 * 1024));
    QVERIFY(!ids.contains(0));
    QTRY_COMPARE(model.rowCount(), 6);

    // Select one episode in the live-sorted proxy; the selection must follow it through every re-sort.
    const qint64 selectedId = ids.at(2);
    const QModelIndex selectedSource = model.index(model.rowOf(selectedId), 0);
    selection.select(sorted.mapFromSource(selectedSource), QItemSelectionModel::Select | QItemSelectionModel::Rows);

    QTRY_VERIFY_WITH_TIMEOUT(allCompleted(ids), 120000);
    QTRY_COMPARE(model.summary().count(EpisodeState::Completed), 6);
    QTRY_COMPARE(filtered.rowCount(), 0);
    QVERIFY(changes.count() >= 5);
    QVERIFY(sawInflight);
    QVERIFY(!sawBackwards);
    const QModelIndexList selectedRows = selection.selectedRows();
    QCOMPARE(selectedRows.size(), 1);
    QCOMPARE(selectedRows.first().data(EpisodeTableModel::IdRole).toLongLong(), selectedId);
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.index(row, EpisodeTableModel::StatusColumn).data().toString(), QStringLiteral("completed"));
        QVERIFY(model.index(row, EpisodeTableModel::ProgressColumn).data().toString().startsWith(u"100 % · "));
        QVERIFY(!model.index(row, EpisodeTableModel::SyncedAtColumn).data().toString().isEmpty());
    }

    // Removal takes the row away (through the testers as well).
    bool removed = false;
    m_engine->remove(ids.at(0), [&removed](const SyncResult<void> &result) { removed = result.ok(); });
    QTRY_VERIFY(removed);
    QTRY_COMPARE(model.rowCount(), 5);
    QCOMPARE(model.rowOf(ids.at(0)), -1);
    QCOMPARE(model.statusAt(model.rowOf(ids.at(1))).record.id, ids.at(1));
    QCOMPARE(sorted.rowCount(), 5);
}

void TestEpisodeTableModel::onlyChangedRowsAreSignalled()
{
    m_engine = startEngine(5 * kMiB, 1);
    QVERIFY(m_engine);
    EpisodeTableModel model(*m_engine);
    QList<qint64> done;
    for (int i = 0; i < 12; ++i)
        done.append(addEpisode(QStringLiteral("quiet-%1.bin").arg(i), 2000 + i));
    QTRY_VERIFY_WITH_TIMEOUT(allCompleted(done), 60000); // twelve uploads, one at a time, on a busy machine
    QTRY_COMPARE(model.summary().count(EpisodeState::Completed), 12);

    QVERIFY(m_fixture.server().injectFault(stallParts(250)));
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    const qint64 busy = addEpisode(QStringLiteral("busy.bin"), 12 * kMiB);
    QVERIFY(busy > 0);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(busy) == EpisodeState::Completed, 60000);
    QTRY_COMPARE(model.summary().count(EpisodeState::Completed), 13);

    const int busyRow = model.rowOf(busy);
    QCOMPARE(busyRow, 12);
    QVERIFY2(changes.count() >= 3, "live progress of the busy episode reaches the model");
    bool progressAlone = false; // a tick that changed the bar and its figures, not the status
    for (const QList<QVariant> &change : std::as_const(changes)) {
        const auto topLeft = change.at(0).toModelIndex();
        const auto bottomRight = change.at(1).toModelIndex();
        QCOMPARE(topLeft.row(), busyRow);
        QCOMPARE(bottomRight.row(), busyRow);
        // Only the cells that changed: never the id, name or size (a range over them would make a proxy sorted by
        // them re-sort on every progress tick, and repaint cells that did not change).
        QVERIFY2(topLeft.column() > EpisodeTableModel::SizeColumn,
            qPrintable(QStringLiteral("range from column %1").arg(topLeft.column())));
        progressAlone |= topLeft.column() >= EpisodeTableModel::ProgressColumn
            && bottomRight.column() <= EpisodeTableModel::EtaColumn;
    }
    QVERIFY(progressAlone);
}

void TestEpisodeTableModel::cachedTextsFollowLiveChanges()
{
    m_engine = startEngine(5 * kMiB, 1);
    QVERIFY(m_engine);
    QVERIFY(m_fixture.server().injectFault(stallParts(200)));
    EpisodeTableModel model(*m_engine);
    int checked = 0;
    bool failed = false;
    connect(&model, &QAbstractItemModel::dataChanged, this, [&](const QModelIndex &topLeft, const QModelIndex &bottom) {
        for (int row = topLeft.row(); row <= bottom.row() && !failed; ++row) {
            compareWithFreshTexts(model, row);
            failed = QTest::currentTestFailed();
            ++checked;
        }
    });
    const QList<qint64> ids
        = {addEpisode(QStringLiteral("live-a.bin"), 12 * kMiB), addEpisode(QStringLiteral("live-b.bin"), 11 * kMiB)};
    QVERIFY(!ids.contains(0));
    QTRY_VERIFY_WITH_TIMEOUT(allCompleted(ids) || failed, 60000);
    QVERIFY(!failed);
    QVERIFY2(checked >= 4, "rows changed while uploading");
    // At rest: every row says what the engine's current snapshot says, formatted fresh.
    QTRY_COMPARE(model.summary().count(EpisodeState::Completed), 2);
    for (const qint64 id : ids) {
        const int row = model.rowOf(id);
        compareWithFreshTexts(model, row);
        QCOMPARE(model.index(row, EpisodeTableModel::ProgressColumn).data().toString(),
            ProgressText::summary(*m_engine->status(id)));
    }
}

void TestEpisodeTableModel::sortKeysAreNumeric()
{
    m_engine = startEngine();
    QVERIFY(m_engine);
    EpisodeTableModel model(*m_engine);
    EpisodeFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    // As text these would sort "10.0 KiB" < "2.0 MiB" < "900 bytes".
    const QList<qint64> ids = {addEpisode(QStringLiteral("B.bin"), 2 * kMiB), addEpisode(QStringLiteral("c.bin"), 900),
        addEpisode(QStringLiteral("a.bin"), 10 * 1024)};
    QTRY_VERIFY_WITH_TIMEOUT(allCompleted(ids), 60000);
    QTRY_COMPARE(model.rowCount(), 3);

    proxy.sort(EpisodeTableModel::SizeColumn, Qt::AscendingOrder);
    QStringList names;
    for (int row = 0; row < proxy.rowCount(); ++row)
        names.append(proxy.index(row, EpisodeTableModel::NameColumn).data().toString());
    QCOMPARE(names, (QStringList{QStringLiteral("c.bin"), QStringLiteral("a.bin"), QStringLiteral("B.bin")}));
    QVERIFY(proxy.index(0, EpisodeTableModel::SizeColumn).data().toString().contains(u"900"));
    QVERIFY(proxy.index(2, EpisodeTableModel::SizeColumn).data().toString().contains(u"MiB"));
    proxy.sort(EpisodeTableModel::SizeColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, EpisodeTableModel::NameColumn).data().toString(), QStringLiteral("B.bin"));
    QCOMPARE(proxy.index(2, EpisodeTableModel::NameColumn).data().toString(), QStringLiteral("c.bin"));

    // Names ignore case ("B" between "a" and "c", not before both as in plain Unicode order).
    const auto namesInOrder = [&proxy] {
        QStringList list;
        for (int row = 0; row < proxy.rowCount(); ++row)
            list.append(proxy.index(row, EpisodeTableModel::NameColumn).data().toString());
        return list;
    };
    proxy.sort(EpisodeTableModel::NameColumn, Qt::AscendingOrder);
    QCOMPARE(namesInOrder(), (QStringList{QStringLiteral("a.bin"), QStringLiteral("B.bin"), QStringLiteral("c.bin")}));
    // The sort role gives the same plain keys to any other proxy: numbers for sizes.
    QCOMPARE(model.index(model.rowOf(ids.at(1)), EpisodeTableModel::SizeColumn).data(EpisodeTableModel::SortRole),
        QVariant(qint64(900)));
    proxy.sort(EpisodeTableModel::IdColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, EpisodeTableModel::IdColumn).data().toLongLong(), ids.last());
}

void TestEpisodeTableModel::filterByStateAndText()
{
    m_engine = startEngine();
    QVERIFY(m_engine);
    EpisodeTableModel model(*m_engine);
    EpisodeFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 good = addEpisode(QStringLiteral("robot-7-good.bin"), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(good), EpisodeState::Completed, 30000);
    QVERIFY(m_fixture.server().injectFault(accessDenied(QStringLiteral("PutObject"))));
    const qint64 bad = addEpisode(QStringLiteral("robot-9-bad.bin"), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(bad), EpisodeState::Failed, 30000);
    QTRY_COMPARE(model.summary().count(EpisodeState::Failed), 1);

    proxy.setStateFilter(EpisodeState::Failed);
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(EpisodeTableModel::IdRole).toLongLong(), bad);
    proxy.setStateFilter(std::nullopt);
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setSearchText(QStringLiteral("ROBOT-7"));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(EpisodeTableModel::IdRole).toLongLong(), good);
    proxy.setSearchText(QStringLiteral("accessdenied")); // the error code is searchable
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(EpisodeTableModel::IdRole).toLongLong(), bad);
    proxy.setSearchText(QStringLiteral("ACCESS denied")); // and its message, in any case
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(EpisodeTableModel::IdRole).toLongLong(), bad);
    proxy.setSearchText(QStringLiteral("episodes/robot-")); // the local path
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setStateFilter(EpisodeState::Completed); // both filters at once
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(EpisodeTableModel::IdRole).toLongLong(), good);
    proxy.setStateFilter(std::nullopt);
    proxy.setSearchText(QStringLiteral("robot-8")); // nothing
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setSearchText(QString::number(good)); // an id matches exactly (the temporary path may hold the digit too)
    QVERIFY(!proxy.match(proxy.index(0, 0), EpisodeTableModel::IdRole, good, 1, Qt::MatchExactly).isEmpty());
    proxy.setSearchText({});
    QCOMPARE(proxy.rowCount(), 2);
}

QTEST_MAIN(TestEpisodeTableModel)
#include "tst_episodetablemodel.moc"

// EpisodeFilesModel without an engine: each file's state and verified bytes from its catalog row, the object keys,
// and the cap that keeps the files' verified bytes within the episode's committed bytes.
#include "episodefilesmodel.h"

#include <QSignalSpy>
#include <QTest>

namespace {

const QString kPrefix = QStringLiteral("episodes/run-7");

EpisodeFileRecord file(const QString &path, qint64 size, QList<qint64> parts = {}, const QString &uploadId = {})
{
    EpisodeFileRecord record;
    record.relativePath = path;
    record.size = size;
    record.uploadId = uploadId;
    int number = 0;
    for (const qint64 part : parts)
        record.parts.append({++number, part, QByteArray("0123456789abcdef0123456789abcdef")});
    return record;
}

EpisodeFileRecord completed(const QString &path, qint64 size, bool etagChecked = true)
{
    EpisodeFileRecord record = file(path, size);
    record.etag = etagChecked ? QByteArray("d41d8cd98f00b204e9800998ecf8427e") : QByteArray();
    record.etagChecked = etagChecked;
    return record;
}

} // namespace

class TestEpisodeFilesModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statesAndVerifiedBytes();
    void cellsAndKeys();
    void catalogAheadIsCappedFromTheOpenFiles();
    void sameFilesKeepTheRows();
};

void TestEpisodeFilesModel::statesAndVerifiedBytes()
{
    using State = EpisodeFilesModel::FileState;
    QCOMPARE(EpisodeFilesModel::stateOf(file(QStringLiteral("w"), 100)), State::Waiting);
    QCOMPARE(EpisodeFilesModel::verifiedOf(file(QStringLiteral("w"), 100)), 0);
    const EpisodeFileRecord open = file(QStringLiteral("u"), 100, {40}, QStringLiteral("up-1"));
    QCOMPARE(EpisodeFilesModel::stateOf(open), State::Uploading);
    QCOMPARE(EpisodeFilesModel::verifiedOf(open), 40);
    // An upload opened, nothing verified yet: uploading, 0.
    QCOMPARE(EpisodeFilesModel::stateOf(file(QStringLiteral("u"), 100, {}, QStringLiteral("up-2"))), State::Uploading);
    const EpisodeFileRecord allParts = file(QStringLiteral("v"), 100, {60, 40}, QStringLiteral("up-3"));
    QCOMPARE(EpisodeFilesModel::stateOf(allParts), State::Verified);
    QCOMPARE(EpisodeFilesModel::stateText(allParts), QStringLiteral("verified"));
    QCOMPARE(EpisodeFilesModel::stateOf(completed(QStringLiteral("c"), 100)), State::Completed);
    QCOMPARE(EpisodeFilesModel::verifiedOf(completed(QStringLiteral("c"), 100)), 100);
    QCOMPARE(EpisodeFilesModel::stateText(completed(QStringLiteral("c"), 100)), QStringLiteral("completed"));
    // Completed without a checkable ETag: still completed, and said so.
    QCOMPARE(EpisodeFilesModel::stateOf(completed(QStringLiteral("n"), 100, false)), State::Completed);
    QCOMPARE(EpisodeFilesModel::stateText(completed(QStringLiteral("n"), 100, false)),
        QStringLiteral("completed · etag not checked"));
}

void TestEpisodeFilesModel::cellsAndKeys()
{
    EpisodeFilesModel model;
    model.setFiles(
        {completed(QStringLiteral("a.bin"), 2048),
            file(QStringLiteral("cam/b.bin"), 4096, {1024}, QStringLiteral("up-b")), file(QStringLiteral("c.bin"), 10)},
        kPrefix, -1);
    QCOMPARE(model.rowCount(), 3);
    const auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(cell(0, EpisodeFilesModel::PathColumn), QStringLiteral("a.bin"));
    QCOMPARE(cell(0, EpisodeFilesModel::SizeColumn), QStringLiteral("2.00 KiB"));
    QCOMPARE(cell(0, EpisodeFilesModel::ProgressColumn), QStringLiteral("100 % · 2.00 KiB of 2.00 KiB"));
    QCOMPARE(cell(0, EpisodeFilesModel::ObjectKeyColumn), QStringLiteral("episodes/run-7/a.bin"));
    QCOMPARE(cell(1, EpisodeFilesModel::StateColumn), QStringLiteral("uploading"));
    QCOMPARE(cell(1, EpisodeFilesModel::ProgressColumn), QStringLiteral("25 % · 1.00 KiB of 4.00 KiB"));
    QCOMPARE(cell(1, EpisodeFilesModel::UploadIdColumn), QStringLiteral("up-b"));
    QCOMPARE(cell(1, EpisodeFilesModel::ObjectKeyColumn), QStringLiteral("episodes/run-7/cam/b.bin"));
    QCOMPARE(cell(2, EpisodeFilesModel::StateColumn), QStringLiteral("waiting"));
    QCOMPARE(cell(2, EpisodeFilesModel::ProgressColumn), QStringLiteral("0 % · 0 B of 10 B"));
    QCOMPARE(model.resumableUploads(), 1);
    QCOMPARE(model.rowOf(QStringLiteral("cam/b.bin")), 1);
    QCOMPARE(model.rowOf(QStringLiteral("nope")), -1);
    const auto progress = model.index(1, EpisodeFilesModel::ProgressColumn)
                              .data(EpisodeFilesModel::ProgressRole)
                              .value<EpisodeTableModel::Progress>();
    QCOMPARE(progress.committed, 1024);
    QCOMPARE(progress.total, 4096);
    QCOMPARE(progress.inflight, 0); // verified bytes only
}

void TestEpisodeFilesModel::catalogAheadIsCappedFromTheOpenFiles()
{
    const QList<EpisodeFileRecord> files{completed(QStringLiteral("a"), 100),
        file(QStringLiteral("b"), 100, {50}, QStringLiteral("up-b")),
        file(QStringLiteral("c"), 100, {30, 30}, QStringLiteral("up-c"))};
    const auto verified = [](const QList<EpisodeFilesModel::Row> &rows) {
        QList<qint64> bytes;
        for (const auto &row : rows)
            bytes.append(row.verified);
        return bytes;
    };
    QCOMPARE(verified(EpisodeFilesModel::rowsFor(files, kPrefix, -1)), (QList<qint64>{100, 50, 60}));
    QCOMPARE(verified(EpisodeFilesModel::rowsFor(files, kPrefix, 210)), (QList<qint64>{100, 50, 60}));
    // 30 bytes the status has not counted yet: the last open file gives them up.
    QCOMPARE(verified(EpisodeFilesModel::rowsFor(files, kPrefix, 180)), (QList<qint64>{100, 50, 30}));
    // More than the last open file has: the one before it too, the completed file last.
    QCOMPARE(verified(EpisodeFilesModel::rowsFor(files, kPrefix, 120)), (QList<qint64>{100, 20, 0}));
    QCOMPARE(verified(EpisodeFilesModel::rowsFor(files, kPrefix, 40)), (QList<qint64>{40, 0, 0}));
    // The state stays the catalog's.
    QCOMPARE(EpisodeFilesModel::rowsFor(files, kPrefix, 0).at(0).state, EpisodeFilesModel::FileState::Completed);
}

void TestEpisodeFilesModel::sameFilesKeepTheRows()
{
    EpisodeFilesModel model;
    model.setFiles({file(QStringLiteral("a"), 100), file(QStringLiteral("b"), 100)}, kPrefix, -1);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setFiles(
        {file(QStringLiteral("a"), 100, {50}, QStringLiteral("up")), file(QStringLiteral("b"), 100)}, kPrefix, -1);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.rowAt(0).verified, 50);
    model.setFiles({file(QStringLiteral("a"), 100)}, kPrefix, -1); // a file gone (a rescan): new rows
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestEpisodeFilesModel)
#include "tst_episodefilesmodel.moc"

#pragma once

#include "episodecelltexts.h"
#include "sync/episodestatus.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QTimer>

#include <array>
#include <optional>
#include <variant>

struct EngineChanges;
class SyncEngine;

// The episode table: one row per episode of the engine, in the order they first appeared (by id at start).
// Reads only the engine's in-memory snapshots, never the catalog, so it never blocks. Updates arrive as the changed
// ids of the engine's change feed (at most ten batches a second): rows are inserted or removed as needed, and each
// changed row's texts and sort keys are computed then, once (Row), so data() and the delegate's paint only read them.
// dataChanged names only the cells whose shown value or sort key changed (a row's changed columns; rows next to
// each other with the same columns as one range). That keeps repaints to those cells (the view repaints only the
// visible part of a range) and lets EpisodeFilterProxyModel re-sort a row only when its sort column changed: Qt's
// proxy re-sorts a changed row only if the sort column lies inside the range, so a progress tick while sorted by
// id or name re-sorts nothing.
class EpisodeTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        NameColumn,
        SizeColumn,
        StatusColumn,
        ProgressColumn,
        SpeedColumn,
        EtaColumn,
        AttemptsColumn,
        LastErrorColumn,
        SyncedAtColumn,
        ColumnCount
    };

    enum Role {
        SortRole = Qt::UserRole, // numeric (or case-folded text) key for QSortFilterProxyModel
        ProgressRole, // Progress, for ProgressDelegate
        StateRole, // int(EpisodeState)
        IdRole, // qint64 episode id
    };

    // What the progress cell draws: committed solid, in-flight lighter, text from progressText().
    struct Progress
    {
        static constexpr int kSteps = 1000; // resolution of the bar

        qint64 committed = 0;
        qint64 inflight = 0;
        qint64 total = 0;
        EpisodeState state = EpisodeState::Pending;
        QString text;

        int committedSteps() const; // of kSteps: the solid bar
        int reachedSteps() const; // of kSteps: committed and in flight, the light bar
    };

    // One episode as the table shows it: the snapshot, its sort and search keys (computed when the snapshot
    // changes: sorting and filtering need every row's) and its texts (EpisodeCellTexts), made once per snapshot when
    // a cell is first shown (formatting dates and sizes for 10,000 rows nobody looks at costs seconds; never per
    // paint).
    struct Row
    {
        EpisodeStatus status;
        Progress progress; // its text is in texts()
        QString nameKey; // case-folded
        QString lastErrorKey; // case-folded code
        QString searchKey; // case-folded name, local path, error code and message, one per line
        double speedKey = 0; // rounded as the speed cell shows it, so the key changes when the text does

        const EpisodeCellTexts &texts() const;
        void forgetTexts() { m_texts.reset(); }

    private:
        mutable std::optional<EpisodeCellTexts> m_texts;
    };

    // Aggregates for the status bar.
    struct Summary
    {
        std::array<int, kEpisodeStateCount> counts{}; // by int(EpisodeState)
        int count(EpisodeState state) const { return counts[size_t(state)]; }
        double bytesPerSecond = 0;
        int total = 0;
    };

    explicit EpisodeTableModel(SyncEngine &engine, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int rowOf(qint64 id) const { return m_rowById.value(id, -1); }
    const EpisodeStatus &statusAt(int row) const { return m_rows.at(row).status; }
    const Row &rowAt(int row) const { return m_rows.at(row); }
    Summary summary() const { return m_summary; }
    // Sorting without QVariant: whether row a's key in column sorts before row b's (EpisodeFilterProxyModel).
    [[nodiscard]] bool sortsBefore(int a, int b, int column) const;

    static QString stateText(EpisodeState state);
    // The status cell's text, "pending · waiting_retry in 25 s" (EpisodeCellTexts::statusText).
    static QString statusText(const EpisodeStatus &status) { return EpisodeCellTexts::statusText(status); }
    static Progress progressOf(const EpisodeStatus &status);
    static Progress progressAmounts(const EpisodeStatus &status); // progressOf without its text
    static Row rowFor(const EpisodeStatus &status);

Q_SIGNALS:
    void summaryChanged();

private:
    using Columns = quint32; // bit c: column c

    // A changed row and which of its cells changed.
    struct ChangedRow
    {
        int row;
        Columns columns;
    };

    void applyChanges(const EngineChanges &changes);
    void removeRows(QList<int> rows);
    void appendRows(const QList<EpisodeStatus> &statuses);
    void emitChanged(QList<ChangedRow> rows);
    void emitChangedRange(int firstRow, int lastRow, Columns columns);
    void rebuildIndex();
    void updateSummary();
    void refreshCountdowns();

    static Columns changedColumns(const Row &before, const Row &after);
    QVariant displayData(const Row &row, int column) const;
    using SortKey = std::variant<qint64, double, QStringView>; // plain values: no QVariant, no formatting
    static SortKey sortKey(const Row &row, int column);
    QVariant sortData(const Row &row, int column) const;
    QVariant toolTipData(const EpisodeStatus &status, int column) const;

    SyncEngine &m_engine;
    QList<Row> m_rows;
    QHash<qint64, int> m_rowById;
    Summary m_summary;
    QTimer m_countdown;
};

Q_DECLARE_METATYPE(EpisodeTableModel::Progress)

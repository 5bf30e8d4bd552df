#pragma once

#include "sync/episodestatus.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QTimer>

#include <array>

class SyncEngine;

// The episode table: one row per episode of the engine, in the order they first appeared (by id at start).
// Reads only the engine's in-memory snapshots, never the catalog, so it never blocks. Updates arrive as the engine's
// coalesced episodesChanged(ids) (at most ten a second): rows are inserted or removed as needed and dataChanged is
// emitted only for rows whose content changed (contiguous rows as one range; one range for the whole table when
// most rows changed).
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
        qint64 committed = 0;
        qint64 inflight = 0;
        qint64 total = 0;
        EpisodeState state = EpisodeState::Pending;
        QString text;
    };

    // Aggregates for the status bar.
    struct Summary
    {
        std::array<int, 5> counts{}; // by int(EpisodeState)
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
    const EpisodeStatus &statusAt(int row) const { return m_rows.at(row); }
    Summary summary() const { return m_summary; }

    static QString stateText(EpisodeState state);
    static QString statusText(const EpisodeStatus &status); // "pending · waiting_retry in 25 s"
    static Progress progressOf(const EpisodeStatus &status);

Q_SIGNALS:
    void summaryChanged();

private:
    void applyChanges(const QList<qint64> &ids);
    void removeRows(QList<int> rows);
    void appendRows(const QList<EpisodeStatus> &statuses);
    void emitChanged(const QList<int> &rows);
    void rebuildIndex();
    void updateSummary();
    void refreshCountdowns();

    QVariant displayData(const EpisodeStatus &status, int column) const;
    QVariant sortData(const EpisodeStatus &status, int column) const;
    QVariant toolTipData(const EpisodeStatus &status, int column) const;

    SyncEngine &m_engine;
    QList<EpisodeStatus> m_rows;
    QHash<qint64, int> m_rowById;
    Summary m_summary;
    QTimer m_countdown;
};

Q_DECLARE_METATYPE(EpisodeTableModel::Progress)

#include "episodetablemodel.h"

#include "statecolors.h"
#include "sync/progresstext.h"
#include "sync/syncengine.h"
#include "uilogging.h"

#include <QGuiApplication>
#include <QSet>

#include <algorithm>

namespace {

int stepsOf(qint64 amount, qint64 total)
{
    using Progress = EpisodeTableModel::Progress;
    if (total <= 0)
        return 0;
    return int(std::clamp<qint64>(amount * Progress::kSteps / total, 0, Progress::kSteps));
}

// The progress column sorts by the committed fraction; completed episodes (or empty ones) count as whole or none.
double progressFraction(const EpisodeTableModel::Progress &progress)
{
    if (progress.total <= 0)
        return progress.state == EpisodeState::Completed ? 1.0 : 0.0;
    return double(progress.committed) / double(progress.total);
}

} // namespace

EpisodeTableModel::EpisodeTableModel(SyncEngine &engine, QObject *parent)
    : QAbstractTableModel(parent)
    , m_engine(engine)
{
    const QList<EpisodeStatus> statuses = m_engine.allStatuses();
    m_rows.reserve(statuses.size());
    for (const EpisodeStatus &status : statuses)
        m_rows.append(rowFor(status));
    rebuildIndex();
    updateSummary();
    connect(&m_engine, &SyncEngine::changed, this, &EpisodeTableModel::applyChanges);
    // The countdown to a retry is shown in the status cell: refresh those cells once a second.
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &EpisodeTableModel::refreshCountdowns);
    m_countdown.start();
}

void EpisodeTableModel::refreshCountdowns()
{
    for (int row = 0; row < m_rows.size(); ++row) {
        Row &shown = m_rows[row];
        const EpisodeRecord &record = shown.status.record;
        if (record.state != EpisodeState::Pending || !record.nextRetryAt.isValid())
            continue;
        shown.forgetTexts(); // the countdown moved on
        Q_EMIT dataChanged(index(row, StatusColumn), index(row, StatusColumn), {Qt::DisplayRole});
    }
}

int EpisodeTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EpisodeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EpisodeTableModel::stateText(EpisodeState state)
{
    return ProgressText::stateName(state); // the API's names: one vocabulary in the table, the CLI and the API
}

EpisodeTableModel::Progress EpisodeTableModel::progressAmounts(const EpisodeStatus &status)
{
    const EpisodeRecord &record = status.record;
    Progress progress;
    progress.state = record.state;
    progress.total = record.totalBytes;
    if (status.progress) {
        progress.total = status.progress->totalBytes;
        progress.committed = std::min(status.progress->committedBytes, progress.total);
        progress.inflight = std::clamp<qint64>(status.progress->inflightBytes, 0, progress.total - progress.committed);
    } else if (record.state == EpisodeState::Completed) {
        progress.committed = progress.total;
    }

    return progress;
}

EpisodeTableModel::Progress EpisodeTableModel::progressOf(const EpisodeStatus &status)
{
    Progress progress = progressAmounts(status);
    progress.text = ProgressText::summary(status); // every state: what is verified is never hidden
    return progress;
}

int EpisodeTableModel::Progress::committedSteps() const
{
    return state == EpisodeState::Completed ? kSteps : stepsOf(committed, total);
}

int EpisodeTableModel::Progress::reachedSteps() const
{
    return state == EpisodeState::Completed ? kSteps : stepsOf(committed + inflight, total);
}

EpisodeTableModel::Row EpisodeTableModel::rowFor(const EpisodeStatus &status)
{
    const EpisodeRecord &record = status.record;
    Row row;
    row.status = status;
    row.progress = progressAmounts(status); // its text is formatted with the others, when first shown
    row.nameKey = record.name.toCaseFolded();
    row.lastErrorKey = record.lastErrorCode.toCaseFolded();
    row.searchKey = QStringList{record.name, record.localPath, record.lastErrorCode, record.lastErrorMessage}
                        .join(QLatin1Char('\n'))
                        .toCaseFolded();
    row.speedKey = status.progress ? EpisodeCellTexts::shownSpeed(status.progress->bytesPerSecond) : 0.0;
    return row;
}

const EpisodeCellTexts &EpisodeTableModel::Row::texts() const
{
    if (!m_texts)
        m_texts.emplace(status);
    return *m_texts;
}

// Compares what the texts are made of, not the texts: those of rows never shown are never formatted.
EpisodeTableModel::Columns EpisodeTableModel::changedColumns(const Row &before, const Row &after)
{
    const EpisodeRecord &a = before.status.record;
    const EpisodeRecord &b = after.status.record;
    const auto running = [](const Row &row) {
        return row.status.record.state == EpisodeState::InProgress && row.status.progress.has_value();
    };
    const auto eta = [](const Row &row) { return row.status.progress ? row.status.progress->etaSeconds : -1; };
    const Progress &p = before.progress;
    const Progress &q = after.progress;
    const bool stateChanged = a.state != b.state;
    const bool runningChanged = running(before) != running(after);
    Columns columns = 0;
    const auto mark = [&columns](int column, bool changed) {
        if (changed)
            columns |= Columns(1) << column;
    };
    mark(NameColumn, a.name != b.name || a.localPath != b.localPath);
    mark(SizeColumn, a.totalBytes != b.totalBytes);
    mark(StatusColumn, stateChanged || before.status.stage != after.status.stage || a.nextRetryAt != b.nextRetryAt);
    mark(ProgressColumn,
        stateChanged || p.committed != q.committed || p.total != q.total || p.reachedSteps() != q.reachedSteps());
    mark(SpeedColumn, runningChanged || before.speedKey != after.speedKey);
    mark(EtaColumn, runningChanged || eta(before) != eta(after));
    mark(AttemptsColumn, a.attemptsMade != b.attemptsMade);
    mark(LastErrorColumn,
        stateChanged || a.lastErrorCode != b.lastErrorCode || a.lastErrorMessage != b.lastErrorMessage);
    mark(SyncedAtColumn, a.syncedAt != b.syncedAt);
    return columns;
}

QVariant EpisodeTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const EpisodeStatus &status = row.status;
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, column);
    case Qt::ToolTipRole:
        return toolTipData(status, column);
    case Qt::TextAlignmentRole:
        if (column == IdColumn || column == SizeColumn || column == SpeedColumn || column == EtaColumn
            || column == AttemptsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::DecorationRole:
        return column == StatusColumn ? StateColors::stateDot(status.record.state, QGuiApplication::palette())
                                      : QVariant();
    case Qt::ForegroundRole:
        if (status.record.state == EpisodeState::Failed && (column == StatusColumn || column == LastErrorColumn))
            return StateColors::forState(EpisodeState::Failed, QGuiApplication::palette());
        return {};
    case SortRole:
        return sortData(row, column);
    case ProgressRole: {
        Progress progress = row.progress;
        progress.text = row.texts().progress;
        return QVariant::fromValue(progress);
    }
    case StateRole:
        return int(status.record.state);
    case IdRole:
        return status.record.id;
    default:
        return {};
    }
}

QVariant EpisodeTableModel::displayData(const Row &row, int column) const
{
    const EpisodeRecord &record = row.status.record;
    switch (column) {
    case IdColumn:
        return record.id;
    case NameColumn:
        return record.name;
    case AttemptsColumn:
        return record.attemptsMade;
    default:
        break;
    }
    const EpisodeCellTexts &texts = row.texts();
    switch (column) {
    case SizeColumn:
        return texts.size;
    case StatusColumn:
        return texts.status;
    case ProgressColumn:
        return texts.progress;
    case SpeedColumn:
        return texts.speed;
    case EtaColumn:
        return texts.eta;
    case LastErrorColumn:
        return texts.lastError;
    case SyncedAtColumn:
        return texts.syncedAt;
    default:
        return {};
    }
}

EpisodeTableModel::SortKey EpisodeTableModel::sortKey(const Row &row, int column)
{
    const EpisodeStatus &status = row.status;
    const EpisodeRecord &record = status.record;
    switch (column) {
    case IdColumn:
        return record.id;
    case NameColumn:
        return QStringView(row.nameKey);
    case SizeColumn:
        return record.totalBytes;
    case StatusColumn:
        return qint64(record.state);
    case ProgressColumn:
        return progressFraction(row.progress);
    case SpeedColumn:
        return row.speedKey;
    case EtaColumn:
        return status.progress ? status.progress->etaSeconds : qint64(-1);
    case AttemptsColumn:
        return qint64(record.attemptsMade);
    case LastErrorColumn:
        return QStringView(row.lastErrorKey);
    case SyncedAtColumn:
        return record.syncedAt.isValid() ? record.syncedAt.toMSecsSinceEpoch() : qint64(0);
    default:
        return qint64(0);
    }
}

QVariant EpisodeTableModel::sortData(const Row &row, int column) const
{
    return std::visit(
        [](const auto &key) {
            if constexpr (std::is_same_v<std::decay_t<decltype(key)>, QStringView>)
                return QVariant(key.toString());
            else
                return QVariant::fromValue(key);
        },
        sortKey(row, column));
}

bool EpisodeTableModel::sortsBefore(int a, int b, int column) const
{
    return sortKey(m_rows.at(a), column) < sortKey(m_rows.at(b), column); // one alternative per column
}

QVariant EpisodeTableModel::toolTipData(const EpisodeStatus &status, int column) const
{
    const EpisodeRecord &record = status.record;
    if (record.hasError() && (column == StatusColumn || column == ProgressColumn || column == LastErrorColumn))
        return EpisodeCellTexts::errorToolTip(record);
    if (column == NameColumn)
        return record.localPath;
    if (column == ProgressColumn && status.progress)
        return EpisodeCellTexts::progressToolTip(*status.progress);
    return {};
}

QVariant EpisodeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == ProgressColumn)
        return tr("Solid bar: bytes the storage acknowledged and we verified.\n"
                  "Light bar: bytes on their way, not yet verified; they roll back if a part fails.");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("ID");
    case NameColumn:
        return tr("Name");
    case SizeColumn:
        return tr("Size");
    case StatusColumn:
        return tr("Status");
    case ProgressColumn:
        return tr("Progress");
    case SpeedColumn:
        return tr("Speed");
    case EtaColumn:
        return tr("ETA");
    case AttemptsColumn:
        return tr("Attempts");
    case LastErrorColumn:
        return tr("Last error");
    case SyncedAtColumn:
        return tr("Synced at");
    default:
        return {};
    }
}

void EpisodeTableModel::applyChanges(const EngineChanges &changes)
{
    const QList<qint64> &ids = changes.changedIds;
    const QList<EpisodeStatus> current = m_engine.statuses(ids);
    QSet<qint64> present;
    QList<EpisodeStatus> added;
    QList<ChangedRow> changed;
    for (const EpisodeStatus &status : current) {
        present.insert(status.record.id);
        const int row = rowOf(status.record.id);
        if (row < 0) {
            added.append(status);
            continue;
        }
        // Kept even when nothing shown changed (the summary's throughput reads every row's speed).
        Row updated = rowFor(status);
        const Columns columns = changedColumns(m_rows.at(row), updated);
        m_rows[row] = std::move(updated);
        if (columns != 0)
            changed.append({row, columns});
    }
    QList<int> removed;
    for (const qint64 id : ids) {
        if (!present.contains(id) && rowOf(id) >= 0)
            removed.append(rowOf(id));
    }
    emitChanged(std::move(changed)); // before removals shift the rows
    removeRows(removed);
    appendRows(added);
    if (!current.isEmpty() || !removed.isEmpty())
        updateSummary();
}

void EpisodeTableModel::emitChanged(QList<ChangedRow> rows)
{
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end(), [](const ChangedRow &a, const ChangedRow &b) { return a.row < b.row; });
    if (rows.size() * 2 > m_rows.size()) { // most rows (pause all, a new day): one range, fewer signals
        Columns all = 0;
        for (const ChangedRow &changed : std::as_const(rows))
            all |= changed.columns;
        emitChangedRange(rows.first().row, rows.last().row, all);
        return;
    }
    // Neighbouring rows with the same changed cells as one range: a proxy maps a range to the span of its rows.
    qsizetype start = 0;
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i < rows.size() && rows.at(i).row == rows.at(i - 1).row + 1 && rows.at(i).columns == rows.at(start).columns)
            continue;
        emitChangedRange(rows.at(start).row, rows.at(i - 1).row, rows.at(start).columns);
        start = i;
    }
}

// One dataChanged per run of adjacent changed columns: a range over an unchanged sort column would make the
// proxy re-sort, and one over unchanged cells repaint them.
void EpisodeTableModel::emitChangedRange(int firstRow, int lastRow, Columns columns)
{
    int column = 0;
    while (column < ColumnCount) {
        if (!(columns & (Columns(1) << column))) {
            ++column;
            continue;
        }
        const int first = column;
        while (column + 1 < ColumnCount && (columns & (Columns(1) << (column + 1))))
            ++column;
        Q_EMIT dataChanged(index(firstRow, first), index(lastRow, column));
        ++column;
    }
}

void EpisodeTableModel::removeRows(QList<int> rows)
{
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (const int row : std::as_const(rows)) {
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    rebuildIndex();
}

void EpisodeTableModel::appendRows(const QList<EpisodeStatus> &statuses)
{
    if (statuses.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(statuses.size()) - 1);
    for (const EpisodeStatus &status : statuses) {
        m_rowById.insert(status.record.id, int(m_rows.size()));
        m_rows.append(rowFor(status));
    }
    endInsertRows();
}

void EpisodeTableModel::rebuildIndex()
{
    m_rowById.clear();
    m_rowById.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowById.insert(m_rows.at(row).status.record.id, row);
}

void EpisodeTableModel::updateSummary()
{
    Summary summary;
    summary.total = int(m_rows.size());
    for (const Row &row : std::as_const(m_rows)) {
        const EpisodeStatus &status = row.status;
        ++summary.counts[size_t(status.record.state)];
        if (status.progress)
            summary.bytesPerSecond += status.progress->bytesPerSecond;
    }
    m_summary = summary;
    qCDebug(lcUi) << "episodes:" << summary.total << "throughput:" << summary.bytesPerSecond;
    Q_EMIT summaryChanged();
}

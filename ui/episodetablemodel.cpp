#include "episodetablemodel.h"

#include "sync/errorhint.h"
#include "sync/progresstext.h"
#include "sync/syncengine.h"
#include "uilogging.h"

#include <QColor>
#include <QIcon>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QSet>

#include <algorithm>

namespace {

bool sameProgress(const std::optional<TransferProgress> &a, const std::optional<TransferProgress> &b)
{
    if (a.has_value() != b.has_value())
        return false;
    if (!a)
        return true;
    return a->committedBytes == b->committedBytes && a->inflightBytes == b->inflightBytes
        && a->totalBytes == b->totalBytes && a->partsCompleted == b->partsCompleted && a->partsTotal == b->partsTotal
        && a->filesCompleted == b->filesCompleted && a->filesTotal == b->filesTotal
        && a->bytesPerSecond == b->bytesPerSecond && a->etaSeconds == b->etaSeconds && a->stage == b->stage;
}

bool sameStatus(const EpisodeStatus &a, const EpisodeStatus &b)
{
    return a.record == b.record && a.stage == b.stage && sameProgress(a.progress, b.progress);
}

QColor stateColor(EpisodeState state)
{
    switch (state) {
    case EpisodeState::Scanning:
    case EpisodeState::Pending:
        return QColor(0x9a, 0xa5, 0xb1);
    case EpisodeState::InProgress:
        return QColor(0x2f, 0x6d, 0xb5);
    case EpisodeState::Completed:
        return QColor(0x2e, 0x9b, 0x57);
    case EpisodeState::Failed:
        return QColor(0xc0, 0x39, 0x2b);
    case EpisodeState::Cancelled:
        return QColor(0x6c, 0x75, 0x7d);
    }
    return {};
}

// A coloured dot per state, drawn once (high-DPI: drawn at twice the size).
QIcon stateIcon(EpisodeState state)
{
    static QHash<int, QIcon> icons;
    auto it = icons.find(int(state));
    if (it == icons.end()) {
        QPixmap pixmap(24, 24);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(stateColor(state));
        painter.drawEllipse(QRectF(5, 5, 14, 14));
        painter.end();
        pixmap.setDevicePixelRatio(2);
        it = icons.insert(int(state), QIcon(pixmap));
    }
    return *it;
}

double progressFraction(const EpisodeStatus &status)
{
    const EpisodeTableModel::Progress progress = EpisodeTableModel::progressOf(status);
    if (progress.total <= 0)
        return progress.state == EpisodeState::Completed ? 1.0 : 0.0;
    return double(progress.committed) / double(progress.total);
}

} // namespace

EpisodeTableModel::EpisodeTableModel(SyncEngine &engine, QObject *parent)
    : QAbstractTableModel(parent)
    , m_engine(engine)
{
    m_rows = m_engine.allStatuses();
    rebuildIndex();
    updateSummary();
    connect(&m_engine, &SyncEngine::episodesChanged, this, &EpisodeTableModel::applyChanges);
    // The countdown to a retry is shown in the status cell: refresh those cells once a second.
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &EpisodeTableModel::refreshCountdowns);
    m_countdown.start();
}

void EpisodeTableModel::refreshCountdowns()
{
    for (int row = 0; row < m_rows.size(); ++row) {
        const EpisodeRecord &record = m_rows.at(row).record;
        if (record.state == EpisodeState::Pending && record.nextRetryAt.isValid())
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

QString EpisodeTableModel::statusText(const EpisodeStatus &status)
{
    QString text = ProgressText::stateAndStage(status);
    if (status.record.state == EpisodeState::Pending && status.record.nextRetryAt.isValid())
        text += QLatin1Char(' ') + ProgressText::countdown(status.record.nextRetryAt, QDateTime::currentDateTimeUtc());
    return text;
}

EpisodeTableModel::Progress EpisodeTableModel::progressOf(const EpisodeStatus &status)
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

    progress.text = ProgressText::summary(status); // every state: what is verified is never hidden
    return progress;
}

QVariant EpisodeTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EpisodeStatus &status = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(status, column);
    case Qt::ToolTipRole:
        return toolTipData(status, column);
    case Qt::TextAlignmentRole:
        if (column == IdColumn || column == SizeColumn || column == SpeedColumn || column == EtaColumn
            || column == AttemptsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::DecorationRole:
        return column == StatusColumn ? stateIcon(status.record.state) : QVariant();
    case Qt::ForegroundRole:
        if (status.record.state == EpisodeState::Failed && (column == StatusColumn || column == LastErrorColumn))
            return QColor(0xc0, 0x39, 0x2b);
        return {};
    case SortRole:
        return sortData(status, column);
    case ProgressRole:
        return QVariant::fromValue(progressOf(status));
    case StateRole:
        return int(status.record.state);
    case IdRole:
        return status.record.id;
    default:
        return {};
    }
}

QVariant EpisodeTableModel::displayData(const EpisodeStatus &status, int column) const
{
    const EpisodeRecord &record = status.record;
    const bool running = record.state == EpisodeState::InProgress && status.progress;
    switch (column) {
    case IdColumn:
        return record.id;
    case NameColumn:
        return record.name;
    case SizeColumn:
        return ProgressText::size(record.totalBytes);
    case StatusColumn:
        return statusText(status);
    case ProgressColumn:
        return progressOf(status).text;
    case SpeedColumn:
        return running ? ProgressText::speed(status.progress->bytesPerSecond) : QString();
    case EtaColumn:
        if (!running)
            return QString();
        return status.progress->etaSeconds < 0 ? tr("…") : ProgressText::duration(status.progress->etaSeconds);
    case AttemptsColumn:
        return record.attemptsMade;
    case LastErrorColumn:
        //: last error cell: code, then the storage's message
        return record.hasError() ? tr("%1: %2").arg(record.lastErrorCode, record.lastErrorMessage) : QString();
    case SyncedAtColumn:
        return record.syncedAt.isValid() ? QLocale().toString(record.syncedAt.toLocalTime(), QLocale::ShortFormat)
                                         : QString();
    default:
        return {};
    }
}

QVariant EpisodeTableModel::sortData(const EpisodeStatus &status, int column) const
{
    const EpisodeRecord &record = status.record;
    switch (column) {
    case IdColumn:
        return record.id;
    case NameColumn:
        return record.name.toCaseFolded();
    case SizeColumn:
        return record.totalBytes;
    case StatusColumn:
        return int(record.state);
    case ProgressColumn:
        return progressFraction(status);
    case SpeedColumn:
        return status.progress ? status.progress->bytesPerSecond : 0.0;
    case EtaColumn:
        return status.progress ? status.progress->etaSeconds : qint64(-1);
    case AttemptsColumn:
        return record.attemptsMade;
    case LastErrorColumn:
        return record.lastErrorCode.toCaseFolded();
    case SyncedAtColumn:
        return record.syncedAt.isValid() ? record.syncedAt.toMSecsSinceEpoch() : qint64(0);
    default:
        return {};
    }
}

QVariant EpisodeTableModel::toolTipData(const EpisodeStatus &status, int column) const
{
    const EpisodeRecord &record = status.record;
    if (record.hasError() && (column == StatusColumn || column == ProgressColumn || column == LastErrorColumn))
        //: tooltip of an episode with an error: code, its message, then what to do
        return tr("%1: %2\n\n%3")
            .arg(record.lastErrorCode, record.lastErrorMessage, ErrorHint::forCode(record.lastErrorCode));
    if (column == NameColumn)
        return record.localPath;
    if (column == ProgressColumn && status.progress)
        //: tooltip of the progress cell: "3 of 10 parts, 1 of 2 files" (the second count carries the plural)
        return tr("%1 of %2, %3 of %4")
            .arg(status.progress->partsCompleted)
            .arg(ProgressText::count(status.progress->partsTotal, ProgressText::Noun::Part))
            .arg(status.progress->filesCompleted)
            .arg(ProgressText::count(status.progress->filesTotal, ProgressText::Noun::File));
    return {};
}

QVariant EpisodeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
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

void EpisodeTableModel::applyChanges(const QList<qint64> &ids)
{
    const QList<EpisodeStatus> current = m_engine.statuses(ids);
    QSet<qint64> present;
    QList<EpisodeStatus> added;
    QList<int> changed;
    for (const EpisodeStatus &status : current) {
        present.insert(status.record.id);
        const int row = rowOf(status.record.id);
        if (row < 0) {
            added.append(status);
        } else if (!sameStatus(m_rows.at(row), status)) {
            m_rows[row] = status;
            changed.append(row);
        }
    }
    QList<int> removed;
    for (const qint64 id : ids) {
        if (!present.contains(id) && rowOf(id) >= 0)
            removed.append(rowOf(id));
    }
    emitChanged(changed); // before removals shift the rows
    removeRows(removed);
    appendRows(added);
    if (!changed.isEmpty() || !removed.isEmpty() || !added.isEmpty())
        updateSummary();
}

void EpisodeTableModel::emitChanged(const QList<int> &rowsIn)
{
    if (rowsIn.isEmpty())
        return;
    QList<int> rows = rowsIn;
    std::sort(rows.begin(), rows.end());
    const int last = ColumnCount - 1;
    if (rows.size() * 2 > m_rows.size()) {
        Q_EMIT dataChanged(index(rows.first(), 0), index(rows.last(), last));
        return;
    }
    int start = rows.first();
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i < rows.size() && rows.at(i) == rows.at(i - 1) + 1)
            continue;
        Q_EMIT dataChanged(index(start, 0), index(rows.at(i - 1), last));
        if (i < rows.size())
            start = rows.at(i);
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
        m_rows.append(status);
    }
    endInsertRows();
}

void EpisodeTableModel::rebuildIndex()
{
    m_rowById.clear();
    m_rowById.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowById.insert(m_rows.at(row).record.id, row);
}

void EpisodeTableModel::updateSummary()
{
    Summary summary;
    summary.total = int(m_rows.size());
    for (const EpisodeStatus &status : std::as_const(m_rows)) {
        ++summary.counts[size_t(status.record.state)];
        if (status.progress)
            summary.bytesPerSecond += status.progress->bytesPerSecond;
    }
    m_summary = summary;
    qCDebug(lcUi) << "episodes:" << summary.total << "throughput:" << summary.bytesPerSecond;
    Q_EMIT summaryChanged();
}

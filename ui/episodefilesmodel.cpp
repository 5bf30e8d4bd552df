#include "episodefilesmodel.h"

#include "sync/objectkeys.h"
#include "sync/progresstext.h"

#include <algorithm>

EpisodeFilesModel::EpisodeFilesModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

qint64 EpisodeFilesModel::verifiedOf(const EpisodeFileRecord &file)
{
    if (file.isCompleted())
        return file.size;
    qint64 bytes = 0;
    for (const CompletedPart &part : file.parts)
        bytes += part.size;
    return std::min(bytes, file.size);
}

EpisodeFilesModel::FileState EpisodeFilesModel::stateOf(const EpisodeFileRecord &file)
{
    if (file.isCompleted())
        return FileState::Completed;
    if (file.uploadId.isEmpty())
        return FileState::Waiting;
    return verifiedOf(file) >= file.size ? FileState::Verified : FileState::Uploading;
}

QString EpisodeFilesModel::stateText(const EpisodeFileRecord &file)
{
    switch (stateOf(file)) {
    case FileState::Waiting:
        return tr("waiting");
    case FileState::Uploading:
        return tr("uploading");
    case FileState::Verified:
        return tr("verified");
    case FileState::Completed:
        return file.etagChecked ? tr("completed") : tr("completed · etag not checked");
    }
    return {};
}

QList<EpisodeFilesModel::Row> EpisodeFilesModel::rowsFor(
    const QList<EpisodeFileRecord> &files, const QString &episodePrefix, qint64 committedCap)
{
    QList<Row> rows;
    rows.reserve(files.size());
    qint64 shown = 0;
    for (const EpisodeFileRecord &file : files) {
        Row row{file, stateOf(file), verifiedOf(file), ObjectKeys::objectKey(episodePrefix, file.relativePath)};
        shown += row.verified;
        rows.append(row);
    }
    if (committedCap < 0 || shown <= committedCap)
        return rows;
    // The catalog is ahead of the status: files still open give up their newest bytes first, from the last; only
    // then (the status has not even counted a finished file yet) completed ones.
    qint64 surplus = shown - committedCap;
    const auto giveUp = [&surplus](Row &row) {
        const qint64 taken = std::min(surplus, row.verified);
        row.verified -= taken;
        surplus -= taken;
    };
    for (auto it = rows.rbegin(); it != rows.rend() && surplus > 0; ++it) {
        if (it->state != FileState::Completed)
            giveUp(*it);
    }
    for (auto it = rows.rbegin(); it != rows.rend() && surplus > 0; ++it)
        giveUp(*it);
    return rows;
}

void EpisodeFilesModel::setFiles(
    const QList<EpisodeFileRecord> &files, const QString &episodePrefix, qint64 committedCap)
{
    QList<Row> rows = rowsFor(files, episodePrefix, committedCap);
    const bool samePaths = std::equal(rows.cbegin(), rows.cend(), m_rows.cbegin(), m_rows.cend(),
        [](const Row &a, const Row &b) { return a.file.relativePath == b.file.relativePath; });
    if (!samePaths) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    m_rows = std::move(rows);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void EpisodeFilesModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int EpisodeFilesModel::rowOf(const QString &relativePath) const
{
    const auto it = std::find_if(m_rows.cbegin(), m_rows.cend(),
        [&relativePath](const Row &row) { return row.file.relativePath == relativePath; });
    return it == m_rows.cend() ? -1 : int(it - m_rows.cbegin());
}

int EpisodeFilesModel::resumableUploads() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(),
        [](const Row &row) { return !row.file.isCompleted() && !row.file.uploadId.isEmpty(); }));
}

int EpisodeFilesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EpisodeFilesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EpisodeFilesModel::displayData(const Row &row, int column) const
{
    switch (Column(column)) {
    case PathColumn:
        return row.file.relativePath;
    case SizeColumn:
        return ProgressText::size(row.file.size);
    case StateColumn:
        return stateText(row.file);
    case ProgressColumn:
        return tr("%1 % · %2")
            .arg(ProgressText::percent(row.verified, row.file.size, row.state == FileState::Completed))
            .arg(ProgressText::amount(row.verified, row.file.size));
    case ObjectKeyColumn:
        return row.objectKey;
    case UploadIdColumn:
        return row.state == FileState::Completed ? QString() : row.file.uploadId;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant EpisodeFilesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == StateColumn && row.state == FileState::Completed && !row.file.etagChecked)
            return tr("Every part was checked against its MD5; the server gave no ETag the whole object could be "
                      "checked with.");
        if (index.column() == ProgressColumn)
            return tr("Verified bytes only: parts the storage acknowledged and the console checked.");
        return displayData(row, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ProgressRole: {
        if (index.column() != ProgressColumn)
            return {};
        EpisodeTableModel::Progress progress;
        progress.committed = row.verified;
        progress.total = row.file.size;
        // Not EpisodeState::Completed: the episode table draws that in the state's colour; a file's bar keeps the
        // palette's highlight whatever its state.
        progress.state = EpisodeState::InProgress;
        progress.text = displayData(row, ProgressColumn).toString();
        return QVariant::fromValue(progress);
    }
    case VerifiedRole:
        return row.verified;
    case ObjectKeyRole:
        return row.objectKey;
    case FileStateRole:
        return int(row.state);
    default:
        return {};
    }
}

QVariant EpisodeFilesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case PathColumn:
        return tr("File");
    case SizeColumn:
        return tr("Size");
    case StateColumn:
        return tr("State");
    case ProgressColumn:
        return tr("Verified");
    case ObjectKeyColumn:
        return tr("Object key");
    case UploadIdColumn:
        return tr("Upload id");
    case ColumnCount:
        break;
    }
    return {};
}

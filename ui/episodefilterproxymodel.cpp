#include "episodefilterproxymodel.h"

#include "episodetablemodel.h"

EpisodeFilterProxyModel::EpisodeFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(EpisodeTableModel::SortRole); // what lessThan compares when the source is another model
    setDynamicSortFilter(true);
}

void EpisodeFilterProxyModel::setSourceModel(QAbstractItemModel *model)
{
    m_episodes = qobject_cast<const EpisodeTableModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void EpisodeFilterProxyModel::setStateFilter(std::optional<EpisodeState> state)
{
    if (m_state == state)
        return;
    m_state = state;
    invalidateRowsFilter();
}

void EpisodeFilterProxyModel::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (m_search == trimmed)
        return;
    m_search = trimmed;
    m_foldedSearch = trimmed.toCaseFolded();
    bool isNumber = false;
    const qint64 id = trimmed.toLongLong(&isNumber);
    m_searchId = isNumber && QString::number(id) == trimmed ? id : -1; // "007" is not episode 7
    invalidateRowsFilter();
}

bool EpisodeFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    if (m_state) {
        const EpisodeState state = m_episodes
            ? m_episodes->statusAt(sourceRow).record.state
            : EpisodeState(sourceModel()->index(sourceRow, 0).data(EpisodeTableModel::StateRole).toInt());
        if (state != *m_state)
            return false;
    }
    return m_search.isEmpty() || matchesSearch(sourceRow);
}

bool EpisodeFilterProxyModel::matchesSearch(int sourceRow) const
{
    if (!m_episodes)
        return true;
    const EpisodeTableModel::Row &row = m_episodes->rowAt(sourceRow);
    return row.status.record.id == m_searchId || row.searchKey.contains(m_foldedSearch);
}

bool EpisodeFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_episodes || left.column() != right.column())
        return QSortFilterProxyModel::lessThan(left, right);
    return m_episodes->sortsBefore(left.row(), right.row(), left.column());
}

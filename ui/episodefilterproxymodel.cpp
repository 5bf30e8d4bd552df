#include "episodefilterproxymodel.h"

#include "episodetablemodel.h"

EpisodeFilterProxyModel::EpisodeFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(EpisodeTableModel::SortRole);
    setDynamicSortFilter(true);
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
    invalidateRowsFilter();
}

bool EpisodeFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    if (m_state) {
        const QModelIndex index = sourceModel()->index(sourceRow, 0);
        if (index.data(EpisodeTableModel::StateRole).toInt() != int(*m_state))
            return false;
    }
    return m_search.isEmpty() || matchesSearch(sourceRow);
}

bool EpisodeFilterProxyModel::matchesSearch(int sourceRow) const
{
    const auto *model = qobject_cast<const EpisodeTableModel *>(sourceModel());
    if (!model)
        return true;
    const EpisodeRecord &record = model->statusAt(sourceRow).record;
    return record.name.contains(m_search, Qt::CaseInsensitive) || QString::number(record.id) == m_search
        || record.localPath.contains(m_search, Qt::CaseInsensitive)
        || record.lastErrorCode.contains(m_search, Qt::CaseInsensitive)
        || record.lastErrorMessage.contains(m_search, Qt::CaseInsensitive);
}

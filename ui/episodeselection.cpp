#include "episodeselection.h"

#include "episodefilterproxymodel.h"
#include "episodetablemodel.h"

#include <QTableView>

EpisodeSelection::EpisodeSelection(
    const QTableView *view, const EpisodeFilterProxyModel *proxy, const EpisodeTableModel *model)
    : m_view(view)
    , m_proxy(proxy)
    , m_model(model)
{ }

QList<qint64> EpisodeSelection::ids() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids.append(index.data(EpisodeTableModel::IdRole).toLongLong());
    return ids;
}

QList<EpisodeRecord> EpisodeSelection::records() const
{
    QList<EpisodeRecord> records;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        const int row = m_proxy->mapToSource(index).row();
        if (row >= 0)
            records.append(m_model->statusAt(row).record);
    }
    return records;
}

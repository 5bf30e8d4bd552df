#pragma once

#include "catalog/episoderecord.h"

#include <QList>

class EpisodeFilterProxyModel;
class EpisodeTableModel;
class QTableView;

// The episodes selected in the table, as the actions need them: ids, and the table's records (its last snapshot of
// the engine, no I/O). A view on the table, cheap to copy; the table and its models must outlive it.
class EpisodeSelection
{
public:
    EpisodeSelection(const QTableView *view, const EpisodeFilterProxyModel *proxy, const EpisodeTableModel *model);

    [[nodiscard]] QList<qint64> ids() const;
    [[nodiscard]] QList<EpisodeRecord> records() const;

private:
    const QTableView *m_view;
    const EpisodeFilterProxyModel *m_proxy;
    const EpisodeTableModel *m_model;
};

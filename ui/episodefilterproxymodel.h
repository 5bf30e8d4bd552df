#pragma once

#include "catalog/episodestate.h"

#include <QSortFilterProxyModel>

#include <optional>

class EpisodeTableModel;

// Sorting (sizes and progress numerically) and filtering by status and by a search text (name, id, local path or
// error). Both read the keys EpisodeTableModel computed when each episode changed (EpisodeTableModel::Row): no
// QVariant, no formatting and no case folding per comparison, so sorting or filtering 10,000 rows takes a few ms.
// Dynamic: rows follow live updates without resetting the selection (QSortFilterProxyModel keeps persistent
// indexes across its layout changes), and a live update re-sorts a row only when the model reports its sort
// column changed (see EpisodeTableModel), never the whole table.
class EpisodeFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit EpisodeFilterProxyModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    std::optional<EpisodeState> stateFilter() const { return m_state; }
    void setStateFilter(std::optional<EpisodeState> state);
    QString searchText() const { return m_search; }
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    bool matchesSearch(int sourceRow) const;

    const EpisodeTableModel *m_episodes = nullptr; // the source, when it is the episode table (always, but tests)
    std::optional<EpisodeState> m_state;
    QString m_search;
    QString m_foldedSearch;
    qint64 m_searchId = -1; // the search text as an episode id, when it is one
};

#pragma once

#include "catalog/episodestate.h"

#include <QSortFilterProxyModel>

#include <optional>

// Sorting (by EpisodeTableModel::SortRole, so sizes and progress sort numerically) and filtering by status and by
// a search text (name, id, local path or error). Dynamic: rows follow live updates without resetting the
// selection (QSortFilterProxyModel keeps persistent indexes across its layout changes).
class EpisodeFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit EpisodeFilterProxyModel(QObject *parent = nullptr);

    std::optional<EpisodeState> stateFilter() const { return m_state; }
    void setStateFilter(std::optional<EpisodeState> state);
    QString searchText() const { return m_search; }
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool matchesSearch(int sourceRow) const;

    std::optional<EpisodeState> m_state;
    QString m_search;
};

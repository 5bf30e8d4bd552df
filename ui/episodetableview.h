#pragma once

#include <QTableView>

// The episode table's view: rows are what operators move between and act on, so Home/End go to the first/last row
// (Ctrl+Home/End too, selecting it, where Qt's extended selection would only move the focus), the columns start at
// widths measured from what they show so the default set fits a 1280 px window without a horizontal scroll bar,
// and the header's context menu chooses the columns (MainWindow saves widths, order and hidden columns with the
// header's state).
class EpisodeTableView : public QTableView
{
    Q_OBJECT

public:
    explicit EpisodeTableView(QWidget *parent = nullptr);

    // Widths from the font (sample texts as wide as each column's longest usual value, and its header) and the
    // default visual order, with the last error last and stretching to the edge. For a model of
    // EpisodeTableModel's columns.
    void applyDefaultColumns();
    // The header's "columns" menu: one checkable action per column (the name cannot be hidden).
    QMenu *createColumnsMenu(QWidget *parent);

protected:
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    QItemSelectionModel::SelectionFlags selectionCommand(
        const QModelIndex &index, const QEvent *event = nullptr) const override;

private:
    int measuredWidth(int column) const;
};

#pragma once

#include <QStyledItemDelegate>

// Paints EpisodeTableModel's progress cell as a real progress bar (QStyleOptionProgressBar): the committed bytes
// solid, the in-flight bytes as a lighter bar behind them, the text of the model on top ("42 % · 1.3 / 3.1 GiB").
// Failed rows are drawn in red with their status text, cancelled ones greyed out.
class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

#include "progressdelegate.h"

#include "episodetablemodel.h"
#include "statecolors.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

#include <algorithm>

namespace {

// The bar in the state's colour for the palette in use (readable on a dark one too); a running or pending episode
// keeps the style's highlight, as any progress bar.
QColor barColor(EpisodeState state, const QPalette &palette)
{
    switch (state) {
    case EpisodeState::Completed:
    case EpisodeState::Failed:
        return StateColors::readableOn(
            StateColors::forState(state, palette), palette.color(QPalette::Base), StateColors::kShapeContrast);
    case EpisodeState::Cancelled:
        return palette.color(QPalette::Disabled, QPalette::Text);
    default:
        return palette.color(QPalette::Highlight);
    }
}

} // namespace

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    using Progress = EpisodeTableModel::Progress;
    const QVariant value = index.data(EpisodeTableModel::ProgressRole);
    if (!value.canConvert<Progress>()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // Everything drawn was computed by the model when the episode changed: nothing is formatted here.
    const auto progress = value.value<Progress>();
    QStyle *style = option.widget ? option.widget->style() : QApplication::style();

    // Background and selection as for any cell, without its text.
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    cell.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, option.widget);

    QStyleOptionProgressBar bar;
    bar.initFrom(option.widget);
    bar.rect = option.rect.adjusted(3, 3, -3, -3);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.minimum = 0;
    bar.maximum = Progress::kSteps;
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.text = progress.text;
    const int committed = progress.committedSteps();
    const int withInflight = progress.reachedSteps();
    const QColor color = barColor(progress.state, option.palette);

    painter->save();
    style->drawControl(QStyle::CE_ProgressBarGroove, &bar, painter, option.widget);
    if (withInflight > committed) {
        QColor light = color;
        light.setAlpha(90);
        bar.palette.setColor(QPalette::Highlight, light);
        bar.progress = withInflight;
        style->drawControl(QStyle::CE_ProgressBarContents, &bar, painter, option.widget);
    }
    if (committed > 0) {
        bar.palette.setColor(QPalette::Highlight, color);
        bar.progress = committed;
        style->drawControl(QStyle::CE_ProgressBarContents, &bar, painter, option.widget);
    }
    bar.progress = committed;
    if (progress.state == EpisodeState::Failed)
        bar.palette.setColor(QPalette::Text, color);
    style->drawControl(QStyle::CE_ProgressBarLabel, &bar, painter, option.widget);
    painter->restore();
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width() + 24, 180));
    return size;
}

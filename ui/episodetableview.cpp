#include "episodetableview.h"

#include "episodetablemodel.h"
#include "sync/progresstext.h"

#include <QDateTime>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>

#include <algorithm>

namespace {

constexpr int kCellPadding = 18; // the style's cell margins and a little air
constexpr int kSortIndicator = 16;
constexpr int kMinNameWidth = 150;
constexpr int kMinProgressWidth = 170; // "99.9 % of 99.9 GiB" in the bar

} // namespace

EpisodeTableView::EpisodeTableView(QWidget *parent)
    : QTableView(parent)
{
    horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(horizontalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint &position) {
        QMenu *menu = createColumnsMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(horizontalHeader()->viewport()->mapToGlobal(position));
    });
}

int EpisodeTableView::measuredWidth(int column) const
{
    const QFontMetrics metrics = fontMetrics();
    const QFontMetrics headerMetrics = horizontalHeader()->fontMetrics();
    const auto text = [&](const QString &sample) { return metrics.horizontalAdvance(sample); };
    int content = 0;
    switch (column) {
    case EpisodeTableModel::IdColumn:
        content = text(QStringLiteral("99999"));
        break;
    case EpisodeTableModel::NameColumn:
        content = std::max(kMinNameWidth, text(QStringLiteral("episode_2026-12-04_0001")));
        break;
    case EpisodeTableModel::SizeColumn:
        content = text(ProgressText::size(qint64(999) * 1024 * 1024 * 1024));
        break;
    case EpisodeTableModel::StatusColumn:
        // The usual texts of a running or paused row ("in_progress · uploading"); a retry's countdown may be cut
        // (its tooltip and the details pane show it whole).
        content = iconSize().width() + 8
            + std::max(text(EpisodeTableModel::stateText(EpisodeState::InProgress) + QStringLiteral(" · uploading")),
                text(EpisodeTableModel::stateText(EpisodeState::Pending) + QStringLiteral(" · paused")));
        break;
    case EpisodeTableModel::ProgressColumn:
        content = kMinProgressWidth;
        break;
    case EpisodeTableModel::SpeedColumn:
        content = text(ProgressText::speed(999.0 * 1024 * 1024));
        break;
    case EpisodeTableModel::EtaColumn:
        content = text(QStringLiteral("99 h 59 min"));
        break;
    case EpisodeTableModel::AttemptsColumn:
        content = text(QStringLiteral("99"));
        break;
    case EpisodeTableModel::SyncedAtColumn:
        content = text(QLocale().toString(QDateTime(QDate(2026, 12, 28), QTime(23, 59)), QLocale::ShortFormat));
        break;
    default:
        content = text(QStringLiteral("NoSuchUpload: the upload"));
        break;
    }
    const int header
        = headerMetrics.horizontalAdvance(model()->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString())
        + kSortIndicator;
    return std::max(content, header) + kCellPadding;
}

void EpisodeTableView::applyDefaultColumns()
{
    QHeaderView *header = horizontalHeader();
    for (int column = 0; column < model()->columnCount(); ++column) {
        header->showSection(column);
        header->resizeSection(column, measuredWidth(column));
    }
    // The last error takes what is left: it is the longest text and the one cut with the least loss.
    header->moveSection(header->visualIndex(EpisodeTableModel::LastErrorColumn), model()->columnCount() - 1);
    header->setStretchLastSection(true);
}

QMenu *EpisodeTableView::createColumnsMenu(QWidget *parent)
{
    auto *menu = new QMenu(tr("Columns"), parent);
    menu->setObjectName(QStringLiteral("columnsMenu"));
    QHeaderView *header = horizontalHeader();
    for (int visual = 0; visual < header->count(); ++visual) {
        const int column = header->logicalIndex(visual);
        QAction *action = menu->addAction(model()->headerData(column, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(column));
        action->setEnabled(column != EpisodeTableModel::NameColumn); // a row must still say which episode it is
        connect(action, &QAction::toggled, header,
            [header, column](bool shown) { header->setSectionHidden(column, !shown); });
    }
    menu->addSeparator();
    menu->addAction(tr("Reset columns"), this, &EpisodeTableView::applyDefaultColumns);
    return menu;
}

QModelIndex EpisodeTableView::moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers)
{
    if ((cursorAction == MoveHome || cursorAction == MoveEnd) && model() && model()->rowCount() > 0) {
        const int row = cursorAction == MoveHome ? 0 : model()->rowCount() - 1;
        const int column = currentIndex().isValid() ? currentIndex().column() : horizontalHeader()->logicalIndex(0);
        return model()->index(row, column);
    }
    return QTableView::moveCursor(cursorAction, modifiers);
}

QItemSelectionModel::SelectionFlags EpisodeTableView::selectionCommand(
    const QModelIndex &index, const QEvent *event) const
{
    if (event && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<const QKeyEvent *>(event);
        const bool homeOrEnd = key->key() == Qt::Key_Home || key->key() == Qt::Key_End;
        if (homeOrEnd && key->modifiers() == Qt::ControlModifier)
            return QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows;
    }
    return QTableView::selectionCommand(index, event);
}

#include "episodelogdock.h"

#include "sync/errorhint.h"
#include "sync/progresstext.h"

#include "sync/syncengine.h"
#include "uilogging.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

constexpr int kLogLimit = 50;

QString durationText(const SyncLogEntry &entry)
{
    if (!entry.finishedAt.isValid())
        return EpisodeLogDock::tr("running");
    return ProgressText::duration(entry.startedAt.secsTo(entry.finishedAt));
}

} // namespace

EpisodeLogDock::EpisodeLogDock(SyncEngine &engine, QWidget *parent)
    : QDockWidget(tr("Sync log"), parent)
    , m_engine(engine)
{
    setObjectName(QStringLiteral("syncLogDock"));
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 6, 6, 6);
    m_header = new QLabel(tr("Select an episode to see its sync attempts."), content);
    m_header->setWordWrap(true);
    m_view = new QTreeWidget(content);
    m_view->setObjectName(QStringLiteral("syncLogView"));
    m_view->setRootIsDecorated(false);
    m_view->setAlternatingRowColors(true);
    m_view->setHeaderLabels({tr("Started"), tr("Duration"), tr("Result"), tr("Verified"), tr("Error")});
    m_view->header()->setStretchLastSection(true);
    layout->addWidget(m_header);
    layout->addWidget(m_view);
    setWidget(content);
    connect(&m_engine, &SyncEngine::logAppended, this, [this](qint64 id) {
        if (id == m_id)
            reload();
    });
}

void EpisodeLogDock::showEpisode(qint64 id)
{
    if (id == m_id)
        return;
    m_id = id;
    m_view->clear();
    reload();
}

void EpisodeLogDock::reload()
{
    const quint64 request = ++m_request;
    if (m_id <= 0) {
        m_header->setText(tr("Select an episode to see its sync attempts."));
        return;
    }
    const auto status = m_engine.status(m_id);
    m_header->setText(status ? tr("Episode %1 · %2").arg(m_id).arg(status->record.name) : tr("Episode %1").arg(m_id));
    const qint64 id = m_id;
    QPointer<EpisodeLogDock> self(this);
    m_engine.logs(id, kLogLimit, [self, request, id](const SyncResult<QList<SyncLogEntry>> &result) {
        if (!self || request != self->m_request)
            return;
        if (!result) {
            qCWarning(lcUi) << "cannot read the sync log of episode" << id << result.error().message;
            self->m_header->setText(tr("Cannot read the sync log: %1").arg(result.error().message));
            return;
        }
        self->showEntries(result.value());
        Q_EMIT self->logShown(id);
    });
}

void EpisodeLogDock::showEntries(const QList<SyncLogEntry> &entries)
{
    m_view->clear();
    const QLocale locale;
    for (const SyncLogEntry &entry : entries) {
        const QString error
            = entry.errorCode.isEmpty() ? QString() : tr("%1: %2").arg(entry.errorCode, entry.errorMessage);
        auto *item = new QTreeWidgetItem(m_view,
            {locale.toString(entry.startedAt.toLocalTime(), QLocale::ShortFormat), durationText(entry),
                entry.result.isEmpty() ? tr("running") : entry.result, ProgressText::size(entry.bytesCommitted),
                error});
        item->setToolTip(4,
            entry.errorCode.isEmpty() ? QString()
                                      : error + QStringLiteral("\n\n") + ErrorHint::forCode(entry.errorCode));
    }
    for (int column = 0; column < m_view->columnCount() - 1; ++column)
        m_view->resizeColumnToContents(column);
}

#include "traystatus.h"

#include "sync/progresstext.h"

#include "sync/syncengine.h"

#include <QApplication>
#include <QIcon>
#include <QLocale>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QWidget>

TrayStatus::TrayStatus(SyncEngine &engine, QWidget *window, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_window(window)
{
    m_icon = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/keystone-console.svg")), this);
    m_menu = new QMenu;
    m_menu->addAction(tr("Show Keystone Console"), this, [this] {
        if (m_window) {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        }
    });
    m_menu->addAction(tr("Pause all"), &m_engine, &SyncEngine::pauseAll);
    m_menu->addAction(tr("Resume all"), &m_engine, &SyncEngine::resumeAll);
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit"), qApp, &QApplication::quit);
    m_icon->setContextMenu(m_menu);
    connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger && m_window) {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        }
    });

    connect(&m_engine, &SyncEngine::changed, this, &TrayStatus::onEngineChanged);
    updateToolTip();
    m_icon->show();
}

TrayStatus::~TrayStatus()
{
    delete m_menu;
}

QString TrayStatus::summaryText(const QList<EpisodeStatus> &statuses)
{
    int uploading = 0, pending = 0, failed = 0, completed = 0;
    qint64 done = 0, total = 0;
    double speed = 0;
    for (const EpisodeStatus &status : statuses) {
        switch (status.record.state) {
        case EpisodeState::InProgress:
            ++uploading;
            if (status.progress) {
                done += status.progress->committedBytes;
                total += status.progress->totalBytes;
                speed += status.progress->bytesPerSecond;
            } else {
                total += status.record.totalBytes;
            }
            break;
        case EpisodeState::Scanning: // waiting to upload, like a pending one
        case EpisodeState::Pending:
            ++pending;
            break;
        case EpisodeState::Failed:
            ++failed;
            break;
        case EpisodeState::Completed:
            ++completed;
            break;
        case EpisodeState::Cancelled:
            break;
        }
    }
    QStringList parts;
    if (uploading > 0) {
        parts << tr("%n uploading", nullptr, uploading)
              << tr("%1 % of %2").arg(ProgressText::percent(done, total, false)).arg(ProgressText::size(total))
              << ProgressText::speed(speed);
    } else {
        parts << tr("Idle");
    }
    if (pending > 0)
        parts << tr("%n queued", nullptr, pending);
    if (failed > 0)
        parts << tr("%n failed", nullptr, failed);
    parts << tr("%n completed", nullptr, completed);
    return tr("Keystone Console") + QLatin1Char('\n') + parts.join(QStringLiteral(" · "));
}

QString TrayStatus::toolTip() const
{
    return m_icon->toolTip();
}

void TrayStatus::updateToolTip()
{
    QString text = summaryText(m_engine.allStatuses());
    if (m_engine.isPaused())
        text += QLatin1Char('\n') + tr("Paused");
    m_icon->setToolTip(text);
}

void TrayStatus::onEngineChanged(const EngineChanges &changes)
{
    if (changes.paused || !changes.changedIds.isEmpty())
        updateToolTip();
    for (const EngineChanges::Event &event : changes.events) {
        if (event.kind == EngineChanges::Event::Kind::Status)
            onStatusEvent(event.id, event.state);
    }
}

void TrayStatus::onStatusEvent(qint64 id, EpisodeState state)
{
    if (state == EpisodeState::InProgress) {
        m_batchRunning = true;
        return;
    }
    if (state == EpisodeState::Failed) {
        const std::optional<EpisodeStatus> status = m_engine.status(id);
        // The feed comes in batches: a retry may already have started it again (and cleared the error). The failure
        // is no longer what is true then; its attempt stays in the sync log.
        if (status && status->record.state != EpisodeState::Failed)
            return;
        ++m_batchFailed;
        const QString name = status ? status->record.name : QString::number(id);
        const QString why = status && status->record.hasError()
            ? QStringLiteral("%1: %2").arg(status->record.lastErrorCode, status->record.lastErrorMessage)
            : tr("unknown error");
        notify(tr("Upload failed: %1").arg(name), why, true);
    } else if (state == EpisodeState::Completed) {
        ++m_batchCompleted;
    }
    if (!m_batchRunning || !isTerminal(state))
        return;
    const QList<EpisodeStatus> statuses = m_engine.allStatuses();
    const bool anyRunning = std::any_of(statuses.cbegin(), statuses.cend(),
        [](const EpisodeStatus &status) { return status.record.state == EpisodeState::InProgress; });
    if (anyRunning)
        return;
    m_batchRunning = false;
    if (m_batchCompleted > 0) {
        notify(tr("Uploads finished"),
            m_batchFailed > 0
                ? tr("%1 uploaded, %2 failed.")
                      .arg(ProgressText::count(m_batchCompleted, ProgressText::Noun::Episode))
                      .arg(m_batchFailed)
                : tr("%1 uploaded.").arg(ProgressText::count(m_batchCompleted, ProgressText::Noun::Episode)),
            false);
    }
    m_batchCompleted = 0;
    m_batchFailed = 0;
}

void TrayStatus::notify(const QString &title, const QString &message, bool warning)
{
    m_icon->showMessage(title, message, warning ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
    Q_EMIT notified(title, message);
}

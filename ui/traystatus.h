#pragma once

#include "sync/enginechanges.h"
#include "sync/episodestatus.h"

#include <QObject>

class QMenu;
class QSystemTrayIcon;
class QWidget;
class SyncEngine;

// The console in the system tray: aggregate progress in the tooltip, a notification when an episode fails and
// when every running episode has finished. Create it only when QSystemTrayIcon::isSystemTrayAvailable().
// Clicking the icon shows and raises `window`. The engine and the window must outlive this object.
class TrayStatus : public QObject
{
    Q_OBJECT

public:
    TrayStatus(SyncEngine &engine, QWidget *window, QObject *parent = nullptr);
    ~TrayStatus() override;

    // "3 uploading · 42 % · 12.5 MiB/s" style summary of the snapshot (also used for the tooltip).
    static QString summaryText(const QList<EpisodeStatus> &statuses);
    QString toolTip() const;

Q_SIGNALS:
    void notified(const QString &title, const QString &message); // every notification shown (tests, logs)

private:
    void updateToolTip();
    void onEngineChanged(const EngineChanges &changes);
    void onStatusEvent(qint64 id, EpisodeState state);
    void notify(const QString &title, const QString &message, bool warning);

    SyncEngine &m_engine;
    QWidget *m_window = nullptr;
    QSystemTrayIcon *m_icon = nullptr;
    QMenu *m_menu = nullptr;
    bool m_batchRunning = false; // something went in progress since the last "all done" notification
    int m_batchCompleted = 0;
    int m_batchFailed = 0;
};

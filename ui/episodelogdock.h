#pragma once

#include "catalog/episoderecord.h"

#include <QDockWidget>

class QLabel;
class QTreeWidget;
class SyncEngine;

// The details dock: the selected episode's sync log (one line per attempt: start, duration, result, bytes,
// error). Loaded asynchronously through SyncEngine::logs and refreshed when the engine appends to that log;
// an answer for an episode no longer shown is dropped.
class EpisodeLogDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit EpisodeLogDock(SyncEngine &engine, QWidget *parent = nullptr);

    void showEpisode(qint64 id); // 0: nothing selected
    qint64 episodeId() const { return m_id; }
    QTreeWidget *logView() const { return m_view; }

Q_SIGNALS:
    void logShown(qint64 id); // the entries of this episode are on screen

private:
    void reload();
    void showEntries(const QList<SyncLogEntry> &entries);

    SyncEngine &m_engine;
    QLabel *m_header = nullptr;
    QTreeWidget *m_view = nullptr;
    qint64 m_id = 0;
    quint64 m_request = 0; // answers to older requests are dropped
};

#pragma once

#include "episodecommand.h"
#include "episodeselection.h"

#include <QObject>
#include <QStringList>

class QWidget;
class SyncEngine;

// What the episode actions do: register files and folders, and run an engine command (enqueue, pause, retry, cancel,
// …) on every selected episode it applies to (EpisodeCommands) with one summary for the selection: done, skipped by
// state, failed (CommandTally). Cancelling verified bytes and removing rows ask first. Every engine call is
// asynchronous; what happened goes out as message() (the status bar) and, when something failed, commandFailed().
class EpisodeActions : public QObject
{
    Q_OBJECT

public:
    // window: the parent of the dialogs and questions; engine and selection must outlive this.
    EpisodeActions(SyncEngine &engine, EpisodeSelection selection, QWidget *window);

    // Registers each path (a file or a folder) as an episode named after it.
    void addEpisodes(const QStringList &paths);
    void addFiles();
    void addFolder();

    void syncSelected();
    void pauseSelected();
    void resumeSelected();
    void retrySelected();
    void rescanSelected();
    void moveSelectedToTop(); // priority above every other pending episode
    void cancelSelected(); // asks when verified bytes would be discarded
    void cancelSelectedNow();
    void removeSelected(); // asks
    void removeSelectedNow();
    void openLocalFolders();
    void copyObjectUrls();

Q_SIGNALS:
    void message(const QString &text); // for the status bar
    void commandFailed(const QString &message); // an engine command was refused (also a message())

private:
    template <typename Command>
    void runOnSelected(EpisodeCommand which, Command command, const QString &doneFormat);
    void reportSummary(const QString &summary, bool anyFailed);

    SyncEngine &m_engine;
    EpisodeSelection m_selection;
    QWidget *m_window;
};

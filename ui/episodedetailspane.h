#pragma once

#include "catalog/episoderecord.h"
#include "sync/episodestatus.h"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QTimer>

#include <optional>

struct EngineChanges;
class EpisodeFilesModel;
class QAction;
class QFormLayout;
class QLabel;
class QTableView;
class SyncEngine;

// The details pane (a dock): the selected episode's header (name, state, local path, object prefix, manifest key
// and ETag, uploads kept for a resume), its timings, the countdown to its next retry, and its files with their
// verified progress and object keys. The sync log stays in its own dock (EpisodeLogDock), tabified with this one.
//
// Where the data comes from, and the thread rule: the header and the countdown read the engine's in-memory
// snapshot (SyncEngine::status, no I/O); the files and the attempts (timings) are read from the catalog on the
// engine's thread (SyncEngine::episodeFiles, SyncEngine::logs) and answered here, so this thread never touches disk
// or SQLite. The files are read again when the engine reports the episode changed, at most every kMinReadIntervalMs
// (longer after a slow read, see kReadCostFactor) and one read at a time; answers for an episode no longer shown are
// dropped. The countdown and a running attempt's time tick once a second from a timer, with no engine call.
class EpisodeDetailsPane : public QDockWidget
{
    Q_OBJECT

public:
    static constexpr int kMinReadIntervalMs = 500;
    // A read of a very large episode (100,000 files) takes the engine thread a while: the pane then waits this many
    // times as long as its last read took before the next, so it never keeps the engine thread busy.
    static constexpr int kReadCostFactor = 10;

    // The value labels, by what they show (each is selectable text; objectName "<name>Value").
    enum class Field {
        Name,
        State,
        LocalPath,
        ObjectPrefix,
        ManifestKey,
        ManifestEtag,
        ResumableUploads,
        LastError,
        Queued,
        Started,
        Completed,
        Duration,
        TimeUploading,
        AverageSpeed,
        NextRetry,
    };

    explicit EpisodeDetailsPane(SyncEngine &engine, QWidget *parent = nullptr);
    ~EpisodeDetailsPane() override;

    // The table's selection: one episode is shown, none or several give a short hint.
    void showSelection(const QList<qint64> &ids);
    void showEpisode(qint64 id); // 0: nothing selected
    qint64 episodeId() const { return m_id; }

    QString fieldText(Field field) const;
    QString hintText() const;
    EpisodeFilesModel *filesModel() const { return m_files; }
    QTableView *filesView() const { return m_filesView; }
    QAction *copyObjectKeyAction() const { return m_copyKey; }
    // The object keys of the selected files (the current one if none is selected), one a line, to the clipboard.
    void copyObjectKeys();
    int filesReads() const { return m_reads; } // catalog reads of files so far (the throttle's count)

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void filesShown(qint64 id); // an answer of the catalog about this episode's files is on screen
    void attemptsShown(qint64 id); // its attempts (the timings) are

private:
    QWidget *createContent();
    QLabel *addField(QFormLayout *form, Field field, const QString &name, const QString &label);
    void setField(Field field, const QString &text);
    void onEngineChanged(const EngineChanges &changes);
    void scheduleFilesRead();
    void readFiles();
    void readAttempts();
    void showFiles(const QList<EpisodeFileRecord> &files);
    void showHeader();
    void showTimings();
    void showCountdown();
    void updateTicking();
    void showFilesContextMenu(const QPoint &position);

    SyncEngine &m_engine;
    QLabel *m_hint = nullptr;
    QWidget *m_content = nullptr;
    QHash<int, QLabel *> m_fields; // by int(Field)
    EpisodeFilesModel *m_files = nullptr;
    QTableView *m_filesView = nullptr;
    QAction *m_copyKey = nullptr;

    qint64 m_id = 0;
    std::optional<EpisodeStatus> m_status; // the snapshot shown
    QList<SyncLogEntry> m_attempts; // newest first
    quint64 m_request = 0; // bumped when the episode shown changes: older answers are dropped
    QTimer m_readTimer; // the throttle of the files reads
    QElapsedTimer m_lastRead;
    qint64 m_readIntervalMs = kMinReadIntervalMs; // kMinReadIntervalMs, or more after a slow read
    bool m_readInFlight = false;
    bool m_readWanted = false;
    int m_reads = 0;
    QTimer m_tick; // once a second while a retry is due or an attempt runs
};

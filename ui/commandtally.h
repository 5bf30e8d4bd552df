#pragma once

#include "catalog/episodestate.h"

#include <QCoreApplication>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>

// One command run on a multi-selection, counted: how many it was done for, how many were skipped because the
// command does not apply to their state, and what failed. Each engine answer is counted with done()/failed(); once
// the last has come in, the summary goes to the report callback, one line for the whole selection ("Synced 4
// episodes, skipped 2 completed") instead of one message per row with only the last one seen.
class CommandTally
{
    Q_DECLARE_TR_FUNCTIONS(CommandTally)

public:
    // doneFormat: "Synced %1" (%1 is "4 episodes").
    CommandTally(QString doneFormat, std::function<void(const QString &summary, bool anyFailed)> report);

    void skip(EpisodeState state) { ++m_skipped[state]; }
    void expect(int answers) { m_pending += answers; }
    void done();
    void failed(const QString &message);
    // Nothing was sent (everything skipped, or nothing selected): report now.
    void finishIfIdle();

    [[nodiscard]] QString summary() const;

private:
    void answered();

    QString m_doneFormat;
    std::function<void(const QString &, bool)> m_report;
    int m_pending = 0;
    int m_done = 0;
    QMap<EpisodeState, int> m_skipped;
    QStringList m_failures;
    bool m_reported = false;
};

#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <cstdio>

// The display of `watch`. On a terminal: one bar per episode, the block redrawn in place (ANSI cursor-up and
// erase-line). Anywhere else (a pipe, a log file): one line per change of an episode's state or whole percent,
// never redrawn, so a log stays readable and short.
class ProgressBarPrinter
{
public:
    ProgressBarPrinter(FILE *stream, bool terminal);

    // rows: the watched episodes' statuses with "name" (and "total_bytes" when known), in display order.
    void update(const QList<QJsonObject> &rows);

    static bool isTerminal(FILE *stream);

private:
    void redraw(const QList<QJsonObject> &rows);
    void printChanges(const QList<QJsonObject> &rows);
    static int nameWidth(const QList<QJsonObject> &rows);

    FILE *m_stream;
    bool m_terminal;
    int m_linesDrawn = 0;
    QHash<qint64, QString> m_lastChange; // episode id -> "state percent" last printed (pipe mode)
};

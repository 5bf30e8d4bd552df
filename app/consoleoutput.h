#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <cstdio>

// One line to a terminal stream, flushed at once (progress and errors must show up in order, also in pipes).
inline void printLine(FILE *stream, const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stream);
    std::fflush(stream);
}

// A failure line on stderr, then the exit code that goes with it (a mode's usage errors, in one expression).
inline int printFailure(const QString &line, int exitCode)
{
    printLine(stderr, line);
    return exitCode;
}

// A JSON object as one compact line on stdout (what --json prints: one line a script can read with one read).
inline void printJsonLine(const QJsonObject &object)
{
    printLine(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

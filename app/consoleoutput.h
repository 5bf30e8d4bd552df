#pragma once

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

#include "progressbarprinter.h"

#include "api/apikeys.h"
#include "statusformatter.h"

#include <algorithm>
#include <cmath>

#include <unistd.h>

namespace {

constexpr int kBarWidth = 30;

// What counts as a change worth a new line when not on a terminal.
QString changeKey(const QJsonObject &row)
{
    const QJsonObject progress = row.value(ApiKey::kProgress).toObject();
    return row.value(ApiKey::kStatus).toString() + QLatin1Char(' ')
        + QString::number(int(std::floor(progress.value(ApiKey::kPercent).toDouble())));
}

} // namespace

ProgressBarPrinter::ProgressBarPrinter(FILE *stream, bool terminal)
    : m_stream(stream)
    , m_terminal(terminal)
{ }

bool ProgressBarPrinter::isTerminal(FILE *stream)
{
    return ::isatty(::fileno(stream)) == 1;
}

void ProgressBarPrinter::update(const QList<QJsonObject> &rows)
{
    if (m_terminal)
        redraw(rows);
    else
        printChanges(rows);
    std::fflush(m_stream);
}

void ProgressBarPrinter::redraw(const QList<QJsonObject> &rows)
{
    if (m_linesDrawn > 0)
        std::fprintf(m_stream, "\x1b[%dA", m_linesDrawn); // back to the first line of the block
    const int width = nameWidth(rows);
    for (const QJsonObject &row : rows) {
        const QString line = StatusFormatter::progressLine(row, width, kBarWidth);
        std::fprintf(m_stream, "\r\x1b[2K%s\n", qPrintable(line));
    }
    m_linesDrawn = int(rows.size());
}

void ProgressBarPrinter::printChanges(const QList<QJsonObject> &rows)
{
    const int width = nameWidth(rows);
    for (const QJsonObject &row : rows) {
        const qint64 id = row.value(ApiKey::kEpisodeId).toInteger();
        const QString key = changeKey(row);
        if (m_lastChange.value(id) == key)
            continue;
        m_lastChange.insert(id, key);
        std::fprintf(m_stream, "%s\n", qPrintable(StatusFormatter::progressLine(row, width, kBarWidth)));
    }
}

int ProgressBarPrinter::nameWidth(const QList<QJsonObject> &rows)
{
    qsizetype width = 0;
    for (const QJsonObject &row : rows)
        width = std::max(width, row.value(ApiKey::kName).toString().size());
    return int(std::min<qsizetype>(width, 40));
}

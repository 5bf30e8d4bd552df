#include "commandtally.h"

#include "episodetablemodel.h"
#include "sync/progresstext.h"

CommandTally::CommandTally(QString doneFormat, std::function<void(const QString &, bool)> report)
    : m_doneFormat(std::move(doneFormat))
    , m_report(std::move(report))
{ }

void CommandTally::done()
{
    ++m_done;
    answered();
}

void CommandTally::failed(const QString &message)
{
    m_failures.append(message);
    answered();
}

void CommandTally::answered()
{
    --m_pending;
    finishIfIdle();
}

void CommandTally::finishIfIdle()
{
    if (m_pending > 0 || m_reported)
        return;
    m_reported = true;
    m_report(summary(), !m_failures.isEmpty());
}

QString CommandTally::summary() const
{
    QStringList parts;
    parts.append(m_doneFormat.arg(ProgressText::count(m_done, ProgressText::Noun::Episode)));
    if (!m_skipped.isEmpty()) {
        QStringList skipped;
        for (auto it = m_skipped.cbegin(); it != m_skipped.cend(); ++it)
            //: one group of skipped episodes: "2 completed"
            skipped.append(tr("%1 %2").arg(it.value()).arg(EpisodeTableModel::stateText(it.key())));
        parts.append(tr("skipped %1").arg(skipped.join(QStringLiteral(", "))));
    }
    if (!m_failures.isEmpty())
        parts.append(tr("%n failed: %1", nullptr, int(m_failures.size())).arg(m_failures.join(QStringLiteral("; "))));
    return parts.join(QStringLiteral(", "));
}

#include "loglevel.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QStringList>

#include <cstdio>

namespace {

// Qt may send messages to journald or syslog when stderr is not a terminal; a service's stderr is its log, and
// tests read it, so every message goes to stderr.
void writeToStderr(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString line = qFormatLogMessage(type, context, message);
    std::fprintf(stderr, "%s\n", qPrintable(line));
    std::fflush(stderr);
}

} // namespace

QString LogLevel::filterRules(const QString &level)
{
    static const char *const kLevels[] = {"debug", "info", "warning", "critical"};
    const QString name = level.isEmpty() ? QStringLiteral("warning") : level.toLower();
    const int first = name == QLatin1String("debug") ? 0
        : name == QLatin1String("info")              ? 1
        : name == QLatin1String("warning")           ? 2
        : name == QLatin1String("error")             ? 3
                                                     : -1;
    if (first < 0)
        return {};
    QStringList rules;
    for (int i = 0; i < 4; ++i)
        rules << QStringLiteral("keystone.*.%1=%2")
                     .arg(QLatin1String(kLevels[i]), QLatin1String(i >= first ? "true" : "false"));
    // The operator's journal (one line per state change) is what the default level is for; only "error" silences
    // it. Its progress lines (keystone.journal.progress) follow the level like every other category.
    if (first <= 2)
        rules << QStringLiteral("keystone.journal.info=true");
    return rules.join(QLatin1Char('\n'));
}

AppResult<void> LogLevel::apply(const QString &level)
{
    const QString rules = filterRules(level);
    if (rules.isEmpty())
        return AppError{tr("--log-level must be debug, info, warning or error, not '%1'").arg(level)};
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{category} %{type}: %{message}"));
    qInstallMessageHandler(writeToStderr);
    QLoggingCategory::setFilterRules(rules);
    return {};
}

#include "fixedsettings.h"

void FixedSettings::fix(Field field, Source source, const QString &option)
{
    QList<Origin> &origins = m_fixed[field];
    const Origin origin{source, option};
    if (!origins.contains(origin))
        origins.append(origin);
}

QString FixedSettings::explanation(Field field) const
{
    const auto it = m_fixed.constFind(field);
    return it == m_fixed.constEnd() ? QString() : describe(*it, false);
}

QString FixedSettings::summary() const
{
    QList<Origin> all;
    for (const QList<Origin> &origins : m_fixed) {
        for (const Origin &origin : origins) {
            if (!all.contains(origin))
                all.append(origin);
        }
    }
    return all.isEmpty() ? QString() : describe(all, true);
}

QString FixedSettings::describe(const QList<Origin> &origins, bool plural) const
{
    QStringList commandLine;
    QStringList file;
    for (const Origin &origin : origins)
        (origin.source == Source::CommandLine ? commandLine : file)
            .append(origin.source == Source::CommandLine ? QStringLiteral("--") + origin.option : origin.option);
    const QString onCommandLine = tr("the command line (%1)").arg(commandLine.join(QStringLiteral(", ")));
    const QString inFile = tr("the config file %1 (%2)").arg(m_configFile, file.join(QStringLiteral(", ")));
    if (plural) {
        if (file.isEmpty())
            return tr("Greyed-out values are set by %1; edit the command line to change them.").arg(onCommandLine);
        if (commandLine.isEmpty())
            return tr("Greyed-out values are set by %1; edit that file to change them.").arg(inFile);
        return tr("Greyed-out values are set by %1 and %2; edit those to change them.").arg(onCommandLine, inFile);
    }
    if (file.isEmpty())
        return tr("Set by %1; edit the command line to change it.").arg(onCommandLine);
    if (commandLine.isEmpty())
        return tr("Set by %1; edit that file to change it.").arg(inFile);
    return tr("Set by %1 and %2; edit those to change it.").arg(onCommandLine, inFile);
}

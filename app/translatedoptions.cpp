#include "translatedoptions.h"

#include <QCoreApplication>

QList<QCommandLineOption> translatedOptions(const char *context, QList<QCommandLineOption> options)
{
    for (QCommandLineOption &option : options)
        option.setDescription(QCoreApplication::translate(context, option.description().toUtf8().constData()));
    return options;
}

#pragma once

#include <QCommandLineOption>
#include <QList>

// Options defined as static objects are built before main() installs the translation, so their descriptions are the
// English source texts: this translates them, in their file's translation context, when they are added to a parser.
[[nodiscard]] QList<QCommandLineOption> translatedOptions(const char *context, QList<QCommandLineOption> options);

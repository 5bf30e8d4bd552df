#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

// Installs the translations of the user's language on the running application: ours (keystone_<locale>.qm from the
// translations directory next to the program) and, when ours exists, Qt's own (qtbase_<locale>.qm: the texts of
// standard buttons and dialogs). The language is the one Qt reads from LANGUAGE, LC_ALL, LC_MESSAGES or LANG. English
// is the source language and has no file: nothing is installed and every text stays the source text. Call once,
// after the application object exists (the translators are its children).
class TranslationLoader
{
public:
    // <directory of the executable>/../share/keystone-console/translations: the same place in the build tree
    // (build/bin, build/share/...) and in an installed prefix (/usr/bin, /usr/share/...).
    [[nodiscard]] static QString translationsDirectory();

    // The system's language, as main() installs it. As with gettext, a messages locale of C or POSIX (LC_ALL, else
    // LC_MESSAGES, else LANG) means the source texts even when LANGUAGE names a language: scripts run
    // `LC_ALL=C keystone-console ...` to read what they parse, and desktop sessions set LANGUAGE (Qt alone would
    // follow LANGUAGE).
    static QStringList install();

    // The files installed (full paths), in the order installed; empty when the locale has no translation.
    static QStringList install(const QLocale &locale, const QString &directory = translationsDirectory());
};

#include "translationloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLoggingCategory>
#include <QTranslator>

Q_LOGGING_CATEGORY(lcTranslations, "keystone.app.translations", QtWarningMsg)

namespace {

// QTranslator::load(locale, ...) tries the locale's UI languages from the most to the least specific (zh_Hans_CN,
// zh_CN, zh, ...), so a zh_TW system without its own file still gets nothing wrong and zh_CN finds keystone_zh_CN.
QString installOne(const QLocale &locale, const QString &name, const QString &directory)
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (!translator->load(locale, name, QStringLiteral("_"), directory)) {
        qCDebug(lcTranslations) << "no" << name << "translation for" << locale.name() << "in" << directory;
        delete translator;
        return {};
    }
    QCoreApplication::installTranslator(translator);
    qCDebug(lcTranslations) << "loaded" << translator->filePath();
    return translator->filePath();
}

// The variable that decides the language of messages, as POSIX orders them: "C", "C.UTF-8", "POSIX" name none.
bool messagesInSourceLanguage()
{
    for (const char *name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const QByteArray value = qgetenv(name);
        if (!value.isEmpty())
            return value == "C" || value.startsWith("C.") || value == "POSIX";
    }
    return true; // nothing set: the C locale
}

} // namespace

QString TranslationLoader::translationsDirectory()
{
    return QDir::cleanPath(
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/keystone-console/translations"));
}

QStringList TranslationLoader::install()
{
    if (messagesInSourceLanguage()) {
        qCDebug(lcTranslations) << "messages locale C: no translation loaded";
        return {};
    }
    return install(QLocale::system());
}

QStringList TranslationLoader::install(const QLocale &locale, const QString &directory)
{
    // English is the source language: there is no keystone_en file, so nothing is installed and the texts stay
    // exactly as written (tests and scripts parse them).
    const QString ours = installOne(locale, QStringLiteral("keystone"), directory);
    if (ours.isEmpty())
        return {};
    // Qt's own texts (standard buttons, file dialogs) only with ours: one language in a window, not English texts
    // beside translated buttons.
    const QString qt = installOne(locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return qt.isEmpty() ? QStringList{ours} : QStringList{ours, qt};
}

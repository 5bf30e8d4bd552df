// The user's language: keystone-console run as a process under a Chinese and an English locale (LANG and LC_ALL,
// as a shell sets them), and TranslationLoader in process for Qt's own texts and our plural forms. The machines
// have no generated locales (no `locales` package): Qt reads LANG itself, so none are needed.
#include "consoleprocess.h"
#include "sync/progresstext.h"
#include "translationloader.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

namespace {

// The environment of a shell with this locale: nothing else that names a language (LANGUAGE would win over LANG).
QProcessEnvironment withLocale(const QString &lang, const QString &lcAll = {})
{
    QProcessEnvironment environment = ConsoleProcess::cleanEnvironment();
    for (const char *name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"})
        environment.remove(QLatin1String(name));
    environment.insert(QStringLiteral("LANG"), lang);
    if (!lcAll.isEmpty())
        environment.insert(QStringLiteral("LC_ALL"), lcAll);
    return environment;
}

bool hasHanCharacters(const QString &text)
{
    return std::any_of(
        text.cbegin(), text.cend(), [](QChar c) { return c.unicode() >= 0x4e00 && c.unicode() <= 0x9fff; });
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // In declaration order: the in-process English case runs before a translation is installed.
    void englishInstallsNothing();
    void helpInChinese();
    void helpInEnglish();
    void cliErrorInChinese();
    void cliErrorInEnglish();
    void qtAndOwnTextsInChinese();

private:
    ConsoleProcess::Result console(const QProcessEnvironment &environment, const QStringList &arguments)
    {
        return ConsoleProcess(QStringLiteral(KEYSTONE_CONSOLE_BIN), environment).run(arguments);
    }
};

void TestTranslations::englishInstallsNothing()
{
    QVERIFY(TranslationLoader::install(QLocale(QLocale::English, QLocale::UnitedStates)).isEmpty());
    QVERIFY(TranslationLoader::install(QLocale::c()).isEmpty());
    QDialogButtonBox buttons(QDialogButtonBox::Cancel);
    QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Cancel"));
}

// The first text of `upload --help` is ours (the command's description), the headings Qt's (QCommandLineParser).
void TestTranslations::helpInChinese()
{
    const auto result
        = console(withLocale(QStringLiteral("zh_CN.UTF-8"), QStringLiteral("zh_CN.UTF-8")), {"upload", "--help"});
    QCOMPARE(result.exitCode, 0);
    const QString out = QString::fromUtf8(result.out);
    QVERIFY2(out.contains(QStringLiteral("用经过校验的分片上传，将文件或文件夹中的每个文件上传到 S3 兼容存储。")),
        qPrintable(out));
    // An option described by a static object, translated when the parser takes it (translatedOptions).
    QVERIFY2(out.contains(QStringLiteral("从此 INI 文件读取选项（命令行选项优先）。")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("选项：")), qPrintable(out)); // Qt's "Options:", from qtbase_zh_CN
    QVERIFY2(!out.contains(QStringLiteral("verified multipart uploads")), qPrintable(out));
}

void TestTranslations::helpInEnglish()
{
    const auto result = console(withLocale(QStringLiteral("C")), {"upload", "--help"});
    QCOMPARE(result.exitCode, 0);
    const QString out = QString::fromUtf8(result.out);
    QVERIFY2(out.contains(QStringLiteral("Upload a file, or every file of a folder, to S3-compatible storage with "
                                         "verified multipart uploads.")),
        qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("Options:")), qPrintable(out));
    QVERIFY2(!hasHanCharacters(out), qPrintable(out));
}

// A script verb's usage error: decided before anything is connected, so no server is needed. LANG alone decides.
void TestTranslations::cliErrorInChinese()
{
    QTemporaryDir dataDir;
    const auto result = console(withLocale(QStringLiteral("zh_CN.UTF-8")),
        {"status", "abc", "--data-dir", dataDir.path(), "--listen", "unix:"});
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(QString::fromUtf8(result.err),
        QStringLiteral(
            "keystone-console status：“abc”不是采集片段 ID（应为正整数）（参见：keystone-console status --help）\n"));
}

// Byte for byte what it was before translations existed: scripts and tests parse it. Also what a script gets with
// LC_ALL=C in a desktop session that sets LANGUAGE (gettext's rule: the C locale wins over LANGUAGE).
void TestTranslations::cliErrorInEnglish()
{
    QTemporaryDir dataDir;
    QProcessEnvironment cWithLanguage = withLocale(QStringLiteral("zh_CN.UTF-8"), QStringLiteral("C"));
    cWithLanguage.insert(QStringLiteral("LANGUAGE"), QStringLiteral("zh_CN:en"));
    for (const QProcessEnvironment &environment :
        {withLocale(QStringLiteral("C")), withLocale(QStringLiteral("en_US.UTF-8")), cWithLanguage}) {
        const auto result = console(environment, {"status", "abc", "--data-dir", dataDir.path(), "--listen", "unix:"});
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.err,
            QByteArray(
                "keystone-console status: 'abc' is not an episode id (a positive integer) (see: keystone-console "
                "status --help)\n"));
    }
}

// The loader as main() runs it, from this binary's directory: ours and Qt's files, a plural, a Qt button.
void TestTranslations::qtAndOwnTextsInChinese()
{
    const QStringList loaded = TranslationLoader::install(QLocale(QLocale::Chinese, QLocale::China));
    QCOMPARE(loaded.size(), 2);
    QVERIFY2(loaded.at(0).endsWith(QLatin1String("/share/keystone-console/translations/keystone_zh_CN.qm")),
        qPrintable(loaded.at(0)));
    QVERIFY2(loaded.at(1).endsWith(QLatin1String("/qtbase_zh_CN.qm")), qPrintable(loaded.at(1)));
    QDialogButtonBox buttons(QDialogButtonBox::Cancel);
    QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("取消"));
    QCOMPARE(ProgressText::count(3, ProgressText::Noun::Part), QStringLiteral("3 个分片"));
    QCOMPARE(QCoreApplication::translate("TrayStatus", "%n uploading", nullptr, 2), QStringLiteral("2 个上传中"));
    // The API's state names stay as the API spells them: one vocabulary in the table, the CLI and the API.
    QCOMPARE(ProgressText::stateName(EpisodeState::InProgress), QStringLiteral("in_progress"));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"

// ui-screenshot: renders MainWindow with uploads in every state into a PNG (docs/screenshot.png through
// scripts/screenshot.sh). A real engine uploads sparse episode files to the strict S3 server; stalled parts keep
// two episodes uploading until they are paused mid-way (their bars stay), one queued; one failed by an injected
// AccessDenied, one cancelled, some done.
//   ui-screenshot OUTPUT.png [--dark] [--translations DIR --locale zh_CN] [--details]
// --dark: Fusion with a dark palette; --locale: the console's translation from DIR and Qt's own; --details: the
// selected episode is a paused folder episode (the details pane shows its files), else the failed one (its log).
#include "episodefilterproxymodel.h"
#include "episodetablemodel.h"
#include "mainwindow.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QHeaderView>
#include <QLibraryInfo>
#include <QSettings>
#include <QStyleFactory>
#include <QTableView>
#include <QTranslator>

#include <cstdio>

using namespace UiTest;

namespace {

// A folder episode of sparse files (read as zeros, so nothing big is written locally).
QString makeEpisode(const QTemporaryDir &dir, const QString &name, const QList<std::pair<QString, qint64>> &files)
{
    const QString folder = dir.filePath(QStringLiteral("episodes/") + name);
    for (const auto &[relative, size] : files) {
        const QString path = folder + u'/' + relative;
        QDir().mkpath(QFileInfo(path).path());
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || !file.resize(size))
            return {};
    }
    return folder;
}

QString recording(const QTemporaryDir &dir, const QString &name, qint64 video)
{
    return makeEpisode(dir, name,
        {{QStringLiteral("cam_front.mkv"), video}, {QStringLiteral("cam_wrist.mkv"), video / 2},
            {QStringLiteral("joints.mcap"), video / 9}, {QStringLiteral("meta.json"), 2048}});
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs = 60000)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

int fail(const char *what)
{
    std::fprintf(stderr, "ui-screenshot: %s\n", what);
    return 1;
}

QPalette darkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Highlight, QColor(0x2f, 0x6d, 0xb5));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return dark;
}

// The console's translation for locale from dir, and Qt's own, as the console loads them.
bool loadTranslations(QApplication &app, const QString &dir, const QLocale &locale)
{
    auto *ours = new QTranslator(&app);
    auto *qt = new QTranslator(&app);
    if (!ours->load(locale, QStringLiteral("keystone"), QStringLiteral("_"), dir))
        return false;
    QApplication::installTranslator(ours);
    if (qt->load(
            locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
    QLocale::setDefault(locale);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("KeystoneScreenshot"));
    QApplication::setApplicationName(QStringLiteral("ui-screenshot"));
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("output"), QStringLiteral("the PNG to write"));
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Fusion with a dark palette"));
    const QCommandLineOption details(QStringLiteral("details"), QStringLiteral("select a paused folder episode"));
    const QCommandLineOption translations(
        QStringLiteral("translations"), QStringLiteral("the console's .qm files"), QStringLiteral("dir"));
    const QCommandLineOption locale(QStringLiteral("locale"), QStringLiteral("e.g. zh_CN"), QStringLiteral("name"));
    parser.addOptions({dark, details, translations, locale});
    parser.process(app);
    const QString output = parser.positionalArguments().value(0, QStringLiteral("screenshot.png"));
    if (parser.isSet(dark)) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
    }
    if (parser.isSet(locale) && !loadTranslations(app, parser.value(translations), QLocale(parser.value(locale))))
        return fail("cannot load the translation");
    QTemporaryDir dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));

    S3ServerProcess server(S3ServerProcess::Kind::Strict);
    QString error;
    if (!server.start(&error))
        return fail(qPrintable(error));
    SyncConfig config = engineConfig(server, dir);
    config.keyPrefix = QStringLiteral("station-3/2024-06");
    config.upload.partSize = 16 * kMiB;
    config.maxConcurrentEpisodes = 2;
    std::unique_ptr<SyncEngine> engine = openEngine(config);
    if (!engine)
        return fail("cannot open the engine");
    MainWindow window(*engine);
    window.resize(1280, 720); // the size the layout is made for (issue 19)
    window.show();

    const auto add = [&](const QString &path) {
        window.addEpisodes({path});
        const QString name = QFileInfo(path).fileName();
        waitFor([&] {
            const auto all = engine->allStatuses();
            return std::any_of(all.begin(), all.end(), [&](const auto &s) { return s.record.name == name; });
        });
        const auto all = engine->allStatuses();
        return std::find_if(all.begin(), all.end(), [&](const auto &s) { return s.record.name == name; })->record.id;
    };
    const auto stateOf = [&](qint64 id) { return engine->status(id)->record.state; };

    for (int i = 0; i < 4; ++i) {
        const qint64 id = add(recording(dir, QStringLiteral("ur5e-pick-place-06%1").arg(11 + i), (40 + 13 * i) * kMiB));
        if (!waitFor([&] { return stateOf(id) == EpisodeState::Completed; }))
            return fail("a completed episode did not complete");
    }
    server.injectFault(accessDenied(QStringLiteral("PutObject")));
    const qint64 denied = add(recording(dir, QStringLiteral("franka-drawer-open-0615"), 6 * kMiB));
    if (!waitFor([&] { return stateOf(denied) == EpisodeState::Failed; }))
        return fail("the denied episode did not fail");
    server.clearFaults();

    server.injectFault(stallParts(1500));
    const qint64 cancelled = add(recording(dir, QStringLiteral("aloha-fold-towel-0616"), 300 * kMiB));
    waitFor([&] { return stateOf(cancelled) == EpisodeState::InProgress; });
    engine->cancel(cancelled);
    waitFor([&] { return stateOf(cancelled) == EpisodeState::Cancelled; });

    const qint64 big = add(recording(dir, QStringLiteral("ur5e-bin-sort-0617"), 1400 * kMiB));
    const qint64 medium = add(recording(dir, QStringLiteral("aloha-pour-water-0617"), 700 * kMiB));
    add(recording(dir, QStringLiteral("franka-stack-cups-0618"), 900 * kMiB));
    const auto committed = [&](qint64 id) {
        const auto status = engine->status(id);
        return status && status->progress ? status->progress->committedBytes : 0;
    };
    if (!waitFor([&] { return committed(big) > 400 * kMiB && committed(medium) > 200 * kMiB; }))
        return fail("the uploads did not progress");
    // Paused mid-way: the rows keep their bars (what is verified), with stage "paused" (issue 15).
    engine->pauseAll();
    if (!waitFor([&] { return stateOf(big) == EpisodeState::Pending && stateOf(medium) == EpisodeState::Pending; }))
        return fail("the uploads did not pause");

    QTableView *view = window.tableView();
    const qint64 selected = parser.isSet(details) ? big : denied;
    view->selectRow(window.proxyModel()
                        ->mapFromSource(window.episodeModel()->index(window.episodeModel()->rowOf(selected), 0))
                        .row());
    QTest::qWait(400); // let the log dock's answer and one more progress update arrive before painting
    if (!window.grab().save(output))
        return fail("cannot write the PNG");
    std::printf("ui-screenshot: wrote %s\n", qPrintable(output));
    return 0;
}

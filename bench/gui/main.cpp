// gui-bench: the desktop console under load, for docs/performance.md (run by bench/gui-latency, not a test).
//   gui-bench --seed --data-dir D --files-dir F [--episodes 10000] [--active 50] [--active-mib 512]
//   gui-bench --data-dir D --endpoint URL [--active 50] [--max-episodes N] [--max-parts N] [--seconds 30]
//             [--interval-ms 5] [--bandwidth-limit MiB/s]
// The run opens the real MainWindow over the seeded catalog; the engine starts the active uploads against the
// endpoint (strict-s3-server --discard), at most --max-episodes at once with --max-parts parts in flight (both
// default to --active: one part each). It prints the time to first paint, then, once the uploads are running, the
// event loop's timer lag and the GUI thread's CPU over --seconds, then (uploads still running) the time to sort the
// table by each column and to filter it, and the key echo of the search field, as Markdown.
#include "catalogseeder.h"
#include "episodefilterproxymodel.h"
#include "episodetablemodel.h"
#include "latencyprobe.h"
#include "mainwindow.h"
#include "repaintclock.h"
#include "sync/syncengine.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QFile>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcBench, "keystone.bench")

namespace {

// Milliseconds since this process was exec'd (/proc/self/stat starttime, in clock ticks since boot).
double msSinceExec()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' '); // fields from 3 on
    const double startSeconds = fields.value(19).toDouble() / double(sysconf(_SC_CLK_TCK)); // field 22
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return (double(now.tv_sec) + double(now.tv_nsec) / 1e9 - startSeconds) * 1000;
}

// Notes when a widget has finished its first paint (the event after the paint event, so the painting is done).
class FirstPaint : public QObject
{
public:
    explicit FirstPaint(const QElapsedTimer &sinceMain)
        : m_sinceMain(sinceMain)
    { }
    double sinceMainMs = -1;
    double sinceExecMs = -1;

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, this, [this] {
                sinceMainMs = double(m_sinceMain.nsecsElapsed()) / 1e6;
                sinceExecMs = msSinceExec();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer &m_sinceMain;
    bool m_seen = false;
};

// Bytes acknowledged and verified so far, over every episode still uploading.
qint64 committedBytes(const SyncEngine &engine)
{
    qint64 bytes = 0;
    for (const EpisodeStatus &s : engine.allStatuses())
        bytes += s.progress ? s.progress->committedBytes : 0;
    return bytes;
}

int activeUploads(const SyncEngine &engine)
{
    int n = 0;
    for (const EpisodeStatus &s : engine.allStatuses())
        n += s.record.state == EpisodeState::InProgress ? 1 : 0;
    return n;
}

// Runs the event loop until condition() holds (checked every 50 ms) or timeoutMs passed.
bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (condition() || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    check.start(50);
    if (!condition())
        loop.exec();
    return condition();
}

double percentileMs(std::vector<double> values, double p)
{
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))];
}

// Lets the window settle (paint what the previous step changed) so the next timing starts from a quiet loop.
void settle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Sorting by each column and filtering, on the window's own proxy (the view attached, uploads running): the
// proxy's call (the view's synchronous reaction included) and until the table has repainted.
void printSortAndFilterTimings(MainWindow &window)
{
    EpisodeFilterProxyModel *proxy = window.proxyModel();
    RepaintClock clock(window.tableView()->viewport());
    const auto row = [](const QString &what, const RepaintClock::Timing &t) {
        std::printf("| %s | %.1f / %.1f |\n", qPrintable(what), t.callMs, t.repaintedMs);
    };
    std::printf("\n| sort or filter %d rows (uploads running) | call / repainted, ms |\n|---|---|\n",
        window.episodeModel()->rowCount());
    for (int column = 0; column < EpisodeTableModel::ColumnCount; ++column) {
        proxy->sort(column, Qt::DescendingOrder); // from another order, so the timed sort has work to do
        settle(100);
        const QString name = window.episodeModel()->headerData(column, Qt::Horizontal).toString();
        row(QStringLiteral("sort by %1, ascending").arg(name),
            clock.time([proxy, column] { proxy->sort(column, Qt::AscendingOrder); }));
        settle(100);
    }
    window.tableView()->sortByColumn(EpisodeTableModel::IdColumn, Qt::DescendingOrder); // the console's default
    settle(200);
    const auto filter = [&](const QString &what, const std::function<void()> &action) {
        const RepaintClock::Timing timing = clock.time(action);
        row(QStringLiteral("%1 (%2 rows shown)").arg(what).arg(proxy->rowCount()), timing);
        settle(200);
    };
    filter(QStringLiteral("search \"done-01\""), [proxy] { proxy->setSearchText(QStringLiteral("done-01")); });
    filter(QStringLiteral("clear the search"), [proxy] { proxy->setSearchText({}); });
    filter(QStringLiteral("search \"active\""), [proxy] { proxy->setSearchText(QStringLiteral("active")); });
    filter(QStringLiteral("clear the search"), [proxy] { proxy->setSearchText({}); });
    filter(QStringLiteral("state filter in_progress"), [proxy] { proxy->setStateFilter(EpisodeState::InProgress); });
    filter(QStringLiteral("state filter off"), [proxy] { proxy->setStateFilter(std::nullopt); });
}

// The Qt::Key of a lower-case letter, a digit or '-'.
int keyOf(QChar c)
{
    if (c == u'-')
        return Qt::Key_Minus;
    return c.isDigit() ? Qt::Key_0 + c.digitValue() : Qt::Key_A + (c.unicode() - u'a');
}

// Key echo: from a key press posted to the search field until the field has repainted with it (the proxy filters
// on every change in between). Types "done-01" and "active", each then erased, twice, about 100 ms apart.
void printKeyEcho(MainWindow &window)
{
    auto *field = window.findChild<QLineEdit *>(QStringLiteral("searchField"));
    if (!field) {
        std::printf("\n(no search field found: key echo not measured)\n");
        return;
    }
    // At 1280 px the toolbar may hold the field in its overflow menu (offscreen fonts): widen until it shows.
    for (int width = window.width(); !field->isVisible() && width < 3840; width += 320) {
        window.resize(width + 320, window.height());
        settle(200);
    }
    if (!field->isVisible()) {
        std::printf("\n(the search field never showed: key echo not measured)\n");
        return;
    }
    field->setFocus();
    RepaintClock clock(field);
    std::vector<double> echoMs;
    int lost = 0;
    const auto press = [&](int key, const QString &text) {
        const RepaintClock::Timing t = clock.time(
            [field, key, text] {
                QCoreApplication::postEvent(field, new QKeyEvent(QEvent::KeyPress, key, Qt::NoModifier, text));
                QCoreApplication::postEvent(field, new QKeyEvent(QEvent::KeyRelease, key, Qt::NoModifier, text));
            },
            2000);
        if (t.repaintedMs < 0)
            ++lost;
        else
            echoMs.push_back(t.repaintedMs);
        settle(100);
    };
    for (int round = 0; round < 2; ++round) {
        for (const QString &word : {QStringLiteral("done-01"), QStringLiteral("active")}) {
            for (const QChar c : word)
                press(keyOf(c), QString(c));
            for (qsizetype i = 0; i < word.size(); ++i)
                press(Qt::Key_Backspace, {});
        }
    }
    std::printf("\n| key echo in the search field, %d rows | value |\n|---|---|\n", window.episodeModel()->rowCount());
    std::printf("| window width for the search field to show, px | %d |\n", window.width());
    std::printf("| keys typed / echo not seen within 2 s | %zu / %d |\n", echoMs.size() + size_t(lost), lost);
    std::printf("| key echo p50 / p99 / max, ms | %.1f / %.1f / %.1f |\n", percentileMs(echoMs, 0.5),
        percentileMs(echoMs, 0.99), percentileMs(echoMs, 1.0));
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Keystone"));
    QCoreApplication::setApplicationName(QStringLiteral("keystone-console"));

    QCommandLineParser parser;
    const auto option = [&parser](const char *name, const char *value, const char *fallback) {
        parser.addOption({QString::fromLatin1(name), QString::fromLatin1(name), QString::fromLatin1(value),
            QString::fromLatin1(fallback)});
    };
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Seed the catalog and exit.")});
    option("data-dir", "dir", "");
    option("files-dir", "dir", "");
    option("episodes", "n", "10000");
    option("active", "n", "50");
    option("active-mib", "n", "512");
    option("endpoint", "url", "");
    option("seconds", "s", "30");
    option("interval-ms", "ms", "5");
    option("bandwidth-limit", "MiB/s", "0");
    option("max-episodes", "n", "0"); // 0: --active
    option("max-parts", "n", "0"); // 0: --active
    parser.process(app);
    const auto number = [&parser](const char *name) { return parser.value(QString::fromLatin1(name)).toLongLong(); };
    const QString dataDir = parser.value(QStringLiteral("data-dir"));
    const int active = int(number("active"));
    if (dataDir.isEmpty()) {
        std::fputs("gui-bench: --data-dir is required\n", stderr);
        return 2;
    }

    if (parser.isSet(QStringLiteral("seed"))) {
        QString error;
        CatalogSeeder seeder(dataDir, parser.value(QStringLiteral("files-dir")));
        if (!seeder.seed(int(number("episodes")) - active, active, number("active-mib") * 1024 * 1024, &error)) {
            qCCritical(lcBench) << "seeding failed:" << error;
            return 1;
        }
        std::printf("seeded %lld episodes in %.1f s\n", number("episodes"), double(sinceMain.elapsed()) / 1000);
        return 0;
    }

    SyncConfig config;
    config.dataDir = dataDir;
    config.profile.endpoint = QUrl(parser.value(QStringLiteral("endpoint")));
    config.profile.pathStyle = true;
    config.credentials = {qgetenv("AWS_ACCESS_KEY_ID"), qgetenv("AWS_SECRET_ACCESS_KEY"), {}};
    config.bucket = QStringLiteral("bench");
    config.upload.partSize = 8 * 1024 * 1024;
    // By default one part each: 50 uploads really in flight at once. The console's defaults are 2 × 8.
    config.maxConcurrentEpisodes = number("max-episodes") > 0 ? int(number("max-episodes")) : active;
    config.maxPartsInFlight = number("max-parts") > 0 ? int(number("max-parts")) : active;
    const int running = std::min(active, config.maxConcurrentEpisodes);
    config.bandwidthLimit = number("bandwidth-limit") * 1024 * 1024;
    auto opened = SyncEngine::open(config);
    if (!opened) {
        qCCritical(lcBench) << "cannot open the engine:" << opened.error().message;
        return 1;
    }
    SyncEngine &engine = *opened.value();
    const double engineOpenMs = double(sinceMain.elapsed());

    MainWindow window(engine);
    const int rowsAtShow = window.episodeModel()->rowCount();
    FirstPaint firstPaint(sinceMain);
    window.tableView()->viewport()->installEventFilter(&firstPaint);
    window.resize(1280, 800);
    window.show();
    waitUntil([&] { return firstPaint.sinceMainMs >= 0; }, 60'000);

    // Measure only once the uploads are really running (the scheduler starts them within a tick or two).
    const bool allActive = waitUntil([&] { return activeUploads(engine) >= running; }, 30'000);
    const int activeAtStart = activeUploads(engine);
    const qint64 committedAtStart = committedBytes(engine);
    LatencyProbe probe(int(number("interval-ms")));
    probe.start();
    QEventLoop window30s;
    QTimer::singleShot(int(number("seconds") * 1000), &window30s, &QEventLoop::quit);
    window30s.exec();
    const LatencyProbe::Result r = probe.stop();
    const int activeAtEnd = activeUploads(engine);
    const double uploadedMiB = double(committedBytes(engine) - committedAtStart) / (1024.0 * 1024.0);

    std::printf("| figure | value |\n|---|---|\n");
    std::printf("| episodes in the catalog / table rows when shown | %d / %d |\n", int(engine.allStatuses().size()),
        rowsAtShow);
    std::printf("| engine open (catalog load), ms since main() | %.0f |\n", engineOpenMs);
    std::printf("| first paint of the table done, ms since main() / since exec | %.0f / %.0f |\n",
        firstPaint.sinceMainMs, firstPaint.sinceExecMs);
    std::printf("| active uploads at start / end of the window%s | %d / %d |\n",
        allActive ? "" : " (fewer than asked!)", activeAtStart, activeAtEnd);
    std::printf("| window, s / timer ticks (interval %lld ms, PreciseTimer) | %.1f / %lld |\n", number("interval-ms"),
        r.seconds, qlonglong(r.ticks));
    std::printf("| event-loop lag p50 / p99 / max, ms | %.2f / %.2f / %.1f |\n", r.p50Ms, r.p99Ms, r.maxMs);
    std::printf("| GUI thread CPU, s (%% of one core) | %.2f (%.1f %%) |\n", r.threadCpuSeconds,
        100 * r.threadCpuSeconds / r.seconds);
    std::printf("| whole process CPU (engine, curl, hashing), s (%% of one core) | %.2f (%.0f %%) |\n",
        r.processCpuSeconds, 100 * r.processCpuSeconds / r.seconds);
    std::printf(
        "| uploaded in the window (committed), MiB (MiB/s) | %.0f (%.0f) |\n", uploadedMiB, uploadedMiB / r.seconds);
    std::printf("| whole process CPU-s per GiB uploaded | %.1f |\n",
        uploadedMiB > 0 ? r.processCpuSeconds / (uploadedMiB / 1024) : 0.0);
    std::fflush(stdout);

    printSortAndFilterTimings(window);
    std::fflush(stdout);
    printKeyEcho(window);
    std::printf("\n| active uploads at the end of the run | %d |\n", activeUploads(engine));
    std::fflush(stdout);
    return 0;
}

// gui-bench: the desktop console under load, for docs/performance.md (run by bench/gui-latency, not a test).
//   gui-bench --seed --data-dir D --files-dir F [--episodes 10000] [--active 50] [--active-mib 512]
//   gui-bench --data-dir D --endpoint URL [--active 50] [--seconds 30] [--interval-ms 5] [--bandwidth-limit MiB/s]
// The run opens the real MainWindow over the seeded catalog; the engine starts the active uploads against the
// endpoint (strict-s3-server --discard). It prints the time to first paint, then, once the uploads are running,
// the event loop's timer lag and the GUI thread's CPU over --seconds, as Markdown.
#include "catalogseeder.h"
#include "episodetablemodel.h"
#include "latencyprobe.h"
#include "mainwindow.h"
#include "sync/syncengine.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QFile>
#include <QLoggingCategory>
#include <QTableView>
#include <QTimer>

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
    config.maxConcurrentEpisodes = active;
    config.maxPartsInFlight = active; // one part each: 50 uploads really in flight at once
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
    const bool allActive = waitUntil([&] { return activeUploads(engine) >= active; }, 30'000);
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
    return 0;
}

#include "episodescanner.h"

#include "core/backgroundpriority.h"

namespace {

// Two scans at once: a huge tree does not hold back every other registration, and the disk is not asked for more
// than two directory walks at a time.
constexpr int kScanThreads = 2;

} // namespace

EpisodeScanner::EpisodeScanner(Done done, Progress progress, QObject *parent)
    : QObject(parent)
    , m_done(std::move(done))
    , m_progress(std::move(progress))
{
    m_pool.setMaxThreadCount(kScanThreads);
    m_pool.setObjectName(QStringLiteral("episode-scan"));
}

EpisodeScanner::~EpisodeScanner()
{
    cancelAll();
    m_pool.waitForDone();
}

void EpisodeScanner::start(qint64 id, const QString &path, const QString &excludedRelativePath, int maxFiles)
{
    auto flag = std::make_shared<std::atomic<bool>>(false);
    m_running[id] = flag;
    m_pool.start([this, id, path, excludedRelativePath, maxFiles, flag, progress = m_progress] {
        BackgroundPriority::lowerCurrentPoolThread();
        LocalFiles::ScanOptions options;
        options.excludedRelativePath = excludedRelativePath;
        options.maxFiles = maxFiles;
        options.cancelled = flag.get();
        if (progress)
            options.onProgress = [&progress, id](int files, qint64 bytes) { progress(id, files, bytes); };
        auto result = LocalFiles::scan(path, options);
        // The destructor waits for this runnable, so `this` is alive here; a call queued to a context object
        // that is deleted before it runs is dropped by Qt.
        QMetaObject::invokeMethod(this, [this, id, flag, result = std::move(result)] { finish(id, flag, result); });
    });
}

void EpisodeScanner::finish(
    qint64 id, const std::shared_ptr<std::atomic<bool>> &flag, const StorageResult<QList<LocalFile>> &result)
{
    const auto it = m_running.find(id);
    if (it == m_running.end() || it->second != flag)
        return; // a scan that was replaced meanwhile
    m_running.erase(it);
    m_done(id, result);
}

void EpisodeScanner::cancel(qint64 id)
{
    if (const auto it = m_running.find(id); it != m_running.end())
        it->second->store(true);
}

void EpisodeScanner::cancelAll()
{
    for (const auto &[id, flag] : m_running)
        flag->store(true);
}

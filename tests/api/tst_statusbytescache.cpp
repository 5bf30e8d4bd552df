// StatusBytesCache over a real EpisodeStatusStore: after every kind of change the store knows, the bytes the API
// serves equal a fresh serialisation of the store's snapshot, each change is serialised once, and the batch
// envelope is what the route answered when it built a QJsonDocument. Also the store's overview (/metrics).
#include "api/apijson.h"
#include "api/statusbytescache.h"
#include "sync/episodestatusstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <functional>
#include <memory>

namespace {

EpisodeRecord record(qint64 id, EpisodeState state = EpisodeState::Pending)
{
    EpisodeRecord record;
    record.id = id;
    record.name = QStringLiteral("episode-%1").arg(id);
    record.localPath = QStringLiteral("/data/episode-%1").arg(id);
    record.totalBytes = 40 * 1024 * 1024;
    record.fileCount = 2;
    record.createdAt = QDateTime(QDate(2026, 12, 3), QTime(14, 2, 11, 120), Qt::UTC);
    record.state = state;
    return record;
}

TransferProgress progress(qint64 committed, TransferStage stage = TransferStage::Sending)
{
    TransferProgress progress;
    progress.committedBytes = committed;
    progress.inflightBytes = 5 * 1024 * 1024;
    progress.totalBytes = 40 * 1024 * 1024;
    progress.partsCompleted = int(committed / (5 * 1024 * 1024));
    progress.partsTotal = 8;
    progress.filesTotal = 2;
    progress.bytesPerSecond = 31457280.4;
    progress.etaSeconds = 3;
    progress.parallel = 8;
    progress.stage = stage;
    return progress;
}

// The old batch route: a QJsonObject of QJsonArrays, serialised at once.
QByteArray batchAsBefore(const EpisodeStatusStore &store, const QList<qint64> &unique)
{
    QJsonArray items;
    QSet<qint64> found;
    for (const EpisodeStatus &status : store.statuses(unique)) {
        items.append(ApiJson::status(status));
        found.insert(status.record.id);
    }
    QJsonArray missing;
    for (const qint64 id : unique) {
        if (!found.contains(id))
            missing.append(id);
    }
    return ApiJson::compact({{QStringLiteral("items"), items}, {QStringLiteral("missing"), missing}});
}

} // namespace

class TestStatusBytesCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void bytesEqualAFreshSerialisationAfterEveryChange();
    void eachChangeIsSerialisedOnce();
    void batchEnvelopeIsTheOldAnswerByteForByte();
    void removedEpisodesLeaveTheCache();
    void overviewFollowsEveryChange();

private:
    // Reads every shape through the cache (so it holds the current bytes), applies change, and checks that what
    // the store shows of ids changed, and that the cache serves the fresh serialisation of every shape.
    void expectFresh(const char *what, const std::function<void()> &change, const QList<qint64> &changed);
    bool matchesStore(qint64 id);
    QByteArray fresh(qint64 id) const;

    std::unique_ptr<EpisodeStatusStore> m_store;
    std::unique_ptr<StatusBytesCache> m_cache;
};

void TestStatusBytesCache::init()
{
    m_cache.reset();
    m_store = std::make_unique<EpisodeStatusStore>();
    m_cache = std::make_unique<StatusBytesCache>(*m_store);
}

QByteArray TestStatusBytesCache::fresh(qint64 id) const
{
    const auto status = m_store->status(id);
    return status ? ApiJson::compact(ApiJson::status(*status)) : QByteArray();
}

bool TestStatusBytesCache::matchesStore(qint64 id)
{
    const auto status = m_store->status(id);
    if (!status)
        return !m_cache->status(id) && !m_cache->episode(id) && !m_cache->statusEvent(id, EpisodeState::Pending);
    const auto cached = m_cache->status(id);
    QList<qint64> missing;
    const QList<QByteArray> batch = m_cache->statuses({id}, &missing);
    const EpisodeState other
        = status->record.state == EpisodeState::InProgress ? EpisodeState::Pending : EpisodeState::InProgress;
    const bool ok = cached && cached->json == fresh(id) && cached->state == status->record.state
        && cached->hasProgress == status->progress.has_value() && batch == QList<QByteArray>{fresh(id)}
        && missing.isEmpty() && m_cache->episode(id) == ApiJson::compact(ApiJson::episode(*status))
        && m_cache->statusEvent(id, status->record.state)
            == ApiJson::compact(ApiJson::transition(*status, status->record.state))
        && m_cache->statusEvent(id, other) == ApiJson::compact(ApiJson::transition(*status, other));
    if (!ok) {
        qWarning().noquote() << "episode" << id << "cached:" << (cached ? cached->json : "none")
                             << "\n fresh:" << fresh(id);
    }
    return ok;
}

void TestStatusBytesCache::expectFresh(
    const char *what, const std::function<void()> &change, const QList<qint64> &changed)
{
    QHash<qint64, QByteArray> before;
    for (const qint64 id : changed) {
        QVERIFY2(matchesStore(id), what);
        before.insert(id, fresh(id));
    }
    change();
    for (const qint64 id : changed) {
        // The step must change what is shown, or it would prove nothing about the cache.
        QVERIFY2(fresh(id) != before.value(id),
            qPrintable(QStringLiteral("%1: episode %2 looks the same").arg(QString::fromLatin1(what)).arg(id)));
        QVERIFY2(matchesStore(id), what);
    }
}

void TestStatusBytesCache::bytesEqualAFreshSerialisationAfterEveryChange()
{
    m_store->reset({record(1), record(2), record(3)}, {{3, progress(10 * 1024 * 1024).atRest()}});
    for (const qint64 id : {1, 2, 3})
        QVERIFY(matchesStore(id));

    expectFresh("register: scanning", [&] { m_store->upsert(record(4, EpisodeState::Scanning)); }, {4});
    expectFresh("files found while scanning", [&] { m_store->setScanCount(4, 1000, 1000 * 4096); }, {4});
    expectFresh("files listed: pending", [&] { m_store->upsert(record(4)); }, {4});
    expectFresh("pending → in_progress", [&] { m_store->upsert(record(1, EpisodeState::InProgress)); }, {1});
    expectFresh("progress", [&] { m_store->setProgress(1, progress(5 * 1024 * 1024)); }, {1});
    expectFresh("more progress", [&] { m_store->setProgress(1, progress(10 * 1024 * 1024)); }, {1});
    expectFresh("stage", [&] { m_store->setProgress(1, progress(40 * 1024 * 1024, TransferStage::Completing)); }, {1});
    expectFresh("in_progress → completed",
        [&] {
            EpisodeRecord done = record(1, EpisodeState::Completed);
            done.attemptsMade = 1;
            done.cloudBucket = QStringLiteral("bucket");
            done.cloudKeyPrefix = QStringLiteral("station/episode-1");
            done.manifestEtag = "0123456789abcdef";
            done.syncedAt = QDateTime(QDate(2026, 12, 3), QTime(15, 0), Qt::UTC);
            m_store->upsert(done);
        },
        {1});

    expectFresh("pending → in_progress (2)", [&] { m_store->upsert(record(2, EpisodeState::InProgress)); }, {2});
    expectFresh("progress (2)", [&] { m_store->setProgress(2, progress(5 * 1024 * 1024)); }, {2});
    expectFresh("in_progress → failed",
        [&] {
            EpisodeRecord failed = record(2, EpisodeState::Failed);
            failed.attemptsMade = 1;
            failed.lastErrorCode = QStringLiteral("FileChanged");
            failed.lastErrorMessage = QStringLiteral("a.bin changed since it was registered");
            m_store->upsert(failed);
        },
        {2});
    expectFresh("retry: failed → pending, waiting to retry",
        [&] {
            EpisodeRecord retried = record(2);
            retried.attemptsMade = 1;
            retried.lastErrorCode = QStringLiteral("FileChanged");
            retried.lastErrorMessage = QStringLiteral("a.bin changed since it was registered");
            retried.nextRetryAt = QDateTime(QDate(2026, 12, 3), QTime(15, 1), Qt::UTC);
            m_store->upsert(retried);
        },
        {2});
    expectFresh("rescan: verified amounts replaced, error gone",
        [&] {
            EpisodeRecord rescanned = record(2);
            rescanned.attemptsMade = 1;
            rescanned.totalBytes = 30 * 1024 * 1024;
            m_store->upsert(rescanned);
            TransferProgress kept = progress(0).atRest();
            kept.filesCompleted = 1;
            kept.committedBytes = 10 * 1024 * 1024;
            m_store->setVerified(2, kept);
        },
        {2});
    expectFresh("an attempt fails unreachable",
        [&] {
            EpisodeRecord unreachable = record(2);
            unreachable.attemptsMade = 2;
            unreachable.lastErrorCode = QStringLiteral("Unreachable");
            unreachable.lastErrorMessage = QStringLiteral("Failed to connect");
            m_store->upsert(unreachable);
        },
        {2});
    expectFresh("the storage answered: error cleared", [&] { m_store->clearUnreachableError(2); }, {2});

    expectFresh("a new attempt with an old error",
        [&] {
            EpisodeRecord running = record(3, EpisodeState::InProgress);
            running.lastErrorCode = QStringLiteral("InternalError");
            running.lastErrorMessage = QStringLiteral("We encountered an internal error");
            m_store->upsert(running);
        },
        {3});
    expectFresh("the attempt gets past the failure: error cleared",
        [&] { m_store->setProgress(3, progress(15 * 1024 * 1024)); }, {3});
    expectFresh("in_progress → cancelled", [&] { m_store->upsert(record(3, EpisodeState::Cancelled)); }, {3});

    // Engine-wide changes alter the stage of every pending episode (2 and 4), and of no other.
    expectFresh("pause all", [&] { m_store->setPaused(true); }, {2, 4});
    expectFresh("resume all", [&] { m_store->setPaused(false); }, {2, 4});
    StorageHealth down;
    down.state = StorageHealth::State::Unreachable;
    down.since = QDateTime(QDate(2026, 12, 3), QTime(16, 0), Qt::UTC);
    down.detail = QStringLiteral("Failed to connect");
    expectFresh("storage unreachable", [&] { m_store->setStorageHealth(down); }, {2, 4});
    expectFresh("storage ok again", [&] { m_store->setStorageHealth(StorageHealth{}); }, {2, 4});
    for (const qint64 id : {1, 3})
        QVERIFY(matchesStore(id));

    expectFresh("remove", [&] { m_store->remove(4); }, {4});
    QVERIFY(!m_cache->status(4));
    QList<qint64> missing;
    QVERIFY(m_cache->statuses({4}, &missing).isEmpty());
    QCOMPARE(missing, QList<qint64>{4});
    expectFresh("registered again with the same id", [&] { m_store->upsert(record(4)); }, {4});
}

void TestStatusBytesCache::eachChangeIsSerialisedOnce()
{
    QList<EpisodeRecord> records;
    QList<qint64> ids;
    for (qint64 id = 1; id <= 1000; ++id) {
        records.append(record(id, id == 500 ? EpisodeState::InProgress : EpisodeState::Completed));
        ids.append(id);
    }
    m_store->reset(records);
    QList<qint64> missing;
    const QList<QByteArray> first = m_cache->statuses(ids, &missing);
    QCOMPARE(first.size(), 1000);
    QCOMPARE(m_cache->serialisations(), 1000);
    // Asked again without a change: nothing is serialised, through any route.
    QCOMPARE(m_cache->statuses(ids, &missing), first);
    QCOMPARE(m_cache->status(7)->json, first.at(6));
    QCOMPARE(m_cache->serialisations(), 1000);

    // One of the thousand changes: exactly one is serialised again, once for all the readers that follow.
    m_store->setProgress(500, progress(5 * 1024 * 1024));
    const QList<QByteArray> second = m_cache->statuses(ids, &missing);
    QCOMPARE(m_cache->serialisations(), 1001);
    QCOMPARE(second.at(499), fresh(500));
    QVERIFY(second.at(499) != first.at(499));
    QCOMPARE(m_cache->status(500)->json, fresh(500));
    QCOMPARE(m_cache->statuses(ids, &missing), second);
    QCOMPARE(m_cache->serialisations(), 1001);

    // A change nobody asks for costs nothing; the next reader pays for it once.
    m_store->setProgress(500, progress(10 * 1024 * 1024));
    m_store->setProgress(500, progress(15 * 1024 * 1024));
    QCOMPARE(m_cache->statuses({1, 2, 3}, &missing).size(), 3);
    QCOMPARE(m_cache->serialisations(), 1001);
    QCOMPARE(m_cache->status(500)->json, fresh(500));
    QCOMPARE(m_cache->serialisations(), 1002);

    // The other shapes are made when first asked for, then kept while the revision stays.
    QCOMPARE(*m_cache->episode(500), ApiJson::compact(ApiJson::episode(*m_store->status(500))));
    QCOMPARE(*m_cache->statusEvent(500, EpisodeState::InProgress),
        ApiJson::compact(ApiJson::transition(*m_store->status(500), EpisodeState::InProgress)));
    QCOMPARE(m_cache->serialisations(), 1004);
    QVERIFY(m_cache->episode(500));
    QVERIFY(m_cache->statusEvent(500, EpisodeState::InProgress));
    QCOMPARE(m_cache->serialisations(), 1004);
    QVERIFY(missing.isEmpty());
}

void TestStatusBytesCache::batchEnvelopeIsTheOldAnswerByteForByte()
{
    m_store->reset({record(3), record(12, EpisodeState::InProgress), record(40, EpisodeState::Completed)});
    m_store->setProgress(12, progress(5 * 1024 * 1024));
    // What the route passes on: the ids asked for, each once, in request order ("12,3,12,999,40,…").
    const QList<qint64> unique{12, 3, 999, 40, Q_INT64_C(9223372036854775807), 1};
    QList<qint64> missing;
    const QList<QByteArray> items = m_cache->statuses(unique, &missing);
    QCOMPARE(missing, (QList<qint64>{999, Q_INT64_C(9223372036854775807), 1}));
    const QByteArray body = ApiJson::statusList(items, missing);
    QCOMPARE(body, batchAsBefore(*m_store, unique));
    QCOMPARE(QJsonDocument::fromJson(body), QJsonDocument::fromJson(batchAsBefore(*m_store, unique)));
    // Edge cases of the envelope: nothing found, nothing missing.
    QCOMPARE(ApiJson::statusList({}, {5000, 5001}), batchAsBefore(*m_store, {5000, 5001}));
    missing.clear();
    QCOMPARE(ApiJson::statusList(m_cache->statuses({40}, &missing), missing), batchAsBefore(*m_store, {40}));
}

void TestStatusBytesCache::removedEpisodesLeaveTheCache()
{
    m_store->reset({record(1), record(2), record(3)});
    QList<qint64> missing;
    QCOMPARE(m_cache->statuses({1, 2, 3}, &missing).size(), 3);
    QCOMPARE(m_cache->size(), 3);
    m_store->remove(2);
    m_cache->dropRemoved({1, 2}); // the engine's changed ids: 1 is still there
    QCOMPARE(m_cache->size(), 2);
    QVERIFY(m_cache->status(1));
    QVERIFY(!m_cache->status(2));
    // A removal the cache learns of from a read instead.
    m_store->remove(3);
    QCOMPARE(m_cache->statuses({3, 1}, &missing).size(), 1);
    QCOMPARE(missing, QList<qint64>{3});
    QCOMPARE(m_cache->size(), 1);
}

void TestStatusBytesCache::overviewFollowsEveryChange()
{
    const auto expectOverviewOfAll = [&](const char *what) {
        const EpisodeStatusStore::Overview overview = m_store->overview();
        std::array<int, kEpisodeStateCount> counts{};
        QList<EpisodeStatus> inProgress;
        for (const EpisodeStatus &status : m_store->all()) {
            ++counts.at(std::size_t(status.record.state));
            if (status.record.state == EpisodeState::InProgress)
                inProgress.append(status);
        }
        QVERIFY2(overview.countByState == counts, what);
        QCOMPARE(overview.inProgress.size(), inProgress.size());
        for (qsizetype i = 0; i < inProgress.size(); ++i) {
            QCOMPARE(overview.inProgress.at(i).record, inProgress.at(i).record);
            QCOMPARE(overview.inProgress.at(i).revision, inProgress.at(i).revision);
        }
    };
    m_store->reset({record(1), record(2, EpisodeState::InProgress), record(3, EpisodeState::Completed)});
    expectOverviewOfAll("reset");
    QCOMPARE(m_store->overview().count(EpisodeState::Pending), 1);
    m_store->upsert(record(4));
    m_store->upsert(record(1, EpisodeState::InProgress));
    m_store->setProgress(1, progress(5 * 1024 * 1024));
    expectOverviewOfAll("register, start, progress");
    QCOMPARE(m_store->overview().inProgress.size(), 2);
    QCOMPARE(m_store->overview().inProgress.first().progress->committedBytes, 5 * 1024 * 1024);
    m_store->upsert(record(2, EpisodeState::Failed));
    m_store->upsert(record(1, EpisodeState::Completed));
    m_store->remove(3);
    m_store->remove(99); // unknown: nothing changes
    expectOverviewOfAll("fail, complete, remove");
    QCOMPARE(m_store->overview().count(EpisodeState::Completed), 1);
    QVERIFY(m_store->overview().inProgress.isEmpty());
    m_store->reset({record(5, EpisodeState::Cancelled)});
    expectOverviewOfAll("reset again");
}

QTEST_GUILESS_MAIN(TestStatusBytesCache)
#include "tst_statusbytescache.moc"

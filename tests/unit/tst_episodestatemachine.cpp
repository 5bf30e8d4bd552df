// Every transition of an episode, the in-memory status store, and the three behaviours carried over from the
// cloud-sync service this console replaces (progress cleared on finish, cloud fields on completion, no next retry
// after a non-retryable failure).
#include "sync/attemptoutcome.h"
#include "sync/episodestatemachine.h"
#include "sync/episodestatusstore.h"

#include <QTest>

namespace {

EpisodeRecord episodeIn(EpisodeState state, int attempts = 0)
{
    EpisodeRecord episode;
    episode.id = 7;
    episode.name = QStringLiteral("run-7");
    episode.state = state;
    episode.attempts = attempts;
    return episode;
}

const QDateTime kNow = QDateTime(QDate(2026, 11, 29), QTime(12, 0), Qt::UTC);

// How a job ended, as AttemptOutcome's tests describe it: an S3 code (empty: none), or one of the engine's own.
StorageError jobError(const QString &code, bool retryable)
{
    if (code.isEmpty())
        return {};
    if (code == QLatin1String("Cancelled"))
        return StorageError::cancelled();
    if (code == QLatin1String("Unreachable"))
        return StorageError::unreachable(QStringLiteral("connection refused"));
    StorageError error;
    error.kind = StorageError::Kind::Http;
    error.httpStatus = retryable ? 503 : 403;
    error.s3Code = code;
    error.message = QStringLiteral("the storage said no");
    error.retryable = retryable;
    return error;
}

constexpr int kHealthUnchanged = -1;

} // namespace

class TestEpisodeStateMachine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stateNames();
    void startOnlyFromPending_data();
    void startOnlyFromPending();
    void completedWritesCloudFields();
    void retryableFailureSchedulesRetry();
    void retryableFailureOutOfAttemptsFails();
    void nonRetryableFailureClearsNextRetry();
    void interruptReturnsToPendingWithoutSpendingAnAttempt();
    void waitForStorageKeepsErrorWithoutSpendingAnAttempt();
    void cancelFromPendingOrInProgressOnly_data();
    void cancelFromPendingOrInProgressOnly();
    void retryFromFailedOrCancelledOnly_data();
    void retryFromFailedOrCancelledOnly();
    void enqueueMakesPendingDueNow();
    void removeRefusedWhileInProgress();
    void isDue();
    void pauseFromPendingOrInProgressOnly_data();
    void pauseFromPendingOrInProgressOnly();
    void pausedIsNeverDueNorStarted();
    void pauseSurvivesInterruptAndRetryableFailure();
    void commandsThatMoveOnClearThePause();
    void storeShowsPausedStageAndCount();
    void storeOverviewNamesTheOldestPending();
    void storeProgressKeepsVerifiedAtRest();
    void storeIgnoresLateProgress();
    void storeCoalescesDirtyIdsAndKeepsEventsInOrder();
    void storeCountsNewlyVerifiedOnce();
    void storeStatusesKeepRequestOrder();
    void attemptOutcome_data();
    void attemptOutcome();
    void attemptOutcomePausedForCatalog();

private:
    EpisodeStateMachine m_machine{RetryPolicy(3, 30'000, 3'600'000, RetryPolicy::Jitter::Equal)};
};

void TestEpisodeStateMachine::stateNames()
{
    for (const auto state : {EpisodeState::Pending, EpisodeState::InProgress, EpisodeState::Completed,
             EpisodeState::Failed, EpisodeState::Cancelled}) {
        QCOMPARE(episodeStateFromName(episodeStateName(state)), state);
    }
    QCOMPARE(episodeStateName(EpisodeState::InProgress), QStringLiteral("in_progress"));
    QVERIFY(!episodeStateFromName(QStringLiteral("running")));
    QVERIFY(
        isTerminal(EpisodeState::Completed) && isTerminal(EpisodeState::Failed) && isTerminal(EpisodeState::Cancelled));
    QVERIFY(!isTerminal(EpisodeState::Pending) && !isTerminal(EpisodeState::InProgress));
}

void TestEpisodeStateMachine::startOnlyFromPending_data()
{
    QTest::addColumn<EpisodeState>("from");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("pending") << EpisodeState::Pending << true;
    QTest::newRow("in_progress") << EpisodeState::InProgress << false;
    QTest::newRow("completed") << EpisodeState::Completed << false;
    QTest::newRow("failed") << EpisodeState::Failed << false;
    QTest::newRow("cancelled") << EpisodeState::Cancelled << false;
}

void TestEpisodeStateMachine::startOnlyFromPending()
{
    QFETCH(EpisodeState, from);
    QFETCH(bool, allowed);
    EpisodeRecord episode = episodeIn(from, 1);
    episode.nextRetryAt = kNow;
    const auto result = m_machine.start(episode);
    QCOMPARE(result.ok(), allowed);
    if (allowed) {
        QCOMPARE(episode.state, EpisodeState::InProgress);
        QCOMPARE(episode.attempts, 2);
        QVERIFY(!episode.nextRetryAt.isValid());
    } else {
        QCOMPARE(result.error().code, SyncError::Code::InvalidTransition);
        QCOMPARE(episode.state, from);
        QCOMPARE(episode.attempts, 1);
    }
}

void TestEpisodeStateMachine::completedWritesCloudFields()
{
    EpisodeRecord episode = episodeIn(EpisodeState::InProgress, 2);
    episode.lastErrorCode = QStringLiteral("SlowDown");
    episode.lastErrorMessage = QStringLiteral("earlier attempt");
    QVERIFY(m_machine.succeed(episode, QStringLiteral("bucket"), QStringLiteral("episodes/run-7"), "abc-3", kNow));
    QCOMPARE(episode.state, EpisodeState::Completed);
    QCOMPARE(episode.cloudBucket, QStringLiteral("bucket"));
    QCOMPARE(episode.cloudKeyPrefix, QStringLiteral("episodes/run-7"));
    QCOMPARE(episode.manifestEtag, QByteArray("abc-3"));
    QCOMPARE(episode.syncedAt, kNow);
    QVERIFY(!episode.hasError());
    QVERIFY(!episode.nextRetryAt.isValid());
    QVERIFY(!m_machine.succeed(episode, QStringLiteral("b"), QStringLiteral("p"), "x", kNow)); // only once
}

void TestEpisodeStateMachine::retryableFailureSchedulesRetry()
{
    EpisodeRecord episode = episodeIn(EpisodeState::InProgress, 1);
    QVERIFY(m_machine.fail(episode, {QStringLiteral("SlowDown"), QStringLiteral("reduce rate"), true}, kNow));
    QCOMPARE(episode.state, EpisodeState::Pending);
    QCOMPARE(episode.lastErrorCode, QStringLiteral("SlowDown"));
    QVERIFY(episode.nextRetryAt.isValid());
    // Equal jitter on 30 s: between 15 and 30 s after the failure.
    QVERIFY(episode.nextRetryAt >= kNow.addSecs(15) && episode.nextRetryAt <= kNow.addSecs(30));
    QVERIFY(!EpisodeStateMachine::isDue(episode, kNow));
    QVERIFY(EpisodeStateMachine::isDue(episode, kNow.addSecs(31)));
}

void TestEpisodeStateMachine::retryableFailureOutOfAttemptsFails()
{
    EpisodeRecord episode = episodeIn(EpisodeState::InProgress, 3);
    QVERIFY(m_machine.fail(episode, {QStringLiteral("SlowDown"), QStringLiteral("again"), true}, kNow));
    QCOMPARE(episode.state, EpisodeState::Failed);
    QVERIFY(!episode.nextRetryAt.isValid());
}

void TestEpisodeStateMachine::nonRetryableFailureClearsNextRetry()
{
    EpisodeRecord episode = episodeIn(EpisodeState::InProgress, 1);
    episode.nextRetryAt = kNow.addSecs(60); // left over from an earlier schedule
    QVERIFY(m_machine.fail(episode, {QStringLiteral("AccessDenied"), QStringLiteral("denied"), false}, kNow));
    QCOMPARE(episode.state, EpisodeState::Failed);
    QVERIFY(!episode.nextRetryAt.isValid());
    QCOMPARE(episode.lastErrorMessage, QStringLiteral("denied"));
}

void TestEpisodeStateMachine::interruptReturnsToPendingWithoutSpendingAnAttempt()
{
    EpisodeRecord episode = episodeIn(EpisodeState::Pending, 1);
    QVERIFY(m_machine.start(episode));
    QCOMPARE(episode.attempts, 2);
    QVERIFY(m_machine.interrupt(episode));
    QCOMPARE(episode.state, EpisodeState::Pending);
    QCOMPARE(episode.attempts, 1);
    QVERIFY(EpisodeStateMachine::isDue(episode, kNow));
    QVERIFY(!m_machine.interrupt(episode)); // only from in_progress
}

void TestEpisodeStateMachine::waitForStorageKeepsErrorWithoutSpendingAnAttempt()
{
    EpisodeRecord episode = episodeIn(EpisodeState::Pending, 4); // an outage must not use up the last attempt
    QVERIFY(m_machine.start(episode));
    const QDateTime retryAt = kNow.addSecs(20);
    QVERIFY(
        m_machine.waitForStorage(episode, {QStringLiteral("Unreachable"), QStringLiteral("refused"), true}, retryAt));
    QCOMPARE(episode.state, EpisodeState::Pending);
    QCOMPARE(episode.attempts, 4);
    QCOMPARE(episode.lastErrorCode, QStringLiteral("Unreachable"));
    QCOMPARE(episode.nextRetryAt, retryAt);
    QVERIFY(!EpisodeStateMachine::isDue(episode, kNow));
    QVERIFY(EpisodeStateMachine::isDue(episode, retryAt));
    QVERIFY(!m_machine.waitForStorage(episode, {}, retryAt)); // only from in_progress
}

void TestEpisodeStateMachine::cancelFromPendingOrInProgressOnly_data()
{
    startOnlyFromPending_data();
}

void TestEpisodeStateMachine::cancelFromPendingOrInProgressOnly()
{
    QFETCH(EpisodeState, from);
    const bool allowed = from == EpisodeState::Pending || from == EpisodeState::InProgress;
    EpisodeRecord episode = episodeIn(from);
    episode.nextRetryAt = kNow;
    QCOMPARE(m_machine.cancel(episode).ok(), allowed);
    QCOMPARE(episode.state, allowed ? EpisodeState::Cancelled : from);
    if (allowed)
        QVERIFY(!episode.nextRetryAt.isValid());
}

void TestEpisodeStateMachine::retryFromFailedOrCancelledOnly_data()
{
    startOnlyFromPending_data();
}

void TestEpisodeStateMachine::retryFromFailedOrCancelledOnly()
{
    QFETCH(EpisodeState, from);
    const bool allowed = from == EpisodeState::Failed || from == EpisodeState::Cancelled;
    EpisodeRecord episode = episodeIn(from, 3);
    episode.lastErrorCode = QStringLiteral("AccessDenied");
    QCOMPARE(m_machine.retry(episode).ok(), allowed);
    if (allowed) {
        QCOMPARE(episode.state, EpisodeState::Pending);
        QCOMPARE(episode.attempts, 0); // a fresh budget
        QVERIFY(!episode.hasError());
        QVERIFY(EpisodeStateMachine::isDue(episode, kNow));
    } else {
        QCOMPARE(episode.state, from);
    }
}

void TestEpisodeStateMachine::enqueueMakesPendingDueNow()
{
    EpisodeRecord pending = episodeIn(EpisodeState::Pending, 1);
    pending.nextRetryAt = kNow.addSecs(600);
    QVERIFY(m_machine.enqueue(pending));
    QVERIFY(EpisodeStateMachine::isDue(pending, kNow));
    EpisodeRecord failed = episodeIn(EpisodeState::Failed, 5);
    QVERIFY(m_machine.enqueue(failed));
    QCOMPARE(failed.state, EpisodeState::Pending);
    EpisodeRecord completed = episodeIn(EpisodeState::Completed);
    QCOMPARE(m_machine.enqueue(completed).error().code, SyncError::Code::InvalidTransition);
    EpisodeRecord running = episodeIn(EpisodeState::InProgress);
    QVERIFY(!m_machine.enqueue(running));
}

void TestEpisodeStateMachine::removeRefusedWhileInProgress()
{
    QVERIFY(!m_machine.checkRemovable(episodeIn(EpisodeState::InProgress)));
    QVERIFY(m_machine.checkRemovable(episodeIn(EpisodeState::Pending)));
    QVERIFY(m_machine.checkRemovable(episodeIn(EpisodeState::Completed)));
}

void TestEpisodeStateMachine::isDue()
{
    EpisodeRecord episode = episodeIn(EpisodeState::Pending);
    QVERIFY(EpisodeStateMachine::isDue(episode, kNow));
    episode.nextRetryAt = kNow.addSecs(1);
    QVERIFY(!EpisodeStateMachine::isDue(episode, kNow));
    episode.state = EpisodeState::Failed;
    episode.nextRetryAt = {};
    QVERIFY(!EpisodeStateMachine::isDue(episode, kNow));
}

void TestEpisodeStateMachine::pauseFromPendingOrInProgressOnly_data()
{
    startOnlyFromPending_data();
    QTest::newRow("scanning") << EpisodeState::Scanning << false;
}

void TestEpisodeStateMachine::pauseFromPendingOrInProgressOnly()
{
    QFETCH(EpisodeState, from);
    const bool allowed = from == EpisodeState::Pending || from == EpisodeState::InProgress;
    EpisodeRecord episode = episodeIn(from, 2);
    episode.priority = 5;
    const auto paused = m_machine.pause(episode);
    QCOMPARE(paused.ok(), allowed);
    QCOMPARE(episode.paused, allowed);
    QCOMPARE(episode.state, from);
    QCOMPARE(episode.attempts, 2);
    QCOMPARE(episode.priority, 5);
    if (!allowed) {
        QCOMPARE(paused.error().code, SyncError::Code::InvalidTransition);
        QCOMPARE(m_machine.resume(episode).error().code, SyncError::Code::InvalidTransition);
        return;
    }
    QVERIFY(m_machine.pause(episode)); // idempotent
    QVERIFY(episode.paused);
    QVERIFY(m_machine.resume(episode));
    QVERIFY(!episode.paused);
    QVERIFY(m_machine.resume(episode)); // idempotent
    QVERIFY(!episode.paused);
    QCOMPARE(episode.priority, 5);
}

void TestEpisodeStateMachine::pausedIsNeverDueNorStarted()
{
    EpisodeRecord episode = episodeIn(EpisodeState::Pending);
    QVERIFY(m_machine.pause(episode));
    QVERIFY(!EpisodeStateMachine::isDue(episode, kNow));
    QCOMPARE(m_machine.start(episode).error().code, SyncError::Code::InvalidTransition);
    QCOMPARE(episode.state, EpisodeState::Pending);
    QVERIFY(m_machine.resume(episode));
    QVERIFY(EpisodeStateMachine::isDue(episode, kNow));

    // A paused episode waiting for its retry keeps that time when resumed: due when it comes.
    episode.nextRetryAt = kNow.addSecs(60);
    QVERIFY(m_machine.pause(episode));
    QVERIFY(!EpisodeStateMachine::isDue(episode, kNow.addSecs(61)));
    QVERIFY(m_machine.resume(episode));
    QVERIFY(!EpisodeStateMachine::isDue(episode, kNow));
    QVERIFY(EpisodeStateMachine::isDue(episode, kNow.addSecs(61)));
}

void TestEpisodeStateMachine::pauseSurvivesInterruptAndRetryableFailure()
{
    EpisodeRecord episode = episodeIn(EpisodeState::Pending, 1);
    QVERIFY(m_machine.start(episode));
    QVERIFY(m_machine.pause(episode));
    QVERIFY(m_machine.interrupt(episode));
    QCOMPARE(episode.state, EpisodeState::Pending);
    QCOMPARE(episode.attempts, 1); // the stopped attempt does not count
    QVERIFY(episode.paused);

    QVERIFY(m_machine.resume(episode));
    QVERIFY(m_machine.start(episode));
    QVERIFY(m_machine.pause(episode));
    QVERIFY(m_machine.fail(episode, {QStringLiteral("SlowDown"), QStringLiteral("again"), true}, kNow));
    QCOMPARE(episode.state, EpisodeState::Pending);
    QVERIFY(episode.paused);
}

void TestEpisodeStateMachine::commandsThatMoveOnClearThePause()
{
    const auto pausedIn = [this](EpisodeState state) {
        EpisodeRecord episode = episodeIn(EpisodeState::Pending);
        static_cast<void>(m_machine.pause(episode));
        episode.state = state;
        return episode;
    };
    EpisodeRecord enqueued = pausedIn(EpisodeState::Pending);
    QVERIFY(m_machine.enqueue(enqueued));
    QVERIFY(!enqueued.paused);
    QVERIFY(EpisodeStateMachine::isDue(enqueued, kNow));

    EpisodeRecord cancelled = pausedIn(EpisodeState::Pending);
    QVERIFY(m_machine.cancel(cancelled));
    QCOMPARE(cancelled.state, EpisodeState::Cancelled);
    QVERIFY(!cancelled.paused);

    EpisodeRecord rescanned = pausedIn(EpisodeState::Pending);
    QVERIFY(m_machine.rescan(rescanned));
    QVERIFY(!rescanned.paused);

    EpisodeRecord completed = pausedIn(EpisodeState::InProgress);
    QVERIFY(m_machine.succeed(completed, QStringLiteral("b"), QStringLiteral("p"), "x", kNow));
    QVERIFY(!completed.paused);

    EpisodeRecord failed = pausedIn(EpisodeState::InProgress);
    QVERIFY(m_machine.fail(failed, {QStringLiteral("AccessDenied"), QStringLiteral("denied"), false}, kNow));
    QCOMPARE(failed.state, EpisodeState::Failed);
    QVERIFY(!failed.paused);
}

void TestEpisodeStateMachine::storeShowsPausedStageAndCount()
{
    EpisodeStatusStore store;
    EpisodeRecord paused = episodeIn(EpisodeState::Pending);
    paused.paused = true;
    EpisodeRecord queued = episodeIn(EpisodeState::Pending);
    queued.id = 8;
    store.reset({paused, queued});
    QCOMPARE(store.status(7)->stage, EpisodeStage::Paused);
    QCOMPARE(store.status(8)->stage, EpisodeStage::Queued);
    QCOMPARE(store.overview().paused, 1);
    QCOMPARE(store.dueQueue(kNow).size(), 1);
    QCOMPARE(store.dueQueue(kNow).first().id, 8);

    paused.paused = false;
    store.upsert(paused);
    QCOMPARE(store.status(7)->stage, EpisodeStage::Queued);
    QCOMPARE(store.overview().paused, 0);
    QCOMPARE(store.dueQueue(kNow).size(), 2);
    queued.paused = true;
    store.upsert(queued);
    QCOMPARE(store.overview().paused, 1);
    store.remove(8);
    QCOMPARE(store.overview().paused, 0);
}

// /metrics' keystone_oldest_pending_age_seconds: the earliest registered pending episode, whether it came from the
// catalog (reset) or changed since (upsert, remove), leaving out those paused one by one but not pause-all.
void TestEpisodeStateMachine::storeOverviewNamesTheOldestPending()
{
    EpisodeStatusStore store;
    QVERIFY(!store.overview().oldestPendingCreatedAt.isValid());
    auto registered = [](qint64 id, EpisodeState state, int minutesAgo) {
        EpisodeRecord record = episodeIn(state);
        record.id = id;
        record.createdAt = kNow.addSecs(-60 * minutesAgo);
        return record;
    };
    EpisodeRecord done = registered(1, EpisodeState::Completed, 90);
    EpisodeRecord oldest = registered(2, EpisodeState::Pending, 60);
    EpisodeRecord newer = registered(3, EpisodeState::Pending, 30);
    store.reset({done, newer, oldest});
    QCOMPARE(store.overview().oldestPendingCreatedAt, oldest.createdAt);

    store.setPaused(true); // pause-all: still waiting
    QCOMPARE(store.overview().oldestPendingCreatedAt, oldest.createdAt);
    oldest.paused = true; // paused by itself: left out
    store.upsert(oldest);
    QCOMPARE(store.overview().oldestPendingCreatedAt, newer.createdAt);
    oldest.paused = false;
    oldest.state = EpisodeState::InProgress; // started: no longer pending
    store.upsert(oldest);
    QCOMPARE(store.overview().oldestPendingCreatedAt, newer.createdAt);
    oldest.state = EpisodeState::Pending; // back to pending (an outage, a pause)
    store.upsert(oldest);
    QCOMPARE(store.overview().oldestPendingCreatedAt, oldest.createdAt);
    store.remove(2);
    QCOMPARE(store.overview().oldestPendingCreatedAt, newer.createdAt);
    newer.state = EpisodeState::Failed;
    store.upsert(newer);
    QVERIFY(!store.overview().oldestPendingCreatedAt.isValid());
}

void TestEpisodeStateMachine::storeProgressKeepsVerifiedAtRest()
{
    EpisodeStatusStore store;
    EpisodeRecord episode = episodeIn(EpisodeState::InProgress, 1);
    store.upsert(episode);
    TransferProgress progress;
    progress.committedBytes = 10;
    progress.inflightBytes = 5;
    progress.totalBytes = 100;
    store.setProgress(episode.id, progress);
    QVERIFY(store.status(episode.id)->progress.has_value());
    QCOMPARE(store.status(episode.id)->progress->committedBytes, 10);

    QCOMPARE(store.status(episode.id)->stage, EpisodeStage::Starting);

    // Paused: the verified amounts stay, the runtime figures go at once.
    EpisodeRecord paused = episode;
    QVERIFY(m_machine.interrupt(paused));
    store.upsert(paused);
    store.setPaused(true);
    QVERIFY(store.status(episode.id)->progress.has_value());
    QCOMPARE(store.status(episode.id)->progress->committedBytes, 10);
    QCOMPARE(store.status(episode.id)->progress->inflightBytes, 0);
    QCOMPARE(store.status(episode.id)->progress->bytesPerSecond, 0.0);
    QCOMPARE(store.status(episode.id)->stage, EpisodeStage::Paused);
    store.setPaused(false);
    QCOMPARE(store.status(episode.id)->stage, EpisodeStage::Queued);

    QVERIFY(m_machine.start(paused));
    store.upsert(paused);
    QVERIFY(m_machine.succeed(paused, QStringLiteral("b"), QStringLiteral("p"), "e", kNow));
    store.upsert(paused);
    QCOMPARE(store.status(episode.id)->record.state, EpisodeState::Completed);
    QCOMPARE(store.status(episode.id)->progress->committedBytes, paused.totalBytes); // everything, at once
    QCOMPARE(store.status(episode.id)->stage, EpisodeStage::None);
}

void TestEpisodeStateMachine::storeIgnoresLateProgress()
{
    EpisodeStatusStore store;
    store.upsert(episodeIn(EpisodeState::Cancelled));
    store.setProgress(7, TransferProgress{1, 1, 10, 0, 1, 0, 1, 0, -1});
    QVERIFY(!store.status(7)->progress.has_value());
    store.setProgress(99, TransferProgress{}); // unknown: no entry appears
    QVERIFY(!store.status(99));
}

void TestEpisodeStateMachine::storeCoalescesDirtyIdsAndKeepsEventsInOrder()
{
    using Event = EngineChanges::Event;
    EpisodeStatusStore store;
    EpisodeRecord a = episodeIn(EpisodeState::InProgress);
    a.id = 3;
    EpisodeRecord b = episodeIn(EpisodeState::InProgress);
    b.id = 1;
    store.upsert(a);
    store.upsert(b);
    for (int i = 0; i < 50; ++i)
        store.setProgress(3, TransferProgress{i, 0, 100, 0, 1, 0, 1, 0, -1});
    const EngineChanges first = store.takeChanges();
    QCOMPARE(first.changedIds, (QList<qint64>{1, 3}));
    // One event per record, in the order stored; progress is no event.
    QCOMPARE(first.events,
        (QList<Event>{
            {3, Event::Kind::Status, EpisodeState::InProgress}, {1, Event::Kind::Status, EpisodeState::InProgress}}));
    QVERIFY(store.takeChanges().isEmpty());

    store.upsert(b); // the same record again: shown again, but no event
    const EngineChanges same = store.takeChanges();
    QCOMPARE(same.changedIds, QList<qint64>{1});
    QVERIFY(same.events.isEmpty());

    a.state = EpisodeState::Pending; // a retry, then the attempt that completes it, then the other removed
    store.upsert(a);
    a.state = EpisodeState::InProgress;
    store.upsert(a);
    a.state = EpisodeState::Completed;
    store.upsert(a);
    store.remove(1);
    const EngineChanges last = store.takeChanges();
    QCOMPARE(last.changedIds, (QList<qint64>{1, 3}));
    QCOMPARE(last.events,
        (QList<Event>{{3, Event::Kind::Status, EpisodeState::Pending},
            {3, Event::Kind::Status, EpisodeState::InProgress}, {3, Event::Kind::Status, EpisodeState::Completed},
            {1, Event::Kind::Removed, EpisodeState::InProgress}}));
    QVERIFY(!store.status(1));
}

// Overview::bytesNewlyVerified and partsNewlyVerified (the API's committed counters): what running attempts verified
// past the most the episode had shown, and the rest at completion; a baseline at rest is never counted, nor a
// re-upload.
void TestEpisodeStateMachine::storeCountsNewlyVerifiedOnce()
{
    const auto verified = [](qint64 bytes, int parts) {
        TransferProgress progress;
        progress.committedBytes = bytes;
        progress.partsCompleted = parts;
        progress.totalBytes = 100;
        progress.partsTotal = 5;
        return progress;
    };
    EpisodeStatusStore store;
    EpisodeRecord episode = episodeIn(EpisodeState::Pending);
    episode.totalBytes = 100;
    store.reset({episode}, {{episode.id, verified(40, 2)}}); // verified before: a baseline
    QCOMPARE(store.overview().bytesNewlyVerified, 0);

    episode.state = EpisodeState::InProgress;
    store.upsert(episode);
    store.setProgress(episode.id, verified(60, 3));
    QCOMPARE(store.overview().bytesNewlyVerified, 20);
    QCOMPARE(store.overview().partsNewlyVerified, 1);

    episode.state = EpisodeState::Pending; // the upload was aborted: its parts are forgotten, then sent again
    store.upsert(episode);
    store.setVerified(episode.id, verified(0, 0));
    episode.state = EpisodeState::InProgress;
    store.upsert(episode);
    store.setProgress(episode.id, verified(60, 3));
    QCOMPARE(store.overview().bytesNewlyVerified, 20); // once per episode
    store.setProgress(episode.id, verified(80, 4));
    QCOMPARE(store.overview().bytesNewlyVerified, 40);

    episode.state = EpisodeState::Completed; // the rest, at once
    store.upsert(episode);
    QCOMPARE(store.overview().bytesNewlyVerified, 60);
    QCOMPARE(store.overview().partsNewlyVerified, 3);

    EpisodeRecord atRest = episodeIn(EpisodeState::Pending); // verified at rest (a rescan): a baseline too
    atRest.id = 8;
    store.upsert(atRest);
    store.setVerified(atRest.id, verified(50, 2));
    QCOMPARE(store.overview().bytesNewlyVerified, 60);
}

void TestEpisodeStateMachine::storeStatusesKeepRequestOrder()
{
    EpisodeStatusStore store;
    QList<EpisodeRecord> records;
    for (qint64 id : {1, 2, 3}) {
        EpisodeRecord r = episodeIn(EpisodeState::Pending);
        r.id = id;
        records.append(r);
    }
    store.reset(records);
    const auto statuses = store.statuses({3, 9, 1});
    QCOMPARE(statuses.size(), 2);
    QCOMPARE(statuses.at(0).record.id, 3);
    QCOMPARE(statuses.at(1).record.id, 1);
    QCOMPARE(store.all().size(), 3);
    QCOMPARE(store.all().first().record.id, 1);
}

// AttemptOutcome: every way an attempt ends, from the job's error, the stop and the episode's facts, to the
// transition, the log row's result, the storage's outage and health, and the journal line.
void TestEpisodeStateMachine::attemptOutcome_data()
{
    using Outage = AttemptOutcome::Outage;
    using Line = AttemptOutcome::JournalLine;
    using Health = StorageHealth::State;
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<int>("stop");
    QTest::addColumn<bool>("pausedByOperator");
    QTest::addColumn<bool>("probing");
    QTest::addColumn<int>("healthBefore");
    QTest::addColumn<EpisodeState>("atEnd");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<EpisodeState>("state");
    QTest::addColumn<QString>("result");
    QTest::addColumn<int>("outage");
    QTest::addColumn<int>("health");
    QTest::addColumn<bool>("forget");
    QTest::addColumn<int>("line");

    const auto row = [](const char *name, const char *code, bool retryable, StopReason stop, bool byOperator,
                         bool probing, Health before, EpisodeState atEnd, int attempts, EpisodeState state,
                         const char *result, Outage outage, int health, bool forget, Line line) {
        QTest::newRow(name) << QString::fromLatin1(code) << retryable << int(stop) << byOperator << probing
                            << int(before) << atEnd << attempts << state << QString::fromLatin1(result) << int(outage)
                            << health << forget << int(line);
    };
    const auto in = EpisodeState::InProgress;
    const auto none = StopReason::None;
    row("completed", "", false, none, false, false, Health::Ok, in, 1, EpisodeState::Completed, "completed",
        Outage::Over, int(Health::Ok), false, Line::AttemptEnded);
    row("retryable error, attempts left", "InternalError", true, none, false, false, Health::Ok, in, 1,
        EpisodeState::Pending, "retry", Outage::Over, kHealthUnchanged, false, Line::AttemptEnded);
    row("retryable error, out of attempts", "InternalError", true, none, false, false, Health::Ok, in, 3,
        EpisodeState::Failed, "failed", Outage::Over, kHealthUnchanged, false, Line::AttemptEnded);
    row("not retryable", "NoSuchBucket", false, none, false, false, Health::Ok, in, 1, EpisodeState::Failed, "failed",
        Outage::Over, kHealthUnchanged, false, Line::AttemptEnded);
    row("an answer ends an outage", "InternalError", true, none, false, false, Health::Unreachable, in, 1,
        EpisodeState::Pending, "retry", Outage::Over, int(Health::Ok), false, Line::AttemptEnded);
    row("unreachable", "Unreachable", true, none, false, false, Health::Ok, in, 1, EpisodeState::Pending, "unreachable",
        Outage::Continues, int(Health::Unreachable), false, Line::AttemptEnded);
    row("unreachable probe says nothing new", "Unreachable", true, none, false, true, Health::Unreachable, in, 1,
        EpisodeState::Pending, "unreachable", Outage::Continues, int(Health::Unreachable), false, Line::None);
    row("credentials rejected: the first fails", "InvalidAccessKeyId", false, none, false, false, Health::Ok, in, 1,
        EpisodeState::Failed, "failed", Outage::Over, int(Health::CredentialsRejected), false, Line::AttemptEnded);
    row("credentials rejected: the others are held", "SignatureDoesNotMatch", false, none, false, false,
        Health::CredentialsRejected, in, 1, EpisodeState::Pending, "held", Outage::Over,
        int(Health::CredentialsRejected), false, Line::AttemptEnded);
    row("cancelled", "Cancelled", false, StopReason::Cancel, false, false, Health::Ok, EpisodeState::Cancelled, 1,
        EpisodeState::Cancelled, "cancelled", Outage::Unchanged, kHealthUnchanged, true, Line::AttemptEnded);
    row("completed after a cancel", "", false, StopReason::Cancel, false, false, Health::Ok, EpisodeState::Cancelled, 1,
        EpisodeState::Cancelled, "cancelled", Outage::Over, int(Health::Ok), true, Line::AttemptEnded);
    row("paused (pause-all)", "Cancelled", false, StopReason::Pause, false, false, Health::Ok, in, 1,
        EpisodeState::Pending, "paused", Outage::Unchanged, kHealthUnchanged, false, Line::AttemptEnded);
    row("paused by the operator", "Cancelled", false, StopReason::Pause, true, false, Health::Ok, in, 1,
        EpisodeState::Pending, "paused", Outage::Unchanged, kHealthUnchanged, false, Line::PausedByOperator);
    row("reconfigured", "Cancelled", false, StopReason::Reconfigure, false, false, Health::Ok, in, 1,
        EpisodeState::Pending, "reconfigured", Outage::Unchanged, kHealthUnchanged, false, Line::AttemptEnded);
    row("shut down", "Cancelled", false, StopReason::Shutdown, false, false, Health::Ok, in, 1, EpisodeState::Pending,
        "interrupted", Outage::Unchanged, kHealthUnchanged, false, Line::AttemptEnded);
}

void TestEpisodeStateMachine::attemptOutcome()
{
    QFETCH(QString, code);
    QFETCH(bool, retryable);
    QFETCH(int, stop);
    QFETCH(bool, pausedByOperator);
    QFETCH(bool, probing);
    QFETCH(int, healthBefore);
    QFETCH(EpisodeState, atEnd);
    QFETCH(int, attempts);
    QFETCH(EpisodeState, state);
    QFETCH(QString, result);
    QFETCH(int, outage);
    QFETCH(int, health);
    QFETCH(bool, forget);
    QFETCH(int, line);

    AttemptOutcome::Facts facts;
    facts.episode = episodeIn(atEnd, attempts);
    facts.error = jobError(code, retryable);
    facts.stop = StopReason(stop);
    facts.pausedByOperator = pausedByOperator;
    facts.probing = probing;
    facts.health = StorageHealth::State(healthBefore);
    facts.unreachableRetry = RetryPolicy(5, 1000, 30'000, RetryPolicy::Jitter::Equal);
    facts.logId = 42;
    facts.startedAt = kNow.addSecs(-60);
    facts.finishedAt = kNow;
    facts.bytesCommitted = 1234;
    facts.bucket = QStringLiteral("bucket");
    facts.keyPrefix = QStringLiteral("episodes/run-7");
    facts.manifestEtag = "etag-1";
    const AttemptOutcome outcome = AttemptOutcome::of(facts, m_machine);

    QCOMPARE(outcome.episode.state, state);
    QCOMPARE(outcome.log.result, result);
    QCOMPARE(outcome.log.id, qint64(42));
    QCOMPARE(outcome.log.episodeId, facts.episode.id);
    QCOMPARE(outcome.log.finishedAt, kNow);
    QCOMPARE(outcome.log.bytesCommitted, qint64(1234));
    QCOMPARE(int(outcome.outage), outage);
    QCOMPARE(outcome.health ? int(*outcome.health) : kHealthUnchanged, health);
    QCOMPARE(outcome.forgetAbortedUploads, forget);
    QCOMPARE(int(outcome.journalLine), line);
    // An error the attempt ended with is in its row; a stop or a success leaves none.
    const bool errorKept = result == QLatin1String("retry") || result == QLatin1String("failed")
        || result == QLatin1String("unreachable") || result == QLatin1String("held");
    QCOMPARE(outcome.log.errorCode, errorKept ? code : QString());
    if (state == EpisodeState::Completed)
        QCOMPARE(outcome.episode.cloudKeyPrefix, QStringLiteral("episodes/run-7"));
    if (outcome.outage == AttemptOutcome::Outage::Continues) {
        // The next probe waits 0.5–1 s (equal jitter on 1 s), and the episode with it, its attempt not counted.
        QVERIFY(outcome.nextProbeAt >= kNow.addMSecs(500) && outcome.nextProbeAt <= kNow.addSecs(1));
        QCOMPARE(outcome.episode.nextRetryAt, outcome.nextProbeAt);
        QCOMPARE(outcome.episode.attempts, attempts - 1);
    }
}

void TestEpisodeStateMachine::attemptOutcomePausedForCatalog()
{
    AttemptOutcome::Facts facts;
    facts.episode = episodeIn(EpisodeState::InProgress, 2);
    facts.finishedAt = kNow;
    const AttemptOutcome completed = AttemptOutcome::of(facts, m_machine);
    QCOMPARE(completed.episode.state, EpisodeState::Completed);
    // The catalog could not take it: the episode as it was at the end goes back to pending, not counted.
    const AttemptOutcome paused = completed.pausedForCatalog(facts.episode, m_machine);
    QCOMPARE(paused.episode.state, EpisodeState::Pending);
    QCOMPARE(paused.episode.attempts, 1);
    QCOMPARE(paused.log.result, QStringLiteral("paused"));
    QCOMPARE(paused.log.finishedAt, kNow);
}

QTEST_APPLESS_MAIN(TestEpisodeStateMachine)
#include "tst_episodestatemachine.moc"

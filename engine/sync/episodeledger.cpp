#include "episodeledger.h"

#include "episodesynchooks.h"
#include "objectkeys.h"
#include "storage/uploadjob.h"
#include "synclogging.h"

#include <QCoreApplication>

#include <algorithm>

EpisodeLedger::EpisodeLedger(const SyncConfig &config, EpisodeStatusStore &store, SyncJournal &journal, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_store(store)
    , m_journal(journal)
{ }

EpisodeLedger::~EpisodeLedger() = default;

SyncError EpisodeLedger::catalogError(const CatalogError &error)
{
    const auto code = error.code == CatalogError::Code::NotFound ? SyncError::Code::NotFound
        : error.code == CatalogError::Code::Conflict             ? SyncError::Code::Conflict
                                                                 : SyncError::Code::CatalogFailed;
    return {code, error.message};
}

SyncResult<QList<EpisodeRecord>> EpisodeLedger::open(const EpisodeStateMachine &machine)
{
    auto opened = Catalog::open(m_config.dataDir);
    if (!opened)
        return catalogError(opened.error());
    m_catalog = std::move(opened.value());

    if (auto closed = m_catalog->closeInterruptedLogs(QDateTime::currentDateTimeUtc()); !closed)
        return catalogError(closed.error());
    auto episodes = m_catalog->loadEpisodes();
    if (!episodes)
        return catalogError(episodes.error());
    QHash<qint64, TransferProgress> verified;
    QList<EpisodeRecord> scanning; // registrations a stop interrupted while their files were listed
    // What is verified shows from the first poll on, whatever the state (one read of every episode's files).
    auto files = m_catalog->loadAllFiles();
    if (!files)
        return catalogError(files.error());
    for (EpisodeRecord &episode : episodes.value()) {
        verified.insert(episode.id, verifiedOf(episode, files.value().value(episode.id)));
        if (episode.state == EpisodeState::Scanning)
            scanning.append(episode);
        if (episode.state != EpisodeState::InProgress)
            continue;
        // A crash interrupted it: back to pending, due now; its verified parts are in the catalog.
        static_cast<void>(machine.interrupt(episode));
        if (auto saved = m_catalog->updateEpisode(episode); !saved)
            return catalogError(saved.error());
        qCInfo(lcSync) << "episode" << episode.id << "was interrupted; it will resume";
    }
    m_store.reset(episodes.value(), verified);
    return scanning;
}

SyncResult<EpisodeRecord> EpisodeLedger::record(qint64 id) const
{
    const auto status = m_store.status(id);
    if (!status)
        return SyncError{SyncError::Code::NotFound, EpisodeLedger::tr("there is no episode %1").arg(id)};
    return status->record;
}

SyncResult<void> EpisodeLedger::persist(const EpisodeRecord &episode)
{
    if (auto saved = m_catalog->updateEpisode(episode); !saved)
        return catalogError(saved.error());
    show(episode);
    return {};
}

void EpisodeLedger::show(const EpisodeRecord &episode)
{
    m_store.upsert(episode);
}

qint64 EpisodeLedger::verifiedBytes(qint64 id) const
{
    const auto status = m_store.status(id);
    return status && status->progress ? status->progress->committedBytes : 0;
}

TransferProgress EpisodeLedger::verifiedOf(const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files) const
{
    return UploadJob::verifiedProgress(
        EpisodeSyncHooks::uploadItems(episode, files, keyPrefix(episode)), m_config.upload);
}

void EpisodeLedger::showVerified(const EpisodeRecord &episode)
{
    if (auto files = m_catalog->loadFiles(episode.id))
        m_store.setVerified(episode.id, verifiedOf(episode, files.value()));
}

QString EpisodeLedger::keyPrefix(const EpisodeRecord &episode) const
{
    return ObjectKeys::episodePrefix(m_config.keyPrefix, episode.name);
}

QList<IncompleteUploadCleaner::Upload> EpisodeLedger::keptUploads(
    const EpisodeRecord &episode, const QList<EpisodeFileRecord> &files) const
{
    QList<IncompleteUploadCleaner::Upload> kept;
    for (const EpisodeFileRecord &file : files) {
        if (!file.uploadId.isEmpty())
            kept.append({m_config.bucket, ObjectKeys::objectKey(keyPrefix(episode), file.relativePath), file.uploadId});
    }
    return kept;
}

QList<IncompleteUploadCleaner::Upload> EpisodeLedger::forgetResumeState()
{
    // An episode lives wholly in one place (its manifest lists its objects): what an unfinished one uploaded to the
    // old storage is aborted there (parts not billed forever) and forgotten, so it uploads everything to the new one.
    // Completed episodes stay where they are; their records say where.
    QList<IncompleteUploadCleaner::Upload> kept;
    for (const EpisodeStatus &status : m_store.all()) {
        const EpisodeRecord &episode = status.record;
        if (episode.state == EpisodeState::Completed)
            continue;
        auto files = m_catalog->loadFiles(episode.id);
        if (!files) {
            qCWarning(lcSync) << "episode" << episode.id << "resume state not read:" << files.error().message;
            continue;
        }
        kept.append(keptUploads(episode, files.value()));
        const bool started = std::any_of(files.value().cbegin(), files.value().cend(),
            [](const EpisodeFileRecord &file) { return !file.uploadId.isEmpty() || file.isCompleted(); });
        if (!started)
            continue;
        if (auto reset = m_catalog->resetFiles(episode.id); !reset) {
            qCWarning(lcSync) << "episode" << episode.id << "resume state not reset:" << reset.error().message;
            continue;
        }
        m_store.setVerified(episode.id, {}); // nothing of it is on the new storage
    }
    return kept;
}

void EpisodeLedger::setStorageHealth(StorageHealth::State state, const QString &detail)
{
    const StorageHealth before = m_store.storageHealth();
    if (before.state == state)
        return;
    const StorageHealth after{state, QDateTime::currentDateTimeUtc(), detail};
    m_store.setStorageHealth(after);
    m_journal.storageHealthChanged(before, after);
}
